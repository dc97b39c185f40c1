// Fuzz target: the streaming filter (filter.hpp, DESIGN §2.1–2.4, §3) under random
// policies and mutated Zendesk payloads.
//
// Input: `<policy> NUL <payload>`. The policy part is a policy document when it starts with
// `{`, otherwise selection text used as `select`; without a NUL byte the whole input is the
// payload and the policy is the Zendesk ticket-sidebar fixture. The seed corpus pairs the
// fixtures of tests/fixtures/zendesk/ with policies, so mutations stay Zendesk-shaped.
//
// Invariants, for every policy that compiles:
// - the same call twice, and the call with and without a ledger, give the same result;
// - an error has a documented code and an offset within the input, leaves no output, and is
//   `size_limit` exactly when the input is longer than `max_input_bytes`; `invalid_json` and
//   `invalid_utf8` only for text that is not JSON (or, for `invalid_utf8`, at the opening
//   quote of a kept string a redact rule cannot scan: redaction fails closed);
// - a success happens only for JSON input; the output is compact JSON and
//   - a subset of the input: members keep their input order, array elements are a
//     subsequence, scalars are unchanged (strings may be redacted when the policy redacts);
//   - consistent with the selection: every kept member is named by a rule (or `*`) at its
//     level, and a scalar other than null survives only under a whole-keeping rule;
//   - the ledger is JSON and agrees: bytes in and out, fields_kept = sum of kept_paths =
//     scalars in the output;
//   - without predicates or redaction, filtering the output again changes nothing.
#include "fuzz_support.hpp"

#include <leastdata/filter.hpp>
#include <leastdata/ledger.hpp>
#include <leastdata/output_spans.hpp>
#include <leastdata/policy.hpp>
#include <leastdata/selection.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using namespace leastdata;
using leastdata::fuzz::check;
using ordered = nlohmann::ordered_json;

constexpr std::string_view k_default_policy = R"json({
  "version": 1,
  "resources": {
    "ticket": "id, subject, status, priority, type, requester_id, assignee_id, organization_id, group_id, tags, updated_at, via/channel, satisfaction_rating(score), custom_fields[id=360001234567|360005678901](id, value)",
    "user": "id, name, email, role, time_zone, organization_id, photo(content_url), user_fields(plan_tier)",
    "organization": "id, name, domain_names, organization_fields(sla_tier)",
    "comment": "id, author_id, public, created_at, attachments(file_name, content_type, size)"
  },
  "limits": { "max_depth": 32, "max_input_bytes": 1048576 }
})json";

struct Outcome {
      bool ok = false;
      std::optional<Error> error;
      std::string output;
      std::string ledger;  // its JSON
      std::uint64_t fields_kept = 0;
};

const redact::PseudonymKey& pseudonym_key() {
   static const redact::PseudonymKey* key = [] {
      auto* k = new redact::PseudonymKey();
      const std::uint8_t bytes[32] = {0x6c, 0x64, 0x2d, 0x66, 0x75, 0x7a, 0x7a};
      check(k->set(bytes, sizeof bytes).ok(), "the pseudonym key is accepted");
      return k;
   }();
   return *key;
}

// What js/parse-output.js relies on: every output has spans, each span is one whole JSON
// value (a member's text before it is its name and a colon), and the long-digit check
// agrees with a byte loop.
void check_output_spans(const std::string& output) {
   const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(output.data()), output.size());
   std::vector<OutputSpan> spans;
   check(find_output_spans(bytes, spans), "the output's spans are found", output);
   for(const OutputSpan& span : spans) {
      check((span.depth == 1 || span.depth == 2) && span.member_start <= span.value_start &&
               span.value_start < span.value_end && span.value_end <= output.size(),
            "a span lies in the output", output);
      check(leastdata::fuzz::is_json(std::string_view(output).substr(span.value_start, span.value_end - span.value_start)),
            "a span is one JSON value", output);
      if(span.member_start != span.value_start) {
         const std::string_view name = std::string_view(output).substr(span.member_start, span.value_start - 1 - span.member_start);
         check(output[span.value_start - 1] == ':' && leastdata::fuzz::is_json(name), "a member span starts at its name", output);
      }
   }
   std::size_t run = 0;
   bool long_run = false;
   for(const char c : output) {
      run = (c >= '0' && c <= '9') ? run + 1 : 0;
      long_run = long_run || run >= 16;
   }
   check(has_long_digit_run(bytes) == long_run, "the long-digit check agrees with a byte loop", output);
}

Outcome run(const Policy& policy, std::string_view input, bool with_ledger) {
   WipedBuffer output;
   Ledger ledger;
   const Status status = filter(policy, {reinterpret_cast<const std::uint8_t*>(input.data()), input.size()}, output,
                                with_ledger ? &ledger : nullptr, &pseudonym_key());
   Outcome outcome;
   outcome.ok = status.ok();
   if(!status.ok()) {
      outcome.error = status.error();
   }
   outcome.output.assign(output.begin(), output.end());
   if(status.ok()) {
      check_output_spans(outcome.output);
   }
   if(with_ledger && status.ok()) {
      outcome.ledger = ledger.to_json();
      outcome.fields_kept = ledger.fields_kept;
      check(leastdata::fuzz::is_json(outcome.ledger), "the ledger is JSON", outcome.ledger);
      check(ledger.bytes_in == input.size(), "ledger bytes_in is the input size");
      check(ledger.bytes_out == output.size(), "ledger bytes_out is the output size");
      std::uint64_t sum = 0;
      for(const auto& [path, count] : ledger.kept_paths) {
         check(count > 0, "a kept path counts at least one scalar", path);
         sum += count;
      }
      check(sum == ledger.fields_kept, "fields_kept is the sum of kept_paths");
   }
   return outcome;
}

bool same(const Outcome& a, const Outcome& b) {
   return a.ok == b.ok && a.output == b.output &&
          (a.ok || (a.error->code() == b.error->code() && a.error->offset() == b.error->offset()));
}

// Whether `out` embeds in `in`: object members in input order, array elements as a
// subsequence, equal scalars (any string for any string when `redacting`).
bool embeds(const ordered& out, const ordered& in, bool redacting) {
   if(out.type() != in.type()) {
      return false;  // the output copies each kept value's text, so its type too
   }
   if(out.is_object()) {
      auto from = in.begin();
      for(auto member = out.begin(); member != out.end(); ++member) {
         while(from != in.end() && from.key() != member.key()) {
            ++from;
         }
         if(from == in.end() || !embeds(member.value(), from.value(), redacting)) {
            return false;
         }
         ++from;
      }
      return true;
   }
   if(out.is_array()) {
      std::size_t at = 0;
      for(const ordered& element : out) {
         while(at < in.size() && !embeds(element, in[at], redacting)) {
            ++at;
         }
         if(at == in.size()) {
            return false;
         }
         ++at;
      }
      return true;
   }
   return out == in || (redacting && out.is_string());
}

// Whether every member of `value` is named by one of `rules` at its level, and non-null
// scalars are kept only under a whole-keeping rule. Predicates only ever narrow what a rule
// applies to, so ignoring them checks an upper bound of what the filter may keep.
bool named_by(const ordered& value, const std::vector<const Rule*>& rules) {
   if(value.is_object()) {
      for(auto member = value.begin(); member != value.end(); ++member) {
         std::vector<const Rule*> children;
         bool matched = false;
         bool whole = false;
         for(const Rule* rule : rules) {
            if(rule->wildcard || rule->name == member.key()) {
               matched = true;
               whole = whole || rule->whole;
               for(const Rule& child : rule->children) {
                  children.push_back(&child);
               }
            }
         }
         if(!matched || (!whole && !named_by(member.value(), children))) {
            return false;
         }
      }
      return true;
   }
   if(value.is_array()) {
      for(const ordered& element : value) {
         if(!named_by(element, rules)) {
            return false;
         }
      }
      return true;
   }
   return value.is_null();
}

bool has_predicate(const std::vector<Rule>& rules) {
   for(const Rule& rule : rules) {
      if(rule.predicate || has_predicate(rule.children)) {
         return true;
      }
   }
   return false;
}

std::optional<Policy> compile(std::string_view policy_part) {
   std::string document;
   if(!policy_part.empty() && policy_part.front() == '{') {
      document = std::string(policy_part);
   } else {
      document = nlohmann::json{{"version", 1}, {"select", std::string(policy_part)}}.dump(
         -1, ' ', false, nlohmann::json::error_handler_t::replace);
   }
   auto compiled = Policy::compile(document);
   if(!compiled) {
      return std::nullopt;
   }
   return std::move(compiled).value();
}

void check_failure(const Policy& policy, std::string_view input, const Outcome& outcome) {
   const Error& error = *outcome.error;
   const bool lazy_plan = error.code() == ErrorCode::invalid_policy;
   leastdata::fuzz::check_error(error,
                                {ErrorCode::invalid_json, ErrorCode::invalid_utf8, ErrorCode::depth_limit,
                                 ErrorCode::size_limit, ErrorCode::duplicate_key, ErrorCode::invalid_policy},
                                input.size(), !lazy_plan);
   check(outcome.output.empty(), "no partial output on error");
   check((error.code() == ErrorCode::size_limit) == (input.size() > policy.limits().max_input_bytes),
         "size_limit exactly when the input is longer than max_input_bytes",
         [&] { return error.to_json(); });
   // A redact rule fails closed on a kept string it cannot scan (an escaped lone surrogate):
   // invalid_utf8 at that string's opening quote, in text that is JSON (docs/architecture.md).
   const bool unscannable_string = error.code() == ErrorCode::invalid_utf8 && !policy.redact_rules().empty() &&
                                   *error.offset() < input.size() && input[*error.offset()] == '"';
   if((error.code() == ErrorCode::invalid_json || error.code() == ErrorCode::invalid_utf8) && !unscannable_string) {
      check(!leastdata::fuzz::is_json(input), "invalid_json/invalid_utf8 only for text that is not JSON",
            [&] { return error.to_json(); });
   }
}

void check_success(const Policy& policy, std::string_view input, const Outcome& outcome) {
   const std::string& output = outcome.output;
   check(input.size() <= policy.limits().max_input_bytes, "no success past max_input_bytes");
   check(leastdata::fuzz::is_json(input), "success only for JSON input");
   check(leastdata::fuzz::is_json(output), "the output is JSON", output);
   check(leastdata::fuzz::is_compact_json(output), "the output is compact", output);

   // A top-level scalar other than null becomes a null that no rule kept: it is not counted.
   const bool replaced_scalar = output == "null" && input.substr(input.find_first_not_of(" \t\n\r"), 4) != "null";
   check(leastdata::fuzz::scan_json(output).scalars - (replaced_scalar ? 1 : 0) == outcome.fields_kept,
         "fields_kept counts the scalars of the output", outcome.ledger);

   const auto selection = parse_selection(policy.normalized_selection());
   check(selection.ok(), "the normalised selection parses");
   const bool redacting = !policy.redact_rules().empty();
   // nlohmann refuses lone surrogate escapes and numbers beyond a double: then skip these.
   const auto in = ordered::parse(input, nullptr, false);
   const auto out = ordered::parse(output, nullptr, false);
   if(!in.is_discarded() && !out.is_discarded()) {
      const bool scalar_to_null = !in.is_structured() && out.is_null();
      check(scalar_to_null || embeds(out, in, redacting), "the output is a subset of the input", output);
      std::vector<const Rule*> top;
      for(const Rule& rule : selection.value().rules) {
         top.push_back(&rule);
      }
      check(named_by(out, top), "every kept member is named by the selection", output);
   }
   if(!redacting && !has_predicate(selection.value().rules)) {
      const Outcome again = run(policy, output, false);
      check(again.ok && again.output == output, "filtering the output again changes nothing",
            [&] { return again.ok ? again.output : again.error->to_json(); });
   }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const std::string_view text = leastdata::fuzz::as_text(data, size);
   const std::size_t nul = text.find('\0');
   const std::string_view policy_part = nul == std::string_view::npos ? k_default_policy : text.substr(0, nul);
   const std::string_view input = nul == std::string_view::npos ? text : text.substr(nul + 1);

   const auto policy = compile(policy_part);
   if(!policy) {
      return 0;  // fuzz_policy covers policy errors
   }
   const Outcome first = run(*policy, input, true);
   const Outcome second = run(*policy, input, true);
   check(same(first, second) && first.ledger == second.ledger, "the same call twice gives the same output and ledger");
   check(same(first, run(*policy, input, false)), "asking for a ledger does not change the output");
   if(first.ok) {
      check_success(*policy, input, first);
   } else {
      check_failure(*policy, input, first);
   }
   return 0;
}
