// Checking a request and its body against a policy (see request_check.hpp).
#include <leastdata/request_check.hpp>

#include <leastdata/ledger.hpp>
#include <leastdata/wipe.hpp>

#include "filter_plan.hpp"

#include <string>
#include <vector>

namespace leastdata {

namespace {

Status check_body(const Policy& policy, std::span<const std::uint8_t> body) {
   const detail::Plan* write = policy.write_plan();
   if(write == nullptr) {
      return Error(ErrorCode::write_not_allowed, "the policy declares no write selection, so no request body is allowed");
   }
   // The write selection is checked as it is written: no redaction rule applies to it.
   static const std::vector<RedactRule> no_redaction;
   WipedBuffer kept;
   Ledger ledger;
   Status status = detail::filter_with_plan(*write, policy.limits(), no_redaction, body, kept, &ledger, nullptr);
   if(!status) {
      return status;
   }
   if(ledger.fields_dropped == 0) {
      return {};
   }
   // dropped_paths is in input order: its first entry is the first path outside `write`.
   const std::string& first = ledger.dropped_paths.front().first;
   const std::string where = first.empty() ? std::string("the body's top-level value") : "\"" + first + "\"";
   const std::string more = ledger.fields_dropped == 1
                               ? std::string()
                               : " (and " + std::to_string(ledger.fields_dropped - 1) + " more member(s) or element(s))";
   return Error(ErrorCode::write_not_allowed,
                where + " is outside the policy's write selection" + more + "; the body is refused whole, never trimmed");
}

}  // namespace

Status check_request(const Policy& policy, std::string_view method, std::string_view url,
                     std::optional<std::span<const std::uint8_t>> body) {
   if(!policy.requests().allows(method, url)) {
      return Error(ErrorCode::request_not_allowed,
                   RequestRules::pattern_of(method, url) + " is not in the policy's requests");
   }
   if(body) {
      return check_body(policy, *body);
   }
   return {};
}

}  // namespace leastdata
