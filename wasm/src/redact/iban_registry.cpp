// The ISO 13616 IBAN registry: every country code the registry lists, with its IBAN length
// and BBAN structure, transcribed from SWIFT's "IBAN Registry", Release 100 (October 2025),
// the registration authority's publication (https://www.swift.com/standards/data-standards/iban).
// Territories that use another country's code (Åland: FI; the French overseas departments
// and collectivities: FR; Jersey, Guernsey, Isle of Man: GB) are covered through it.
//
// The registry states the length and the structure separately; the compile-time checks below
// require them to agree, so a transcription slip in either fails the build.

#include "iban_registry.hpp"

#include <array>

namespace leastdata::redact::detail {

namespace {

struct Row {
      char code[3];
      std::uint8_t length;
      std::string_view bban;
};

// Sorted by code.
constexpr Row registry[] = {
   {"AD", 24, "4!n4!n12!c"},        // Andorra
   {"AE", 23, "3!n16!n"},           // United Arab Emirates
   {"AL", 28, "8!n16!c"},           // Albania
   {"AT", 20, "5!n11!n"},           // Austria
   {"AZ", 28, "4!a20!c"},           // Azerbaijan
   {"BA", 20, "3!n3!n8!n2!n"},      // Bosnia and Herzegovina
   {"BE", 16, "3!n7!n2!n"},         // Belgium
   {"BG", 22, "4!a4!n2!n8!c"},      // Bulgaria
   {"BH", 22, "4!a14!c"},           // Bahrain
   {"BI", 27, "5!n5!n11!n2!n"},     // Burundi
   {"BR", 29, "8!n5!n10!n1!a1!c"},  // Brazil
   {"BY", 28, "4!c4!n16!c"},        // Belarus
   {"CH", 21, "5!n12!c"},           // Switzerland
   {"CR", 22, "4!n14!n"},           // Costa Rica
   {"CY", 28, "3!n5!n16!c"},        // Cyprus
   {"CZ", 24, "4!n16!n"},           // Czechia
   {"DE", 22, "8!n10!n"},           // Germany
   {"DJ", 27, "5!n5!n11!n2!n"},     // Djibouti
   {"DK", 18, "4!n9!n1!n"},         // Denmark
   {"DO", 28, "4!c20!n"},           // Dominican Republic
   {"EE", 20, "2!n14!n"},           // Estonia
   {"EG", 29, "4!n4!n17!n"},        // Egypt
   {"ES", 24, "4!n4!n1!n1!n10!n"},  // Spain
   {"FI", 18, "3!n11!n"},           // Finland, also AX
   {"FK", 18, "2!a12!n"},           // Falkland Islands
   {"FO", 18, "4!n9!n1!n"},         // Faroe Islands
   {"FR", 27, "5!n5!n11!c2!n"},     // France, also GF, GP, MQ, RE, PF, TF, YT, NC, BL, MF (French part), PM, WF
   {"GB", 22, "4!a6!n8!n"},         // United Kingdom, also IM, JE, GG
   {"GE", 22, "2!a16!n"},           // Georgia
   {"GI", 23, "4!a15!c"},           // Gibraltar
   {"GL", 18, "4!n9!n1!n"},         // Greenland
   {"GR", 27, "3!n4!n16!c"},        // Greece
   {"GT", 28, "4!c20!c"},           // Guatemala
   {"HN", 28, "4!a20!n"},           // Honduras
   {"HR", 21, "7!n10!n"},           // Croatia
   {"HU", 28, "3!n4!n1!n15!n1!n"},  // Hungary
   {"IE", 22, "4!a6!n8!n"},         // Ireland
   {"IL", 23, "3!n3!n13!n"},        // Israel
   {"IQ", 23, "4!a3!n12!n"},        // Iraq
   {"IS", 26, "4!n2!n6!n10!n"},     // Iceland
   {"IT", 27, "1!a5!n5!n12!c"},     // Italy
   {"JO", 30, "4!a4!n18!c"},        // Jordan
   {"KW", 30, "4!a22!c"},           // Kuwait
   {"KZ", 20, "3!n13!c"},           // Kazakhstan
   {"LB", 28, "4!n20!c"},           // Lebanon
   {"LC", 32, "4!a24!c"},           // Saint Lucia
   {"LI", 21, "5!n12!c"},           // Liechtenstein
   {"LT", 20, "5!n11!n"},           // Lithuania
   {"LU", 20, "3!n13!c"},           // Luxembourg
   {"LV", 21, "4!a13!c"},           // Latvia
   {"LY", 25, "3!n3!n15!n"},        // Libya
   {"MC", 27, "5!n5!n11!c2!n"},     // Monaco
   {"MD", 24, "2!c18!c"},           // Moldova
   {"ME", 22, "3!n13!n2!n"},        // Montenegro
   {"MK", 19, "3!n10!c2!n"},        // North Macedonia
   {"MN", 20, "4!n12!n"},           // Mongolia
   {"MR", 27, "5!n5!n11!n2!n"},     // Mauritania
   {"MT", 31, "4!a5!n18!c"},        // Malta
   {"MU", 30, "4!a2!n2!n12!n3!n3!a"}, // Mauritius
   {"NI", 28, "4!a20!n"},           // Nicaragua
   {"NL", 18, "4!a10!n"},           // Netherlands
   {"NO", 15, "4!n6!n1!n"},         // Norway
   {"OM", 23, "3!n16!c"},           // Oman
   {"PK", 24, "4!a16!c"},           // Pakistan
   {"PL", 28, "8!n16!n"},           // Poland
   {"PS", 29, "4!a21!c"},           // Palestine
   {"PT", 25, "4!n4!n11!n2!n"},     // Portugal
   {"QA", 29, "4!a21!c"},           // Qatar
   {"RO", 24, "4!a16!c"},           // Romania
   {"RS", 22, "3!n13!n2!n"},        // Serbia
   {"RU", 33, "9!n5!n15!c"},        // Russian Federation
   {"SA", 24, "2!n18!c"},           // Saudi Arabia
   {"SC", 31, "4!a2!n2!n16!n3!a"},  // Seychelles
   {"SD", 18, "2!n12!n"},           // Sudan
   {"SE", 24, "3!n16!n1!n"},        // Sweden
   {"SI", 19, "5!n8!n2!n"},         // Slovenia
   {"SK", 24, "4!n6!n10!n"},        // Slovakia
   {"SM", 27, "1!a5!n5!n12!c"},     // San Marino
   {"SO", 23, "4!n3!n12!n"},        // Somalia
   {"ST", 25, "4!n4!n11!n2!n"},     // Sao Tome and Principe
   {"SV", 28, "4!a20!n"},           // El Salvador
   {"TL", 23, "3!n14!n2!n"},        // Timor-Leste
   {"TN", 24, "2!n3!n13!n2!n"},     // Tunisia
   {"TR", 26, "5!n1!n16!c"},        // Turkiye
   {"UA", 29, "6!n19!c"},           // Ukraine
   {"VA", 22, "3!n15!n"},           // Holy See
   {"VG", 24, "4!a16!n"},           // Virgin Islands (British)
   {"XK", 20, "4!n10!n2!n"},        // Kosovo
   {"YE", 30, "4!a4!n18!c"},        // Yemen
};

constexpr bool is_class(char c) noexcept { return c == 'n' || c == 'a' || c == 'c'; }

/// Characters a BBAN structure describes, or 0 when it is not in the registry's notation.
constexpr std::size_t structure_length(std::string_view bban) noexcept {
   std::size_t total = 0;
   std::size_t i = 0;
   while(i < bban.size()) {
      std::size_t count = 0;
      const std::size_t digits_start = i;
      while(i < bban.size() && bban[i] >= '0' && bban[i] <= '9') {
         count = count * 10 + static_cast<std::size_t>(bban[i] - '0');
         ++i;
      }
      if(i == digits_start || count == 0 || i + 2 > bban.size() || bban[i] != '!' || !is_class(bban[i + 1])) {
         return 0;
      }
      total += count;
      i += 2;
   }
   return total;
}

constexpr bool registry_is_consistent() noexcept {
   constexpr std::size_t max_iban = 34;  // ISO 13616's upper bound
   for(std::size_t r = 0; r < std::size(registry); ++r) {
      const Row& row = registry[r];
      if(row.code[0] < 'A' || row.code[0] > 'Z' || row.code[1] < 'A' || row.code[1] > 'Z') {
         return false;
      }
      if(r > 0 && std::string_view(registry[r - 1].code) >= std::string_view(row.code)) {
         return false;  // unsorted or repeated
      }
      if(row.length > max_iban || structure_length(row.bban) + 4 != row.length) {
         return false;
      }
   }
   return true;
}

static_assert(registry_is_consistent(), "IBAN registry rows: sorted codes, lengths matching their structures");

constexpr std::size_t slot(std::uint8_t a, std::uint8_t b) noexcept {
   return static_cast<std::size_t>(a - 'A') * 26 + static_cast<std::size_t>(b - 'A');
}

/// Row number + 1 for each of the 26 × 26 codes (0: not in the registry), so a lookup at
/// every letter-letter-digit-digit word start costs one load.
constexpr std::array<std::uint8_t, 26 * 26> make_index() noexcept {
   std::array<std::uint8_t, 26 * 26> index{};
   for(std::size_t r = 0; r < std::size(registry); ++r) {
      const auto a = static_cast<std::uint8_t>(registry[r].code[0]);
      const auto b = static_cast<std::uint8_t>(registry[r].code[1]);
      index[slot(a, b)] = static_cast<std::uint8_t>(r + 1);
   }
   return index;
}

static_assert(std::size(registry) < 255);
constexpr std::array<std::uint8_t, 26 * 26> index = make_index();

}  // namespace

std::optional<IbanFormat> iban_format(std::uint8_t a, std::uint8_t b) noexcept {
   if(a < 'A' || a > 'Z' || b < 'A' || b > 'Z') {
      return std::nullopt;
   }
   const std::uint8_t row = index[slot(a, b)];
   if(row == 0) {
      return std::nullopt;
   }
   return IbanFormat{registry[row - 1].length, registry[row - 1].bban};
}

}  // namespace leastdata::redact::detail
