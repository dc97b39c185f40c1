// Policy documents: validation, resource expansion and compilation (see policy.hpp).
#include <leastdata/policy.hpp>

#include <leastdata/jcs.hpp>
#include <leastdata/resources.hpp>

#include "json_document.hpp"
#include "plan.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

namespace leastdata {

namespace {

using json = nlohmann::ordered_json;

Error policy_error(std::string message, std::optional<std::size_t> offset = std::nullopt) {
   return Error(ErrorCode::invalid_policy, std::move(message), offset);
}

std::string known_resources() {
   std::string list;
   for(const ResourceEnvelope& envelope : resource_envelopes()) {
      list += (list.empty() ? "" : ", ") + std::string(envelope.resource);
   }
   return list;
}

Result<Selection> parse_named_selection(const json& value, const std::string& where) {
   if(!value.is_string()) {
      return policy_error(where + " must be a selection string");
   }
   auto parsed = parse_selection(value.get_ref<const std::string&>());
   if(!parsed) {
      return policy_error(where + ": " + parsed.error().message(), parsed.error().offset());
   }
   return std::move(parsed).value();
}

// A raw `select` string: its rules are added to those of `out` (merged with the resources).
Status append_selection(const json& value, const std::string& where, Selection& out) {
   auto parsed = parse_named_selection(value, where);
   if(!parsed) {
      return parsed.error();
   }
   for(Rule& rule : parsed.value().rules) {
      out.rules.push_back(std::move(rule));
   }
   return {};
}

Rule member_rule(std::string_view name, const std::vector<Rule>& children) {
   Rule rule;
   rule.name = std::string(name);
   rule.whole = false;
   rule.children = children;
   return rule;
}

// `for_reading` adds the pagination envelope; a write body has none (DESIGN §2.5).
Status expand_resources(const json& resources, Selection& out, std::string_view where, bool for_reading) {
   if(!resources.is_object()) {
      return policy_error(std::string(where) + " must be an object mapping resource names to selections");
   }
   for(const auto& [name, value] : resources.items()) {
      const ResourceEnvelope* envelope = find_resource(name);
      if(envelope == nullptr) {
         return policy_error(std::string(where) + ": unknown resource " + json(name).dump() + " (known: " +
                             known_resources() + ")");
      }
      auto selection = parse_named_selection(value, std::string(where) + "." + name);
      if(!selection) {
         return selection.error();
      }
      const std::vector<Rule>& children = selection.value().rules;
      if(!envelope->singular.empty()) {
         out.rules.push_back(member_rule(envelope->singular, children));
      }
      out.rules.push_back(member_rule(envelope->plural, children));
      if(envelope->in_search_results) {
         Rule results = member_rule("results", children);
         results.predicate = Predicate{"result_type", {std::string(envelope->resource)}};
         out.rules.push_back(std::move(results));
      }
   }
   if(for_reading) {
      for(std::string_view member : pagination_members()) {
         Rule rule;
         rule.name = std::string(member);
         out.rules.push_back(std::move(rule));
      }
   }
   return {};
}

// `write`: {"resources": {...}, "select": "..."} in the reading language, without the
// pagination envelope (DESIGN §2.5).
Status parse_write(const json& write, Selection& out) {
   if(!write.is_object()) {
      return policy_error("write must be an object with resources and/or select");
   }
   bool has_selection = false;
   for(const auto& [key, value] : write.items()) {
      if(key == "resources") {
         Status status = expand_resources(value, out, "write.resources", false);
         if(!status) {
            return status;
         }
      } else if(key == "select") {
         Status status = append_selection(value, "write.select", out);
         if(!status) {
            return status;
         }
      } else {
         return policy_error("write: unknown member " + json(key).dump() + " (known: resources, select)");
      }
      has_selection = true;
   }
   if(!has_selection) {
      return policy_error("write needs resources or select");
   }
   return {};
}

Status parse_requests(const json& requests, RequestRules& out) {
   if(!requests.is_array()) {
      return policy_error("requests must be an array of \"METHOD PATH\" strings");
   }
   for(const json& entry : requests) {
      if(!entry.is_string()) {
         return policy_error("requests: " + entry.dump() + " is not a \"METHOD PATH\" string");
      }
      Status status = out.add(entry.get_ref<const std::string&>());
      if(!status) {
         return status;
      }
   }
   return {};
}

Result<std::size_t> positive_limit(const json& value, const char* name, std::size_t ceiling) {
   if(!value.is_number_unsigned() || value.get<std::uint64_t>() == 0 || value.get<std::uint64_t>() > ceiling) {
      return policy_error(std::string("limits.") + name + " must be an integer from 1 to " + std::to_string(ceiling));
   }
   return static_cast<std::size_t>(value.get<std::uint64_t>());
}

Status parse_limits(const json& limits, Limits& out) {
   if(!limits.is_object()) {
      return policy_error("limits must be an object");
   }
   for(const auto& [key, value] : limits.items()) {
      if(key == "max_depth") {
         auto v = positive_limit(value, "max_depth", max_depth_ceiling());
         if(!v) {
            return v.error();
         }
         out.max_depth = v.value();
      } else if(key == "max_input_bytes") {
         auto v = positive_limit(value, "max_input_bytes", max_input_bytes_ceiling());
         if(!v) {
            return v.error();
         }
         out.max_input_bytes = v.value();
      } else {
         return policy_error("limits: unknown member " + json(key).dump() + " (known: max_depth, max_input_bytes)");
      }
   }
   return {};
}

bool valid_zaf_path(std::string_view path) {
   if(path.empty() || path.front() == '.' || path.back() == '.') {
      return false;
   }
   char previous = 0;
   for(char c : path) {
      const auto byte = static_cast<unsigned char>(c);
      if(byte <= 0x20 || byte >= 0x7F || (c == '.' && previous == '.')) {
         return false;
      }
      previous = c;
   }
   return true;
}

Status parse_zaf(const json& zaf, std::vector<std::string>& out) {
   if(!zaf.is_array()) {
      return policy_error("zaf must be an array of ZAF paths");
   }
   for(const json& entry : zaf) {
      if(!entry.is_string() || !valid_zaf_path(entry.get_ref<const std::string&>())) {
         return policy_error("zaf: " + entry.dump() +
                             " is not a ZAF path (dot-separated printable ASCII segments, e.g. ticket.requester.name)");
      }
      out.push_back(entry.get<std::string>());
   }
   return {};
}

Status parse_redact(const json& redact, std::vector<RedactRule>& out) {
   if(!redact.is_object()) {
      return policy_error("redact must be an object with a rules array");
   }
   for(const auto& [key, value] : redact.items()) {
      if(key != "rules") {
         return policy_error("redact: unknown member " + json(key).dump() + " (known: rules)");
      }
   }
   if(!redact.contains("rules") || !redact["rules"].is_array()) {
      return policy_error("redact.rules must be an array");
   }
   for(const json& entry : redact["rules"]) {
      if(!entry.is_object()) {
         return policy_error("redact.rules: each rule must be an object {path, detect, action}");
      }
      RedactRule rule{};
      bool has_action = false;
      for(const auto& [key, value] : entry.items()) {
         if(key == "path" && value.is_string() && !value.get_ref<const std::string&>().empty()) {
            rule.path = value.get<std::string>();
         } else if(key == "detect" && value.is_array() && !value.empty()) {
            for(const json& detector : value) {
               const auto found = detector.is_string() ? redact::detector_from_name(detector.get_ref<const std::string&>())
                                                       : std::nullopt;
               if(!found) {
                  return policy_error("redact.rules: unknown detector " + detector.dump() + " (known: " +
                                      redact::detector_names_list() + ")");
               }
               rule.detect = rule.detect.with(*found);
            }
         } else if(key == "action" && value.is_string() && redact::action_from_name(value.get_ref<const std::string&>())) {
            rule.action = *redact::action_from_name(value.get_ref<const std::string&>());
            has_action = true;
         } else {
            return policy_error("redact.rules: invalid member " + json(key).dump() +
                                " (path: non-empty string; detect: non-empty array of detector names; "
                                "action: remove, label, mask or pseudonym)");
         }
      }
      if(rule.path.empty() || rule.detect.empty() || !has_action) {
         return policy_error("redact.rules: each rule needs path, detect and action");
      }
      out.push_back(std::move(rule));
   }
   return {};
}

}  // namespace

Result<Policy> Policy::compile(std::string_view json_text) {
   if(json_text.size() > max_policy_bytes()) {
      return policy_error("policy: larger than " + std::to_string(max_policy_bytes()) + " bytes");
   }
   auto parsed = detail::parse_json_document(json_text, ErrorCode::invalid_policy, "policy");
   if(!parsed) {
      return parsed.error();
   }
   const json& doc = parsed.value();
   if(!doc.is_object()) {
      return policy_error("policy must be a JSON object");
   }

   Policy policy;
   Selection selection;
   bool has_version = false;
   bool has_selection = false;
   for(const auto& [key, value] : doc.items()) {
      Status status;
      if(key == "version") {
         if(!value.is_number_integer() || value.get<std::int64_t>() != 1) {
            return policy_error("version must be 1");
         }
         has_version = true;
      } else if(key == "name") {
         if(!value.is_string()) {
            return policy_error("name must be a string");
         }
         policy.m_name = value.get<std::string>();
      } else if(key == "resources") {
         status = expand_resources(value, selection, "resources", true);
         has_selection = true;
      } else if(key == "select") {
         status = append_selection(value, "select", selection);
         has_selection = true;
      } else if(key == "zaf") {
         status = parse_zaf(value, policy.m_zaf_paths);
      } else if(key == "redact") {
         status = parse_redact(value, policy.m_redact_rules);
      } else if(key == "limits") {
         status = parse_limits(value, policy.m_limits);
      } else if(key == "requests") {
         status = parse_requests(value, policy.m_requests);
      } else if(key == "write") {
         Selection write;
         status = parse_write(value, write);
         if(status) {
            auto plan = detail::Plan::build(std::move(write));
            if(!plan) {
               return plan.error();
            }
            policy.m_write_plan = std::move(plan).value();
         }
      } else {
         return policy_error("policy: unknown member " + json(key).dump() +
                             " (known: version, name, resources, select, requests, write, zaf, redact, limits)");
      }
      if(!status) {
         return status.error();
      }
   }
   if(!has_version) {
      return policy_error("policy: version is required (it must be 1)");
   }
   if(!has_selection) {
      return policy_error("policy: at least one of select and resources is required");
   }
   auto plan = detail::Plan::build(std::move(selection));
   if(!plan) {
      return plan.error();
   }
   policy.m_plan = std::move(plan).value();
   return policy;
}

std::string Policy::normalized_selection() const {
   return to_string(m_plan->selection());
}

std::string Policy::declaration() const {
   nlohmann::json redact = nlohmann::json::array();
   for(const RedactRule& rule : m_redact_rules) {
      nlohmann::json detect = nlohmann::json::array();
      for(std::size_t i = 0; i < redact::detector_count(); ++i) {
         const auto detector = static_cast<redact::Detector>(i);
         if(rule.detect.contains(detector)) {
            detect.push_back(redact::detector_name(detector));
         }
      }
      redact.push_back({{"path", rule.path}, {"detect", detect}, {"action", redact::action_name(rule.action)}});
   }
   // Order in the document says nothing about what is allowed: lists are sorted.
   std::vector<std::string> requests = m_requests.entries();
   std::sort(requests.begin(), requests.end());
   requests.erase(std::unique(requests.begin(), requests.end()), requests.end());
   std::vector<std::string> zaf = m_zaf_paths;
   std::sort(zaf.begin(), zaf.end());
   zaf.erase(std::unique(zaf.begin(), zaf.end()), zaf.end());
   const nlohmann::json document = {
      {"name", m_name},
      {"read", to_string(canonical(m_plan->selection()))},
      {"write", m_write_plan ? nlohmann::json(to_string(canonical(m_write_plan->selection()))) : nlohmann::json()},
      {"requests", requests},
      {"zaf", zaf},
      {"redact", redact},
      {"limits", {{"max_depth", m_limits.max_depth}, {"max_input_bytes", m_limits.max_input_bytes}}},
   };
   // Every member is a string, an array of strings or an integer below 2^53, all of which
   // JCS accepts: a failure here is a bug, not an input.
   auto canonical = jcs::canonicalize(document);
   return canonical ? std::move(canonical).value() : std::string();
}

bool Policy::allows_zaf_path(std::string_view path) const {
   for(std::string_view pattern : m_zaf_paths) {
      std::string_view rest = path;
      bool match = true;
      while(match) {
         const auto pattern_dot = pattern.find('.');
         const auto path_dot = rest.find('.');
         const std::string_view want = pattern.substr(0, pattern_dot);
         const std::string_view have = rest.substr(0, path_dot);
         match = !have.empty() && (want == "*" || want == have);
         if(pattern_dot == std::string_view::npos || path_dot == std::string_view::npos) {
            match = match && pattern_dot == path_dot;
            break;
         }
         pattern.remove_prefix(pattern_dot + 1);
         rest.remove_prefix(path_dot + 1);
      }
      if(match) {
         return true;
      }
   }
   return false;
}

}  // namespace leastdata
