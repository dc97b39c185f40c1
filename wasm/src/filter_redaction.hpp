// Redaction of kept string values during the filter (DESIGN §5: policy `redact.rules`
// apply to kept strings at ledger-style paths). Internal to the core.
//
// The projection asks, for each kept string, whether a rule names its path; a string a
// rule applies to is written redacted instead of copied. Kept apart from the walk and the
// projection so that neither has to know about detectors, actions or pseudonym keys.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/ledger.hpp>
#include <leastdata/policy.hpp>

#include "filter_output.hpp"
#include "json_text.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace leastdata::detail {

class StringRedaction final {
   public:
      StringRedaction(const std::vector<RedactRule>& rules, const redact::PseudonymKey* pseudonym_key, Ledger* ledger) :
            m_rules(rules), m_pseudonym_key(pseudonym_key), m_ledger(ledger) {}

      /// Whether any rule exists (paths need tracking only then, or for a ledger).
      bool any() const noexcept { return !m_rules.empty(); }

      /// The rule for strings at `path`, or null.
      const RedactRule* rule_at(std::string_view path) const noexcept {
         for(const RedactRule& rule : m_rules) {
            if(rule.path == path) {
               return &rule;
            }
         }
         return nullptr;
      }

      /// Writes the string token [token, token_end) (contents `span`) redacted under
      /// `rule`. A string with no finding keeps its exact bytes; otherwise the redacted
      /// text is written as a newly escaped JSON string. An error (an escaped lone
      /// surrogate cannot be scanned; a pseudonym rule without a key) is returned, with
      /// the string's offset to be added by the caller: it never passes through unredacted.
      std::optional<Error> write(const RedactRule& rule, const json_text::StringSpan& span, const std::uint8_t* token,
                                 const std::uint8_t* token_end, FilterOutput& output);

   private:
      void note(const std::vector<redact::Finding>& findings);

      const std::vector<RedactRule>& m_rules;
      const redact::PseudonymKey* m_pseudonym_key;
      Ledger* m_ledger;
};

}  // namespace leastdata::detail
