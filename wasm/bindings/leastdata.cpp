// The core's exports: the only place JavaScript touches C++.
//
// Plain C functions whose arguments and answers are numbers; no binding library, whose
// string marshalling would copy texts into heap blocks it frees without zeroing. Every text
// crosses as UTF-8 in linear memory: JS allocates one block with `ld_alloc`, writes the
// call's texts there one after another (TextEncoder.encodeInto) and passes the block and
// their lengths; the call answers with the address of one `CallResult`, which JS reads
// through one typed view: status, the output (or the error), the ledger (or findings, or a
// request's pattern), a new policy's handle, and how deep the shadow stack went. JS decodes
// what it needs, then `ld_release` zeroes and frees the result buffers and the input block,
// and JS zeroes the shadow stack the call used. So a call crosses the boundary three times
// (alloc, the call, release), and nothing it read or wrote stays in linear memory.
#include <leastdata/certificate.hpp>
#include <leastdata/filter.hpp>
#include <leastdata/job_ids.hpp>
#include <leastdata/output_spans.hpp>
#include <leastdata/policy.hpp>
#include <leastdata/redact.hpp>
#include <leastdata/request_check.hpp>
#include <leastdata/resources.hpp>
#include <leastdata/wipe.hpp>

#include "ledger_text.hpp"

#include <emscripten/emscripten.h>
#include <emscripten/stack.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace leastdata;

// What a call answers, at a fixed address. The field order is the contract with
// js/engine.js (readResult): eleven 32-bit words, wasm32 pointers and sizes.
struct CallResult {
      std::uint32_t failed = 0;         // 1: `text` holds the error as {"error":{...}}
      std::uint32_t text = 0;           // the output (filtered or redacted text), or the error
      std::uint32_t text_length = 0;
      std::uint32_t extra = 0;          // the ledger, the findings, or a request's pattern
      std::uint32_t extra_length = 0;
      std::uint32_t stack_lowest = 0;   // the deepest shadow-stack address the call reached
      std::uint32_t stack_end = 0;      // the end of the shadow stack (nothing lies below)
      std::uint32_t spans = 0;          // a filter's output spans, when asked (OutputSpan[])
      std::uint32_t span_count = 0;
      std::uint32_t long_numbers = 0;   // 1: sixteen digits in a row (a number JSON.parse may round)
      std::uint32_t handle = 0;         // a compiled policy (ld_compile_policy)
};
static_assert(sizeof(CallResult) == 11 * sizeof(std::uint32_t));

// The outcome of the last call, read by JS right after it. The module is
// single-threaded, so one slot suffices.
struct LastCall {
      WipedBuffer output;
      WipedBuffer extra;  // the ledger, the findings of a redaction, or a request's pattern
      std::vector<OutputSpan> spans;  // where a filter's output can be parsed in pieces
      bool long_numbers = false;      // the output may hold numbers JSON.parse rounds
      CallResult result;
};

LastCall& last_call() {
   static LastCall state;
   return state;
}

// The pseudonym key of this module instance: set from bytes, never readable back,
// wiped by ld_clear_secrets() and when the instance is disposed.
redact::PseudonymKey& pseudonym_key() {
   static redact::PseudonymKey key;
   return key;
}

const redact::PseudonymKey* pseudonym_key_if_set() {
   return pseudonym_key().empty() ? nullptr : &pseudonym_key();
}

std::uintptr_t stack_lowest() {
   const std::uintptr_t end = emscripten_stack_get_end();
   return stack_mark::lowest() < end ? end : stack_mark::lowest();
}

template <typename Buffer>
std::uint32_t address_of(const Buffer& buffer) {
   return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(buffer.data()));
}

// Starts a call that answers with a result: the shadow stack is measured from here.
LastCall& begin_call() {
   stack_mark::reset();
   LastCall& call = last_call();
   call.result = CallResult{};
   return call;
}

// Ends a call: on failure the output slot holds the error (and `extra` only what
// the call says may outlive a failure); returns the address of the result JS reads.
std::uintptr_t end_call(LastCall& call, const Status& status, bool keep_extra = false) {
   if(!status) {
      const std::string text = status.error().to_json();
      call.output.assign(text.begin(), text.end());
      if(!keep_extra) {
         WipedBuffer().swap(call.extra);
      }
   }
   CallResult& result = call.result;
   result.failed = status ? 0 : 1;
   result.text = address_of(call.output);
   result.text_length = static_cast<std::uint32_t>(call.output.size());
   result.extra = address_of(call.extra);
   result.extra_length = static_cast<std::uint32_t>(call.extra.size());
   result.stack_lowest = static_cast<std::uint32_t>(stack_lowest());
   result.stack_end = static_cast<std::uint32_t>(emscripten_stack_get_end());
   result.spans = address_of(call.spans);
   result.span_count = static_cast<std::uint32_t>(call.spans.size());
   result.long_numbers = call.long_numbers ? 1 : 0;
   return reinterpret_cast<std::uintptr_t>(&result);
}

std::span<const std::uint8_t> bytes_at(std::uintptr_t p, std::size_t length) {
   return {reinterpret_cast<const std::uint8_t*>(p), length};
}

std::string_view text_at(std::uintptr_t p, std::size_t length) { return {reinterpret_cast<const char*>(p), length}; }

// Answers a call whose result is one text (a name, a declaration, a table as JSON).
std::uintptr_t answer_text(std::string_view text) {
   LastCall& call = begin_call();
   call.output.assign(text.begin(), text.end());
   return end_call(call, {});
}

// A compiled policy as JS holds it: the address of one of these, from ld_compile_policy
// until ld_policy_delete.
const Policy& policy_at(std::uintptr_t handle) { return *reinterpret_cast<const Policy*>(handle); }

// Which of the ZAF paths in `paths` (joined by NUL bytes, which no path the adapter asks
// about holds) the policy's zaf list allows, as a string of '1' and '0': one call for all
// the nodes of a ZAF answer. Not JSON: a JSON parser here would be a second copy of
// nlohmann's in the module.
std::string allowed_zaf_paths(const Policy& policy, std::string_view paths) {
   std::string allowed;
   for(;;) {
      const auto end = paths.find('\0');
      allowed += policy.allows_zaf_path(paths.substr(0, end)) ? '1' : '0';
      if(end == std::string_view::npos) {
         return allowed;
      }
      paths.remove_prefix(end + 1);
   }
}

// `text` as a JSON string, escaped as the ledger escapes names. For the core's tables and a
// redaction's findings: building them with nlohmann's DOM would make V8 compile its
// serialiser during load(), on every cold start (1.3 ms in Node).
void append_json_string(std::string& out, std::string_view text) {
   out += '"';
   detail::append_json_escaped(out, text);
   out += '"';
}

// The names as a JSON array of strings.
template <typename Names>
std::string json_string_array(const Names& names) {
   std::string out = "[";
   for(std::string_view name : names) {
      if(out.size() > 1) {
         out += ',';
      }
      append_json_string(out, name);
   }
   return out + "]";
}

// The findings of a redaction as JSON, offsets in UTF-16 code units.
std::string findings_json(const std::vector<redact::Finding>& found) {
   std::string findings = "[";
   for(const redact::Finding& finding : found) {
      if(findings.size() > 1) {
         findings += ',';
      }
      findings += "{\"type\":";
      append_json_string(findings, redact::detector_name(finding.type));
      findings += ",\"start\":" + std::to_string(finding.start_utf16) + ",\"end\":" + std::to_string(finding.end_utf16) + "}";
   }
   return findings + "]";
}

// The summary of a verified deletion certificate, as JSON.
std::string certificate_summary_json(const certificate::VerifiedCertificate& c) {
   nlohmann::ordered_json deleted = nlohmann::ordered_json::object();
   for(const auto& [category, count] : c.deleted) {
      deleted[category] = count;
   }
   return nlohmann::ordered_json{{"valid", true},
                                 {"certificate_id", c.certificate_id},
                                 {"subdomain", c.subdomain},
                                 {"trigger", std::string(certificate::trigger_name(c.trigger))},
                                 {"requested_at", c.requested_at},
                                 {"completed_at", c.completed_at},
                                 {"deleted", deleted},
                                 {"method", c.method},
                                 {"storage_region", c.storage_region},
                                 {"issuer", c.issuer},
                                 {"key_id", c.key_id}}
      .dump();
}

}  // namespace

// Every export is named ld_*; js/engine.js is their one caller. Texts arrive as (address,
// length) of UTF-8 in a block JS wrote; "→ result" means the answer is a CallResult address.
extern "C" {

EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_alloc(std::size_t length) {
   return reinterpret_cast<std::uintptr_t>(std::malloc(length == 0 ? 1 : length));
}

// Zeroes and frees [p, p + length).
EMSCRIPTEN_KEEPALIVE void ld_free(std::uintptr_t p, std::size_t length) {
   secure_zero(reinterpret_cast<void*>(p), length);
   std::free(reinterpret_cast<void*>(p));
}

// Wipes and frees the last call's buffers (the zeroing allocator zeroes on free), and the
// input block [input, input + capacity) the call read, if any.
EMSCRIPTEN_KEEPALIVE void ld_release(std::uintptr_t input, std::size_t capacity) {
   LastCall& call = last_call();
   WipedBuffer().swap(call.output);
   WipedBuffer().swap(call.extra);
   std::vector<OutputSpan>().swap(call.spans);
   call.long_numbers = false;
   call.result = CallResult{};
   if(input != 0) {
      ld_free(input, capacity);
   }
}

EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_stack_lowest() { return stack_lowest(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_stack_current() { return emscripten_stack_get_current(); }
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_stack_end() { return emscripten_stack_get_end(); }

EMSCRIPTEN_KEEPALIVE std::size_t ld_max_depth_ceiling() { return max_depth_ceiling(); }
EMSCRIPTEN_KEEPALIVE std::size_t ld_max_input_bytes_ceiling() { return max_input_bytes_ceiling(); }

// → result: the policy's handle, or the error.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_compile_policy(std::uintptr_t text, std::size_t length) {
   LastCall& call = begin_call();
   auto policy = Policy::compile(text_at(text, length));
   if(!policy) {
      return end_call(call, policy.error());
   }
   call.result.handle = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(new Policy(std::move(policy).value())));
   return end_call(call, {});
}

EMSCRIPTEN_KEEPALIVE void ld_policy_delete(std::uintptr_t handle) { delete reinterpret_cast<Policy*>(handle); }

EMSCRIPTEN_KEEPALIVE std::size_t ld_policy_max_input_bytes(std::uintptr_t handle) { return policy_at(handle).limits().max_input_bytes; }

// → result: the policy's `name`.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_policy_name(std::uintptr_t handle) { return answer_text(policy_at(handle).name()); }

// → result: the effective selection, normalised.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_policy_selection(std::uintptr_t handle) {
   return answer_text(policy_at(handle).normalized_selection());
}

// → result: what the policy allows, as JCS text.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_policy_declaration(std::uintptr_t handle) {
   return answer_text(policy_at(handle).declaration());
}

// → result: allowed_zaf_paths of the NUL-joined paths.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_policy_allowed_zaf_paths(std::uintptr_t handle, std::uintptr_t paths, std::size_t length) {
   return answer_text(allowed_zaf_paths(policy_at(handle), text_at(paths, length)));
}

// Checks a request before it is sent (DESIGN §2.5) → result: the pattern it is recorded
// under in the access report (no value of it) in `extra`, allowed or not, and the refusal.
// The method, the URL (its query may hold a search for a requester's address) and the
// body, when `has_body`, lie one after another in one block, wiped as filter inputs are.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_policy_check_request(std::uintptr_t handle, std::uintptr_t block, std::size_t method_length,
                                                             std::size_t url_length, std::size_t body_length, bool has_body) {
   LastCall& call = begin_call();
   const std::string_view method = text_at(block, method_length);
   const std::string_view url = text_at(block + method_length, url_length);
   const std::string pattern = RequestRules::pattern_of(method, url);
   call.extra.assign(pattern.begin(), pattern.end());
   std::optional<std::span<const std::uint8_t>> body;
   if(has_body) {
      body.emplace(bytes_at(block + method_length + url_length, body_length));
   }
   // The pattern outlives a refusal: a refused request is recorded too.
   return end_call(call, leastdata::check_request(policy_at(handle), method, url, body), true);
}

// `spans_above` for a call whose output is not parsed in JS: no spans are looked for.
constexpr std::uint32_t not_parsed = UINT32_MAX;

// Filters [input, input + length) → result: the output and the ledger (when asked). Unless
// `spans_above` is not_parsed, also whether the output may hold numbers JSON.parse rounds,
// and, when the output is longer than `spans_above` bytes, its spans: the caller parses it
// in pieces.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_policy_filter(std::uintptr_t handle, std::uintptr_t input, std::size_t length, bool with_ledger,
                                                      std::uint32_t spans_above) {
   LastCall& call = begin_call();
   Ledger ledger;
   ledger.paths_as_json = true;  // only its JSON text leaves the module
   Status status = leastdata::filter(policy_at(handle), bytes_at(input, length), call.output, with_ledger ? &ledger : nullptr,
                                     pseudonym_key_if_set());
   if(status && with_ledger) {
      const std::string text = ledger.to_json();
      call.extra.assign(text.begin(), text.end());
   }
   if(status && spans_above != not_parsed) {
      call.long_numbers = has_long_digit_run(call.output);
      if(call.output.size() > spans_above && !find_output_spans(call.output, call.spans)) {
         status = Error(ErrorCode::internal_error, "the filter's output is not compact JSON");
      }
   }
   return end_call(call, status);
}

// Redacts the UTF-8 text at the start of `block` with the detectors named after it ("all"
// or a comma-separated list) and the action named after those → result: the text as the
// output, the findings (JSON, UTF-16 offsets) as `extra`.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_redact(std::uintptr_t block, std::size_t text_length, std::size_t detect_length,
                                               std::size_t action_length) {
   LastCall& call = begin_call();
   const auto detectors = redact::DetectorSet::parse(text_at(block + text_length, detect_length));
   if(!detectors) {
      return end_call(call, detectors.error());
   }
   const std::string action_name(text_at(block + text_length + detect_length, action_length));
   const auto action = redact::action_from_name(action_name);
   if(!action) {
      return end_call(call, Error(ErrorCode::invalid_argument,
                                  "unknown action \"" + action_name + "\" (known: remove, label, mask, pseudonym)"));
   }
   auto result = redact::redact(text_at(block, text_length), detectors.value(), *action, pseudonym_key_if_set());
   if(!result) {
      return end_call(call, result.error());
   }
   call.output = std::move(result.value().text);
   const std::string findings = findings_json(result.value().findings);
   call.extra.assign(findings.begin(), findings.end());
   return end_call(call, {});
}

// → result: the detectors' wire names, in the core's order, as a JSON array: the JS API
// and its checks take the list from here.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_detectors() {
   std::vector<std::string_view> names;
   for(std::size_t i = 0; i != redact::detector_count(); ++i) {
      names.push_back(redact::detector_name(static_cast<redact::Detector>(i)));
   }
   return answer_text(json_string_array(names));
}

// Sets the pseudonym key of this module instance from [bytes, bytes + length) → result.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_set_pseudonym_key(std::uintptr_t bytes, std::size_t length) {
   LastCall& call = begin_call();
   return end_call(call, pseudonym_key().set(reinterpret_cast<const std::uint8_t*>(bytes), length));
}

EMSCRIPTEN_KEEPALIVE void ld_clear_secrets() { pseudonym_key().clear(); }

// Verifies a deletion certificate against a published key set (Ed25519 over JCS); the two
// JSON texts lie one after the other in `block` → result: a summary as JSON, or the error.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_verify_certificate(std::uintptr_t block, std::size_t certificate_length, std::size_t keys_length) {
   LastCall& call = begin_call();
   auto verified = certificate::verify(text_at(block, certificate_length), text_at(block + certificate_length, keys_length));
   if(!verified) {
      return end_call(call, verified.error());
   }
   const std::string summary = certificate_summary_json(verified.value());
   call.output.assign(summary.begin(), summary.end());
   return end_call(call, {});
}

// → result: whether the JSON text holds only bare job IDs (DESIGN §10), or the error.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_check_job_ids(std::uintptr_t text, std::size_t length) {
   LastCall& call = begin_call();
   return end_call(call, check_job_ids(text_at(text, length)));
}

// → result: the resource table of DESIGN §2.2 as JSON, so the JS access report groups paths
// by the same envelopes the policy compiler expands: {"tickets":"ticket","ticket":"ticket",...}.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_resource_members() {
   std::string members = "{";
   const auto add = [&members](std::string_view member, std::string_view resource) {
      if(members.size() > 1) {
         members += ',';
      }
      append_json_string(members, member);
      members += ':';
      append_json_string(members, resource);
   };
   for(const ResourceEnvelope& row : resource_envelopes()) {
      if(!row.singular.empty()) {
         add(row.singular, row.resource);
      }
      add(row.plural, row.resource);
   }
   return answer_text(members + "}");
}

// → result: the pagination envelope of DESIGN §2.2 as a JSON array of member names.
EMSCRIPTEN_KEEPALIVE std::uintptr_t ld_pagination_members() {
   return answer_text(json_string_array(pagination_members()));
}

}  // extern "C"
