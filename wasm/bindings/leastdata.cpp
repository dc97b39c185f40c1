// The embind surface of the core: the only place JavaScript touches C++.
//
// Payload bytes never cross as JS strings through embind (its string marshalling
// frees without zeroing). Instead JS allocates with `alloc`, writes UTF-8 straight into
// linear memory (TextEncoder.encodeInto), and calls `filter`; the result stays in a
// wiped buffer that JS decodes once and then releases, which zeroes it. `release`
// and `free` zero before freeing, and JS zeroes the shadow stack the call used
// (`stackLowest`..`stackCurrent`) after each call.
#include <leastdata/certificate.hpp>
#include <leastdata/filter.hpp>
#include <leastdata/job_ids.hpp>
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

// The outcome of the last call, read by JS right after it. The module is
// single-threaded, so one slot suffices.
struct LastCall {
      std::optional<Error> error;
      WipedBuffer output;
      WipedBuffer ledger;  // the ledger, or the findings of a redaction, as JSON
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

class PolicyBinding final {
   public:
      explicit PolicyBinding(Policy policy) : m_policy(std::move(policy)) {}

      std::string name() const { return m_policy.name(); }
      std::string normalized_selection() const { return m_policy.normalized_selection(); }
      bool allows_zaf_path(const std::string& path) const { return m_policy.allows_zaf_path(path); }
      double max_input_bytes() const { return static_cast<double>(m_policy.limits().max_input_bytes); }
      std::string declaration() const { return m_policy.declaration(); }

      // Checks a request before it is sent (DESIGN §2.5). The URL (its query may hold a
      // search for a requester's address) and the body, when `has_body`, are UTF-8 in linear
      // memory, written there and wiped as filter inputs are.
      bool check_request(const std::string& method, std::uintptr_t url, std::size_t url_length, std::uintptr_t body,
                         std::size_t body_length, bool has_body) const {
         last_call().error.reset();
         std::optional<std::span<const std::uint8_t>> bytes;
         if(has_body) {
            bytes.emplace(reinterpret_cast<const std::uint8_t*>(body), body_length);
         }
         const std::string_view url_text(reinterpret_cast<const char*>(url), url_length);
         Status status = leastdata::check_request(m_policy, method, url_text, bytes);
         if(!status) {
            set_error(status.error());
            return false;
         }
         return true;
      }

      // Filters [input, input + length). True on success: output (and ledger, when
      // asked) are then in the last-call buffers; false leaves the error there.
      bool filter(std::uintptr_t input, std::size_t length, bool with_ledger) const {
         LastCall& call = last_call();
         call.error.reset();
         std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(input), length);
         Ledger ledger;
         Status status =
            leastdata::filter(m_policy, bytes, call.output, with_ledger ? &ledger : nullptr, pseudonym_key_if_set());
         if(!status) {
            set_error(status.error());
            return false;
         }
         if(with_ledger) {
            const std::string text = ledger.to_json();
            call.ledger.assign(text.begin(), text.end());
         }
         return true;
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

std::uintptr_t output_ptr() { return reinterpret_cast<std::uintptr_t>(last_call().output.data()); }
std::size_t output_length() { return last_call().output.size(); }
std::uintptr_t ledger_ptr() { return reinterpret_cast<std::uintptr_t>(last_call().ledger.data()); }
std::size_t ledger_length() { return last_call().ledger.size(); }

// Wipes and frees the last call's buffers (the zeroing allocator zeroes on free).
void release() {
   LastCall& call = last_call();
   WipedBuffer().swap(call.output);
   WipedBuffer().swap(call.ledger);
   call.error.reset();
}

std::uintptr_t alloc(std::size_t length) { return reinterpret_cast<std::uintptr_t>(std::malloc(length == 0 ? 1 : length)); }

void free_wiped(std::uintptr_t p, std::size_t length) {
   secure_zero(reinterpret_cast<void*>(p), length);
   std::free(reinterpret_cast<void*>(p));
}

std::uintptr_t stack_lowest() {
   const std::uintptr_t end = emscripten_stack_get_end();
   return stack_mark::lowest() < end ? end : stack_mark::lowest();
}
std::uintptr_t stack_current() { return emscripten_stack_get_current(); }
std::uintptr_t stack_end() { return emscripten_stack_get_end(); }
void stack_reset() { stack_mark::reset(); }

// Redacts the UTF-8 text at [input, input + length). On success the text is in the
// output slot and the findings, as JSON with UTF-16 offsets, in the ledger slot.
bool redact_text(std::uintptr_t input, std::size_t length, unsigned detector_mask, const std::string& action_name) {
   LastCall& call = last_call();
   call.error.reset();
   const auto action = redact::action_from_name(action_name);
   if(!action) {
      set_error(Error(ErrorCode::invalid_argument,
                      "unknown action \"" + action_name + "\" (known: remove, label, mask, pseudonym)"));
      return false;
   }
   const auto detectors = redact::DetectorSet::from_mask(static_cast<std::uint8_t>(detector_mask));
   std::string_view text(reinterpret_cast<const char*>(input), length);
   auto result = redact::redact(text, detectors, *action, pseudonym_key_if_set());
   if(!result) {
      set_error(result.error());
      return false;
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
   call.ledger.assign(findings.begin(), findings.end());
   return true;
}

// The detector mask for a comma-separated list of names, or "all"; -1 on an unknown name.
int detector_mask(const std::string& spec) {
   auto parsed = redact::DetectorSet::parse(spec);
   if(!parsed) {
      set_error(parsed.error());
      return -1;
   }
   return parsed.value().mask();
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

// The pattern a request is recorded under in the access report: no value of it, so it
// may cross back as a JS string. The URL comes in as wiped linear memory.
std::string request_pattern(const std::string& method, std::uintptr_t url, std::size_t url_length) {
   return RequestRules::pattern_of(method, std::string_view(reinterpret_cast<const char*>(url), url_length));
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
      .function("checkRequest", &PolicyBinding::check_request)
      .function("filter", &PolicyBinding::filter);
   function("compilePolicy", &compile_policy);
   function("lastError", &last_error_json);
   function("outputPtr", &output_ptr);
   function("outputLength", &output_length);
   function("ledgerPtr", &ledger_ptr);
   function("ledgerLength", &ledger_length);
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
   function("detectorMask", &detector_mask);
   function("setPseudonymKey", &set_pseudonym_key);
   function("clearSecrets", &clear_secrets);
   function("maxDepthCeiling", &max_depth_ceiling_value);
   function("maxInputBytesCeiling", &max_input_bytes_ceiling_value);
   function("requestPattern", &request_pattern);
   function("resourceMembers", &resource_members);
}
