// The embind surface of the core: the only place JavaScript touches C++.
//
// Payload bytes never cross as JS strings through embind (its string marshalling
// frees without zeroing). Instead JS allocates with `alloc`, writes UTF-8 straight into
// linear memory (TextEncoder.encodeInto), and calls `filter` (or `redact`, `checkRequest`);
// the call answers with the address of one `CallResult` in linear memory, which JS reads
// through one typed view: status, the output (or the error) and the ledger (or findings,
// or a request's pattern) as pointer and length, and how deep the shadow stack went. JS
// decodes what it needs, then `release` zeroes and frees the result buffers and the input
// block, and JS zeroes the shadow stack the call used. So a payload call crosses the
// boundary three times: alloc, the call, release.
#include <leastdata/certificate.hpp>
#include <leastdata/filter.hpp>
#include <leastdata/job_ids.hpp>
#include <leastdata/output_spans.hpp>
#include <leastdata/policy.hpp>
#include <leastdata/redact.hpp>
#include <leastdata/request_check.hpp>
#include <leastdata/resources.hpp>
#include <leastdata/wipe.hpp>

#include <emscripten/bind.h>
#include <emscripten/stack.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace {

using namespace leastdata;

// What a payload call answers, at a fixed address. The field order is the contract with
// js/engine.js (readResult): seven 32-bit words, wasm32 pointers and sizes.
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
};
static_assert(sizeof(CallResult) == 10 * sizeof(std::uint32_t));

// The outcome of the last call, read by JS right after it. The module is
// single-threaded, so one slot suffices.
struct LastCall {
      std::optional<Error> error;
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
// wiped by clearSecrets() and when the instance is disposed.
redact::PseudonymKey& pseudonym_key() {
   static redact::PseudonymKey key;
   return key;
}

const redact::PseudonymKey* pseudonym_key_if_set() {
   return pseudonym_key().empty() ? nullptr : &pseudonym_key();
}

void set_error(Error error) { last_call().error = std::move(error); }

std::uintptr_t stack_lowest() {
   const std::uintptr_t end = emscripten_stack_get_end();
   return stack_mark::lowest() < end ? end : stack_mark::lowest();
}

template <typename Buffer>
std::uint32_t address_of(const Buffer& buffer) {
   return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(buffer.data()));
}

// Starts a payload call: the shadow stack is measured from here.
LastCall& begin_call() {
   stack_mark::reset();
   LastCall& call = last_call();
   call.error.reset();
   return call;
}

// Ends a payload call: on failure the output slot holds the error (and `extra` only what
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

class PolicyBinding final {
   public:
      static constexpr std::uint32_t not_parsed = UINT32_MAX;

      explicit PolicyBinding(Policy policy) : m_policy(std::move(policy)) {}

      std::string name() const { return m_policy.name(); }
      std::string normalized_selection() const { return m_policy.normalized_selection(); }
      bool allows_zaf_path(const std::string& path) const { return m_policy.allows_zaf_path(path); }
      double max_input_bytes() const { return static_cast<double>(m_policy.limits().max_input_bytes); }
      std::string declaration() const { return m_policy.declaration(); }

      // Which of the ZAF paths in `paths` (joined by NUL bytes, which no path the adapter asks
      // about holds) the policy's zaf list allows, as a string of '1' and '0': one call for all
      // the nodes of a ZAF answer. Not JSON: a JSON parser here would be a second copy of
      // nlohmann's in the module.
      std::string allowed_zaf_paths(const std::string& paths) const {
         std::string allowed;
         std::string_view rest(paths);
         for(;;) {
            const auto end = rest.find('\0');
            allowed += m_policy.allows_zaf_path(rest.substr(0, end)) ? '1' : '0';
            if(end == std::string_view::npos) {
               return allowed;
            }
            rest.remove_prefix(end + 1);
         }
      }

      // Checks a request before it is sent (DESIGN §2.5), and gives the pattern it is
      // recorded under in the access report (no value of it) in the result's `extra`,
      // allowed or not. The URL (its query may hold a search for a requester's address) and
      // the body, when `has_body`, are UTF-8 in one block of linear memory, written there
      // and wiped as filter inputs are.
      std::uintptr_t check_request(const std::string& method, std::uintptr_t block, std::size_t url_length,
                                   std::size_t body_length, bool has_body) const {
         LastCall& call = begin_call();
         const std::string_view url(reinterpret_cast<const char*>(block), url_length);
         const std::string pattern = RequestRules::pattern_of(method, url);
         call.extra.assign(pattern.begin(), pattern.end());
         std::optional<std::span<const std::uint8_t>> body;
         if(has_body) {
            body.emplace(bytes_at(block + url_length, body_length));
         }
         // The pattern outlives a refusal: a refused request is recorded too.
         return end_call(call, leastdata::check_request(m_policy, method, url, body), true);
      }

      // Filters [input, input + length); the output and the ledger (when asked) are in the
      // result. Unless `spans_above` is UINT32_MAX (the caller will not parse the output),
      // so is whether the output may hold numbers JSON.parse rounds, and, when the output
      // is longer than `spans_above` bytes, its spans: the caller parses it in pieces.
      std::uintptr_t filter(std::uintptr_t input, std::size_t length, bool with_ledger, std::uint32_t spans_above) const {
         LastCall& call = begin_call();
         Ledger ledger;
         ledger.paths_as_json = true;  // only its JSON text leaves the module
         Status status = leastdata::filter(m_policy, bytes_at(input, length), call.output,
                                           with_ledger ? &ledger : nullptr, pseudonym_key_if_set());
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

   private:
      Policy m_policy;
};

std::unique_ptr<PolicyBinding> compile_policy(const std::string& json_text) {
   last_call().error.reset();
   auto policy = Policy::compile(json_text);
   if(!policy) {
      set_error(policy.error());
      return nullptr;
   }
   return std::make_unique<PolicyBinding>(std::move(policy).value());
}

// The last error as `{"error":{...}}`, or an empty string.
std::string last_error_json() {
   const auto& error = last_call().error;
   return error ? error->to_json() : std::string();
}

// Wipes and frees the last call's buffers (the zeroing allocator zeroes on free), and the
// input block [input, input + capacity) the call read, if any.
void release(std::uintptr_t input, std::size_t capacity) {
   LastCall& call = last_call();
   WipedBuffer().swap(call.output);
   WipedBuffer().swap(call.extra);
   std::vector<OutputSpan>().swap(call.spans);
   call.long_numbers = false;
   call.error.reset();
   call.result = CallResult{};
   if(input != 0) {
      secure_zero(reinterpret_cast<void*>(input), capacity);
      std::free(reinterpret_cast<void*>(input));
   }
}

std::uintptr_t alloc(std::size_t length) { return reinterpret_cast<std::uintptr_t>(std::malloc(length == 0 ? 1 : length)); }

void free_wiped(std::uintptr_t p, std::size_t length) {
   secure_zero(reinterpret_cast<void*>(p), length);
   std::free(reinterpret_cast<void*>(p));
}

std::uintptr_t stack_current() { return emscripten_stack_get_current(); }
std::uintptr_t stack_end() { return emscripten_stack_get_end(); }
void stack_reset() { stack_mark::reset(); }

// Redacts the UTF-8 text at [input, input + length) with the detectors named in `detect`
// ("all" or a comma-separated list) and the action named `action_name`. The text is the
// result's output, the findings (JSON, UTF-16 offsets) its `extra`.
std::uintptr_t redact_text(std::uintptr_t input, std::size_t length, const std::string& detect,
                           const std::string& action_name) {
   LastCall& call = begin_call();
   const auto detectors = redact::DetectorSet::parse(detect);
   if(!detectors) {
      return end_call(call, detectors.error());
   }
   const auto action = redact::action_from_name(action_name);
   if(!action) {
      return end_call(call, Error(ErrorCode::invalid_argument,
                                  "unknown action \"" + action_name + "\" (known: remove, label, mask, pseudonym)"));
   }
   std::string_view text(reinterpret_cast<const char*>(input), length);
   auto result = redact::redact(text, detectors.value(), *action, pseudonym_key_if_set());
   if(!result) {
      return end_call(call, result.error());
   }
   call.output = std::move(result.value().text);
   std::string findings = "[";
   for(const redact::Finding& finding : result.value().findings) {
      if(findings.size() > 1) {
         findings += ',';
      }
      findings += "{\"type\":\"" + std::string(redact::detector_name(finding.type)) +
                  "\",\"start\":" + std::to_string(finding.start_utf16) + ",\"end\":" + std::to_string(finding.end_utf16) + "}";
   }
   findings += "]";
   call.extra.assign(findings.begin(), findings.end());
   return end_call(call, {});
}

// The detectors' wire names, in the core's order, as a JSON array: the JS API and its
// checks take the list from here.
std::string detector_names_json() {
   nlohmann::json names = nlohmann::json::array();
   for(std::size_t i = 0; i != redact::detector_count(); ++i) {
      names.push_back(std::string(redact::detector_name(static_cast<redact::Detector>(i))));
   }
   return names.dump();
}

bool set_pseudonym_key(std::uintptr_t bytes, std::size_t length) {
   Status status = pseudonym_key().set(reinterpret_cast<const std::uint8_t*>(bytes), length);
   if(!status) {
      set_error(status.error());
      return false;
   }
   return true;
}

void clear_secrets() { pseudonym_key().clear(); }

// Verifies a deletion certificate against a published key set (Ed25519 over JCS). On
// success returns a summary as JSON; on failure an empty string, the error in lastError.
std::string verify_certificate(const std::string& certificate_json, const std::string& keys_json) {
   last_call().error.reset();
   auto verified = certificate::verify(certificate_json, keys_json);
   if(!verified) {
      set_error(verified.error());
      return std::string();
   }
   const certificate::VerifiedCertificate& c = verified.value();
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

bool check_job_ids_text(const std::string& ids_json) {
   last_call().error.reset();
   Status status = check_job_ids(ids_json);
   if(!status) {
      set_error(status.error());
      return false;
   }
   return true;
}

// The resource table of DESIGN §2.2 as JSON, so the JS access report groups paths by the
// same envelopes the policy compiler expands: {"tickets":"ticket","ticket":"ticket",...}.
std::string resource_members() {
   nlohmann::json members = nlohmann::json::object();
   for(const ResourceEnvelope& row : resource_envelopes()) {
      if(!row.singular.empty()) {
         members[std::string(row.singular)] = row.resource;
      }
      members[std::string(row.plural)] = row.resource;
   }
   return members.dump();
}

// The pagination envelope of DESIGN §2.2 as a JSON array of member names.
std::string pagination_members_json() {
   nlohmann::json members = nlohmann::json::array();
   for(std::string_view member : pagination_members()) {
      members.push_back(std::string(member));
   }
   return members.dump();
}

std::size_t max_depth_ceiling_value() { return max_depth_ceiling(); }
std::size_t max_input_bytes_ceiling_value() { return max_input_bytes_ceiling(); }

}  // namespace

EMSCRIPTEN_BINDINGS(leastdata) {
   using namespace emscripten;
   class_<PolicyBinding>("Policy")
      .function("name", &PolicyBinding::name)
      .function("normalizedSelection", &PolicyBinding::normalized_selection)
      .function("allowsZafPath", &PolicyBinding::allows_zaf_path)
      .function("maxInputBytes", &PolicyBinding::max_input_bytes)
      .function("declaration", &PolicyBinding::declaration)
      .function("allowedZafPaths", &PolicyBinding::allowed_zaf_paths)
      .function("checkRequest", &PolicyBinding::check_request)
      .function("filter", &PolicyBinding::filter);
   function("compilePolicy", &compile_policy);
   function("lastError", &last_error_json);
   function("release", &release);
   function("alloc", &alloc);
   function("free", &free_wiped);
   function("stackLowest", &stack_lowest);
   function("stackCurrent", &stack_current);
   function("stackEnd", &stack_end);
   function("stackReset", &stack_reset);
   function("verifyCertificate", &verify_certificate);
   function("checkJobIds", &check_job_ids_text);
   function("redact", &redact_text);
   function("detectors", &detector_names_json);
   function("setPseudonymKey", &set_pseudonym_key);
   function("clearSecrets", &clear_secrets);
   function("maxDepthCeiling", &max_depth_ceiling_value);
   function("maxInputBytesCeiling", &max_input_bytes_ceiling_value);
   function("resourceMembers", &resource_members);
   function("paginationMembers", &pagination_members_json);
}
