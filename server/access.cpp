// Declared and observed access (access.hpp): the post's contract, merging, and the report.
#include "access.hpp"

#include "api_error.hpp"
#include "app_name.hpp"
#include "envelope.hpp"
#include "tenants.hpp"

#include "leastdata/crypto.hpp"
#include "leastdata/policy.hpp"
#include "leastdata/redact.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace leastdata::server {

namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> k_totals = {"calls", "bytes_in", "bytes_out", "fields_kept", "fields_dropped"};
constexpr std::array<std::string_view, 4> k_name_maps = {"kept_paths", "refused_requests", "zaf_read", "zaf_refused"};

[[noreturn]] void invalid_access(const std::string& message) {
   throw ApiError(ErrorCode::invalid_access, message);
}

std::string sha256_hex(std::string_view text) {
   auto hash = Botan::HashFunction::create_or_throw("SHA-256");
   hash->update(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
   const auto digest = hash->final();
   return Botan::hex_encode(digest.data(), digest.size(), false);
}

bool valid_policy_hash(std::string_view s) {
   return s.size() == 7 + 64 && s.substr(0, 7) == "sha256:" &&
          std::all_of(s.begin() + 7, s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// The row key of a declared policy. Keyed by the tenant's data key: a copy of the database
// whose tenant was erased holds no hash that a guessed policy could be checked against.
std::string policy_key(const Identity& who, std::string_view app, std::string_view policy_hash) {
   const std::string message =
      "leastdata/declared-policy/v1|" + who.tenant.id + "|" + std::string(app) + "|" + std::string(policy_hash);
   return crypto::base64url_encode(crypto::hmac_sha256(who.data_key->bytes, crypto::as_bytes(message)));
}

// A name in a post: 1-256 bytes of text without control characters (C0, DEL, C1). The body
// parser has already refused what is not UTF-8.
bool valid_name(std::string_view s) {
   if(s.empty() || s.size() > AccessService::k_max_name_bytes) {
      return false;
   }
   for(std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      const bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
      if(c < 0x20 || c == 0x7F || c1) {
         return false;
      }
   }
   return true;
}

std::optional<std::uint64_t> count_of(const json& v) {
   if(v.is_number_unsigned()) {
      const auto n = v.get<std::uint64_t>();
      return n <= AccessService::k_max_count ? std::optional<std::uint64_t>(n) : std::nullopt;
   }
   if(v.is_number_integer() && v.get<std::int64_t>() == 0) {
      return 0;  // -0
   }
   return std::nullopt;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
   return b > AccessService::k_max_count - a ? AccessService::k_max_count : a + b;
}

// What one app's copies reported accessing, over one post, one day or several: the shape
// stored (sealed) and reported.
json empty_observation() {
   json o = {{"reports", 0}, {"policy_hashes", json::object()}};
   for(const auto total : k_totals) {
      o[std::string(total)] = 0;
   }
   for(const auto map : k_name_maps) {
      o[std::string(map)] = json::object();
   }
   return o;
}

void add_counts(json& into, const json& from) {
   for(const auto& [name, value] : from.items()) {
      json& slot = into[name];
      slot = saturating_add(slot.is_null() ? 0 : slot.get<std::uint64_t>(), value.get<std::uint64_t>());
   }
}

void add_observation(json& into, const json& from) {
   into["reports"] = saturating_add(into["reports"].get<std::uint64_t>(), from["reports"].get<std::uint64_t>());
   add_counts(into["policy_hashes"], from["policy_hashes"]);
   for(const auto total : k_totals) {
      const std::string key(total);
      into[key] = saturating_add(into[key].get<std::uint64_t>(), from[key].get<std::uint64_t>());
   }
   for(const auto map : k_name_maps) {
      add_counts(into[std::string(map)], from[std::string(map)]);
   }
}

std::size_t entries(const json& observation) {
   std::size_t n = observation["policy_hashes"].size();
   for(const auto map : k_name_maps) {
      n += observation[std::string(map)].size();
   }
   return n;
}

// A post as an observation, after checking it against the contract of
// POST /v1/access/observed (docs/openapi.yaml). Messages name members, never values.
json observation_of(const json& body) {
   for(const auto& [key, value] : body.items()) {
      const bool known = key == "app" || key == "policy_hash" ||
                         std::find(k_totals.begin(), k_totals.end(), key) != k_totals.end() ||
                         std::find(k_name_maps.begin(), k_name_maps.end(), key) != k_name_maps.end();
      if(!known) {
         invalid_access("the body has a member observed access does not have (app, policy_hash, calls, bytes_in, "
                        "bytes_out, fields_kept, fields_dropped, kept_paths, refused_requests, zaf_read, zaf_refused)");
      }
   }
   if(!body.contains("app") || !body["app"].is_string() || !valid_app(body["app"].get_ref<const std::string&>())) {
      invalid_access("app must be 1-64 characters of [a-z0-9_-], starting with a letter or digit");
   }
   json o = empty_observation();
   o["reports"] = 1;
   if(body.contains("policy_hash")) {
      const json& hash = body["policy_hash"];
      if(!hash.is_string() || !valid_policy_hash(hash.get_ref<const std::string&>())) {
         invalid_access("policy_hash must be \"sha256:\" followed by 64 lowercase hex digits, as declaring the policy returned it");
      }
      o["policy_hashes"][hash.get<std::string>()] = 1;
   }
   for(const auto total : k_totals) {
      const std::string key(total);
      if(body.contains(key)) {
         const auto n = count_of(body[key]);
         if(!n) {
            invalid_access(key + " must be an integer from 0 to 2^53-1");
         }
         o[key] = *n;
      }
   }
   std::size_t total_entries = 0;
   for(const auto map : k_name_maps) {
      const std::string key(map);
      if(!body.contains(key)) {
         continue;
      }
      if(!body[key].is_object()) {
         invalid_access(key + " must be an object of names and counts");
      }
      for(const auto& [name, value] : body[key].items()) {
         if(!valid_name(name)) {
            invalid_access("every name in " + key + " is 1-256 bytes of text without control characters");
         }
         const auto n = count_of(value);
         if(!n) {
            invalid_access("every count in " + key + " must be an integer from 0 to 2^53-1");
         }
         o[key][name] = *n;
      }
      total_entries += body[key].size();
   }
   if(total_entries > AccessService::k_max_entries_per_post) {
      throw ApiError(ErrorCode::too_many_entries,
                     "a post carries at most " + std::to_string(AccessService::k_max_entries_per_post) +
                        " names in all; send the rest in another post");
   }
   // Names, never values: but a Zendesk object keyed by addresses would put one in a path.
   for(const auto map : k_name_maps) {
      for(const auto& [name, value] : o[std::string(map)].items()) {
         const auto found = redact::find(name, redact::DetectorSet::all());
         if(!found.empty()) {
            throw ApiError(ErrorCode::personal_data,
                           "a name in " + std::string(map) + " looks like personal data (" +
                              std::string(redact::detector_name(found.front().type)) +
                              "); observed access holds names of fields and requests, never values. Nothing was stored");
         }
      }
   }
   return o;
}

Millis earlier(Millis a, const std::optional<Millis>& b) {
   return b ? std::min(a, *b) : a;
}

std::size_t plaintext_size(const Blob& sealed) {
   return sealed.size() - envelope::header_size() - crypto::aes256_gcm_overhead();
}

}  // namespace

json AccessService::declare(const Identity& who, std::string_view app, std::string_view document, Millis now) {
   auto policy = Policy::compile(document);
   if(!policy) {
      const Error& e = policy.error();
      std::string message = e.message();
      if(e.offset()) {
         message += " (at byte " + std::to_string(*e.offset()) + ")";
      }
      // A policy the core refuses is the declaring app's fault, whatever the core's code: 422.
      throw ApiError(e.code(), 422, message);
   }
   const std::string declaration = policy.value().declaration();
   if(declaration.empty()) {
      throw std::logic_error("the core gave no declaration for a policy it compiled");
   }
   const std::string hash = "sha256:" + sha256_hex(declaration);
   const std::string key = policy_key(who, app, hash);
   std::string row;
   const SealContext context = tenants::declaration_context(who.tenant.id, app, key, row);
   const DeclaredPolicy stored = m_store.declare_policy(
      who.tenant.id, app, key, [&] { return envelope::seal(*who.data_key, context, declaration); }, now);
   return {{"app", app},
           {"policy_hash", hash},
           {"first_declared", format_time(stored.first_declared)},
           {"last_declared", format_time(stored.last_declared)},
           {"delete_after", format_time(earlier(stored.delete_at(), who.tenant.deletion_due_at()))}};
}

json AccessService::observe(const Identity& who, const json& body, Millis now) {
   const json post = observation_of(body);
   const std::string& app = body["app"].get_ref<const std::string&>();
   const std::string day = format_day(now);
   std::string row;
   const SealContext context = tenants::access_day_context(who.tenant.id, app, day, row);
   m_store.merge_access_day(who.tenant.id, app, day, [&](const std::optional<Blob>& sealed) {
      json merged = sealed ? json::parse(envelope::open_string(*who.data_key, context, *sealed)) : empty_observation();
      add_observation(merged, post);
      if(entries(merged) > k_max_entries_per_day) {
         throw ApiError(ErrorCode::too_many_entries,
                        "one app's day holds at most " + std::to_string(k_max_entries_per_day) +
                           " distinct names and policy hashes; this post would add more. Nothing was stored");
      }
      return envelope::seal(*who.data_key, context, merged.dump());
   });
   return {{"app", app},
           {"day", day},
           {"delete_after", format_time(earlier(access_day_delete_at(day), who.tenant.deletion_due_at()))}};
}

AccessService::Report AccessService::report(const Identity& who, Millis now) const {
   const std::string& tenant_id = who.tenant.id;
   const auto tenant_due = who.tenant.deletion_due_at();

   // Per app: the hashes it declared, and what its copies reported over the days kept.
   struct App {
         json declared = json::array();
         std::size_t days = 0;
         json observed = empty_observation();
   };
   std::map<std::string, App> apps;

   Report out{json::array(), json::array(), json::object()};
   json declared = json::array();
   for(const DeclaredPolicy& p : m_store.declared_policies(tenant_id, now)) {
      std::string row;
      const std::string text =
         envelope::open_string(*who.data_key, tenants::declaration_context(tenant_id, p.app, p.policy_key, row), p.declaration);
      const std::string hash = "sha256:" + sha256_hex(text);
      const std::string until = format_time(earlier(p.delete_at(), tenant_due));
      declared.push_back({{"app", p.app},
                          {"policy_hash", hash},
                          {"declaration", json::parse(text)},
                          {"first_declared", format_time(p.first_declared)},
                          {"last_declared", format_time(p.last_declared)},
                          {"delete_after", until}});
      out.declared_policies.push_back({{"app", p.app},
                                       {"policy_hash", hash},
                                       {"first_declared", format_time(p.first_declared)},
                                       {"last_declared", format_time(p.last_declared)},
                                       {"size_bytes", plaintext_size(p.declaration)},
                                       {"retained_until", until}});
      apps[p.app].declared.push_back(hash);
   }

   json observed = json::array();
   for(const AccessDay& d : m_store.access_days(tenant_id, now)) {
      std::string row;
      json day = json::parse(
         envelope::open_string(*who.data_key, tenants::access_day_context(tenant_id, d.app, d.day, row), d.observed));
      const std::string until = format_time(earlier(access_day_delete_at(d.day), tenant_due));
      App& app = apps[d.app];
      ++app.days;
      add_observation(app.observed, day);
      out.access_days.push_back(
         {{"app", d.app}, {"day", d.day}, {"size_bytes", plaintext_size(d.observed)}, {"retained_until", until}});
      day["app"] = d.app;
      day["day"] = d.day;
      day["delete_after"] = until;
      observed.push_back(std::move(day));
   }

   json summaries = json::array();
   for(auto& [name, app] : apps) {
      json undeclared = json::array();
      for(const auto& [hash, reports] : app.observed["policy_hashes"].items()) {
         if(std::find(app.declared.begin(), app.declared.end(), hash) == app.declared.end()) {
            undeclared.push_back(hash);
         }
      }
      summaries.push_back({{"app", name},
                           {"declared_policy_hashes", std::move(app.declared)},
                           {"undeclared_policy_hashes", std::move(undeclared)},
                           {"days_observed", app.days},
                           {"observed", std::move(app.observed)}});
   }
   out.access = {{"declared", std::move(declared)}, {"observed", std::move(observed)}, {"apps", std::move(summaries)}};
   return out;
}

}  // namespace leastdata::server
