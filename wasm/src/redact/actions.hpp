// Replacement text of the label, mask and pseudonym actions, written straight into the
// (wiped) output buffer.
#pragma once

#include <leastdata/redact.hpp>

#include <string_view>

namespace leastdata::redact::detail {

/// The upper-case tag of a detector in replacements: "EMAIL", "CREDIT_CARD", ...
std::string_view label_of(Detector type) noexcept;

inline void append(WipedBuffer& out, std::string_view bytes) {
   out.insert(out.end(), bytes.begin(), bytes.end());
}

/// `<EMAIL>`, `<PHONE>`, ...
void append_label(WipedBuffer& out, Detector type);

/// The masked form of `value` (a finding of `type`); see docs/redaction.md.
void append_mask(WipedBuffer& out, Detector type, std::string_view value);

/// The value a pseudonym is computed over: e-mail and IP lowercased; phone, card and IBAN
/// reduced to their letters and digits, uppercased; anything else unchanged. Appended to
/// `out`, a wiped buffer, because it is a copy of personal data.
void append_normalised(WipedBuffer& out, Detector type, std::string_view value);

}  // namespace leastdata::redact::detail
