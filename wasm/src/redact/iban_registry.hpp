// The ISO 13616 IBAN registry as the `iban` detector needs it: for every country that issues
// IBANs, the IBAN length and the structure of the national part (BBAN). The table itself,
// its source and the registry release are in iban_registry.cpp; docs/redaction.md lists the
// countries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace leastdata::redact::detail {

struct IbanFormat {
      /// Characters of the whole IBAN (country code, check digits and BBAN).
      std::size_t length;
      /// The BBAN structure in the registry's notation: segments of a count, '!' (fixed
      /// length) and a class — 'n' digits, 'a' letters, 'c' letters or digits ("8!n10!n").
      std::string_view bban;
};

/// The IBAN format of the country with the code `a` `b` (uppercase ASCII letters), or
/// nothing when the registry has no such country.
std::optional<IbanFormat> iban_format(std::uint8_t a, std::uint8_t b) noexcept;

}  // namespace leastdata::redact::detail
