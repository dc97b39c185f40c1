// `redact`: validate, find, then rebuild the text with each finding replaced, in a buffer
// that is wiped when released (so is every reallocation on the way).

#include <leastdata/redact.hpp>

#include "actions.hpp"
#include "pseudonym.hpp"
#include "utf8.hpp"

#include <optional>
#include <utility>

namespace leastdata::redact {

namespace {

/// Room for the longest replacement a finding can need beyond its own length
/// ("<CREDIT_CARD:12345678>" for a 13-character card; "j***@" for "j@").
constexpr std::size_t replacement_slack = 24;

}  // namespace

Result<Redaction> redact(std::string_view utf8, DetectorSet detectors, Action action, const PseudonymKey* key) {
   std::optional<Pseudonymizer> pseudonymizer;
   if(action == Action::pseudonym) {
      if(key == nullptr) {
         return Error(ErrorCode::invalid_argument, "the pseudonym action needs a key");
      }
      auto created = Pseudonymizer::create(*key);
      if(!created) {
         return created.error();
      }
      pseudonymizer.emplace(std::move(created).value());
   }
   if(const auto offset = detail::first_invalid_utf8(utf8)) {
      return Error(ErrorCode::invalid_utf8, "input is not valid UTF-8", *offset);
   }

   Redaction result;
   result.findings = find(utf8, detectors);
   WipedBuffer& out = result.text;
   out.reserve(utf8.size() + result.findings.size() * replacement_slack);

   std::size_t copied = 0;
   for(const Finding& finding : result.findings) {
      detail::append(out, utf8.substr(copied, finding.start - copied));
      const std::string_view value = utf8.substr(finding.start, finding.end - finding.start);
      switch(action) {
         case Action::remove:
            break;
         case Action::label:
            detail::append_label(out, finding.type);
            break;
         case Action::mask:
            detail::append_mask(out, finding.type, value);
            break;
         case Action::pseudonym:
            pseudonymizer->append_token(out, finding.type, value);
            break;
      }
      copied = finding.end;
   }
   detail::append(out, utf8.substr(copied));
   return Result<Redaction>(std::move(result));
}

}  // namespace leastdata::redact
