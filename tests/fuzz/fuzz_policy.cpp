// Fuzz target: the policy document (policy.hpp, DESIGN §2): validation, resource
// expansion, limits, ZAF paths, redact rules and compilation of the selection.
//
// Input: a policy document (JSON text). Invariants:
// - only JSON text compiles (checked with the independent grammar check of fuzz_support.hpp);
// - every error is `invalid_policy`, and its offset (into the document, or into the
//   selection text for selection errors) lies within the input;
// - compiling is deterministic;
// - the normalised selection is a fixpoint of print ∘ parse, and a policy whose `select`
//   is that text compiles to the same normalised selection;
// - limits lie within their documented ranges; every `zaf` entry allows itself; every
//   redact rule has a path, detectors and an action;
// - the compiled policy filters a Zendesk-shaped payload to valid compact JSON, or fails with
//   a documented data error (predicate combinations are compiled lazily, during filtering).
#include "fuzz_support.hpp"

#include <leastdata/filter.hpp>
#include <leastdata/policy.hpp>
#include <leastdata/selection.hpp>

namespace {

using namespace leastdata;
using leastdata::fuzz::check;

// Every envelope of DESIGN §2.2, with predicates' keys and members the fixture policy names.
constexpr std::string_view k_payload = R"({
  "ticket": {"id": 35436, "subject": "Help", "via": {"channel": "web"}, "tags": ["a", "b"],
             "custom_fields": [{"id": 360001234567, "value": "x"}, {"id": 1, "value": null}],
             "satisfaction_rating": {"score": "good"}, "description": "mail jane@example.com"},
  "tickets": [{"id": 1, "status": "open"}, {"id": 2, "status": "solved", "via": {"channel": "email"}}],
  "user": {"id": 7, "name": "Jane", "email": "jane@example.com", "photo": {"content_url": "https://x/y"}},
  "users": [{"id": 8, "user_fields": {"plan_tier": "gold"}}],
  "organization": {"id": 9, "name": "Acme", "domain_names": ["acme.test"]},
  "organizations": [],
  "comment": {"id": 10, "author_id": 7, "public": true, "attachments": [{"file_name": "a.png", "size": 1}]},
  "comments": [{"id": 11, "body": "call +49 30 1234567"}],
  "results": [{"result_type": "ticket", "id": 3}, {"result_type": "user", "id": 4}, {"result_type": 5}],
  "next_page": null, "count": 2, "meta": {"has_more": false}, "links": {"next": null}
})";

void check_reparse(const std::string& normalized) {
   const auto parsed = parse_selection(normalized);
   check(parsed.ok(), "the normalised selection parses", normalized);
   check(to_string(parsed.value()) == normalized, "print(parse(normalised)) == normalised", normalized);
   check(to_string(normalize(parsed.value())) == normalized, "the normalised selection is normal", normalized);
}

void check_recompiles(const Policy& policy) {
   const std::string normalized = policy.normalized_selection();
   nlohmann::json document = {{"version", 1}, {"select", normalized}};
   const auto again = Policy::compile(document.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict));
   check(again.ok(), "a policy selecting the normalised selection compiles",
         again.ok() ? "" : again.error().to_json());
   check(again.value().normalized_selection() == normalized, "recompiling the normalised selection changes nothing",
         normalized);
}

void check_filters(const Policy& policy) {
   const auto* bytes = reinterpret_cast<const std::uint8_t*>(k_payload.data());
   WipedBuffer output;
   redact::PseudonymKey key;
   const std::uint8_t key_bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
   check(key.set(key_bytes, sizeof key_bytes).ok(), "a 16-byte pseudonym key is accepted");
   const Status status = filter(policy, {bytes, k_payload.size()}, output, nullptr, &key);
   if(!status) {
      // The payload is valid JSON without duplicates, so only the limits and lazily
      // compiled predicate combinations can fail.
      leastdata::fuzz::check_error(status.error(),
                                   {ErrorCode::depth_limit, ErrorCode::size_limit, ErrorCode::invalid_policy},
                                   k_payload.size(), false);
      check(output.empty(), "no partial output on error");
      return;
   }
   const std::string_view text(reinterpret_cast<const char*>(output.data()), output.size());
   check(leastdata::fuzz::is_json(text), "filter output is JSON", text);
   check(leastdata::fuzz::is_compact_json(text), "filter output is compact", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const std::string_view text = leastdata::fuzz::as_text(data, size);
   auto compiled = Policy::compile(text);
   if(!compiled) {
      leastdata::fuzz::check_error(compiled.error(), {ErrorCode::invalid_policy}, size, false);
      check(!Policy::compile(text).ok(), "compiling is deterministic (error)");
      return 0;
   }
   const Policy& policy = compiled.value();
   const std::string normalized = policy.normalized_selection();
   check(leastdata::fuzz::is_json(text), "only JSON text compiles");

   const auto again = Policy::compile(text);
   check(again.ok() && again.value().normalized_selection() == normalized && again.value().name() == policy.name() &&
            again.value().zaf_paths() == policy.zaf_paths() &&
            again.value().redact_rules().size() == policy.redact_rules().size(),
         "compiling is deterministic");

   check_reparse(normalized);
   check_recompiles(policy);

   const Limits& limits = policy.limits();
   check(limits.max_depth >= 1 && limits.max_depth <= max_depth_ceiling(), "max_depth within 1..ceiling");
   check(limits.max_input_bytes >= 1 && limits.max_input_bytes <= max_input_bytes_ceiling(),
         "max_input_bytes within 1..ceiling");
   for(const std::string& path : policy.zaf_paths()) {
      check(policy.allows_zaf_path(path), "a zaf entry allows itself", path);
   }
   for(const RedactRule& rule : policy.redact_rules()) {
      check(!rule.path.empty() && !rule.detect.empty(), "a redact rule has a path and detectors", rule.path);
   }
   check_filters(policy);
   return 0;
}
