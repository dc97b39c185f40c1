// The table of redaction detectors (DESIGN §5): the one place a detector is declared.
//
// Each row gives a detector its identifier (the `Detector` value, in row order, and its
// wire name), the label of the `label` action, its rank when equally long candidates start
// at the same place (lower wins), how the `mask` action shows it and which normal form its
// pseudonym is computed over. The enum, the names, the JS API's list (the module's
// `detectors()`), the policy compiler's messages and the actions all read this table; a
// detector's scanner (redact/<name>.cpp) and where the scan triggers it (redact/find.cpp)
// are its own code.
//
// A macro table, because the enum and the rows must come from the same lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

//        identifier   label          rank  mask                  normal form
#define LEASTDATA_REDACT_DETECTORS(ROW)                                         \
   ROW(email,        "EMAIL",       0,    first_char_and_domain, lowercase)    \
   ROW(phone,        "PHONE",       6,    keep_tail,             alphanumeric) \
   ROW(credit_card,  "CREDIT_CARD", 4,    keep_tail,             alphanumeric) \
   ROW(iban,         "IBAN",        3,    keep_tail,             alphanumeric) \
   ROW(ip,           "IP",          5,    keep_separators,       lowercase)    \
   ROW(url_secret,   "URL_SECRET",  1,    hide_all,              exact)        \
   ROW(jwt,          "JWT",         2,    keep_dots,             exact)

namespace leastdata::redact {

/// The kinds of personal data the scanners recognise, in table order.
enum class Detector : std::uint8_t {
#define LEASTDATA_DETECTOR_ENUM(id, label, rank, mask, normal) id,
   LEASTDATA_REDACT_DETECTORS(LEASTDATA_DETECTOR_ENUM)
#undef LEASTDATA_DETECTOR_ENUM
};

/// How the `mask` action shows a finding.
enum class MaskStyle : std::uint8_t {
   first_char_and_domain,  // j***@example.com
   keep_tail,              // the last four letters/digits; separators stay
   keep_separators,        // '.', ':' and '/' stay (an address's family shows, no digit of it)
   keep_dots,              // a token's three-part shape is public, its content is not
   hide_all,               // not even a secret's punctuation is shown
};

/// The form a finding is normalised to before its pseudonym is computed.
enum class NormalForm : std::uint8_t {
   lowercase,     // ASCII letters lowercased
   alphanumeric,  // letters and digits only, letters uppercased
   exact,         // as written
};

/// One row of the table.
struct DetectorInfo {
      Detector detector;
      std::string_view name;
      std::string_view label;
      std::uint8_t rank;
      MaskStyle mask;
      NormalForm normal_form;
};

inline constexpr DetectorInfo detector_table[] = {
#define LEASTDATA_DETECTOR_ROW(id, label, rank, mask, normal) \
   {Detector::id, #id, label, rank, MaskStyle::mask, NormalForm::normal},
   LEASTDATA_REDACT_DETECTORS(LEASTDATA_DETECTOR_ROW)
#undef LEASTDATA_DETECTOR_ROW
};

/// Number of detectors; every `Detector` value is below it.
constexpr std::size_t detector_count() noexcept { return std::size(detector_table); }

/// The row of `detector`.
constexpr const DetectorInfo& detector_info(Detector detector) noexcept {
   return detector_table[static_cast<std::size_t>(detector)];
}

}  // namespace leastdata::redact
