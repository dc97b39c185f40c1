// Redaction of kept string values during the filter (see filter_redaction.hpp).
#include "filter_redaction.hpp"

#include <leastdata/redact.hpp>

#include <algorithm>
#include <string>

namespace leastdata::detail {

std::optional<Error> StringRedaction::write(const RedactRule& rule, const json_text::StringSpan& span,
                                            const std::uint8_t* token, const std::uint8_t* token_end,
                                            FilterOutput& output) {
   std::string decoded;
   std::string_view text(reinterpret_cast<const char*>(span.begin), static_cast<std::size_t>(span.end - span.begin));
   if(span.escaped) {
      decoded = json_text::decode_string(span.begin, span.end);
      text = decoded;
   }
   auto redacted = redact::redact(text, rule.detect, rule.action, m_pseudonym_key);
   if(!redacted) {
      const Error& error = redacted.error();
      return Error(error.code(), "redact rule " + rule.path + ": " + error.message());
   }
   if(redacted.value().findings.empty()) {
      output.put(token, token_end);
      return std::nullopt;
   }
   note(redacted.value().findings);
   const WipedBuffer& out = redacted.value().text;
   // Escaping at most sextuples a byte (\u00XX), plus the two quotes.
   output.reserve_growth(out.size() * 6 + 2);
   output.put('"');
   for(std::uint8_t byte : out) {
      output.put_escaped(byte);
   }
   output.put('"');
   output.settle_growth();
   return std::nullopt;
}

// Counts of findings by detector for the ledger (types only, never values).
void StringRedaction::note(const std::vector<redact::Finding>& findings) {
   if(m_ledger == nullptr) {
      return;
   }
   for(const redact::Finding& finding : findings) {
      const std::string_view type = redact::detector_name(finding.type);
      auto& counts = m_ledger->redacted;
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& entry) { return entry.first == type; });
      if(it == counts.end()) {
         counts.emplace_back(type, 1);
      } else {
         ++it->second;
      }
   }
}

}  // namespace leastdata::detail
