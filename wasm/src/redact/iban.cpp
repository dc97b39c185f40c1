// The `iban` detector: ISO 13616 account numbers of the SEPA countries (plus GB and CH,
// which are SEPA members anyway), with the registry length of each country and the
// ISO 7064 mod-97 check.
//
// Accepted forms: the electronic form ("DE89370400440532013000") or the paper form in groups
// of four separated by single spaces ("DE89 3704 0044 0532 0130 00", last group shorter).
// Letters may be in either case. Anything else — a different grouping, a wrong length for
// the country, a failing check — is not an IBAN.

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

struct Country {
      char code[3];
      std::uint8_t length;
};

// SWIFT IBAN registry lengths: the EU and EEA states, CH, GB, the SEPA microstates (AD, GI,
// MC, SM, VA) and the members admitted in 2024–2025 (AL, MD, ME, MK, RS). Sorted by code.
constexpr Country registry[] = {
   {"AD", 24}, {"AL", 28}, {"AT", 20}, {"BE", 16}, {"BG", 22}, {"CH", 21}, {"CY", 28}, {"CZ", 24},
   {"DE", 22}, {"DK", 18}, {"EE", 20}, {"ES", 24}, {"FI", 18}, {"FR", 27}, {"GB", 22}, {"GI", 23},
   {"GR", 27}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IS", 26}, {"IT", 27}, {"LI", 21}, {"LT", 20},
   {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MT", 31}, {"NL", 18},
   {"NO", 15}, {"PL", 28}, {"PT", 25}, {"RO", 24}, {"RS", 22}, {"SE", 24}, {"SI", 19}, {"SK", 24},
   {"SM", 27}, {"VA", 22},
};

// ISO 13616 check digits are 02..98; 00, 01 and 99 pass mod-97 only as aliases of 97, 98, 02.
constexpr unsigned min_check = 2;
constexpr unsigned max_check = 98;

bool is_country_and_check(const Text& text, std::size_t i) noexcept {
   return is_alpha(text.at(i)) && is_alpha(text.at(i + 1)) && is_digit(text.at(i + 2)) && is_digit(text.at(i + 3));
}

std::size_t registry_length(std::uint8_t a, std::uint8_t b) noexcept {
   for(const Country& country : registry) {
      if(static_cast<std::uint8_t>(country.code[0]) == a && static_cast<std::uint8_t>(country.code[1]) == b) {
         return country.length;
      }
   }
   return 0;
}

unsigned mod97_step(unsigned remainder, std::uint8_t c) noexcept {
   if(is_digit(c)) {
      return (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
   }
   return (remainder * 100 + static_cast<unsigned>(to_upper(c) - 'A' + 10)) % 97;
}

/// ISO 7064 MOD 97-10 over the rearranged IBAN (BBAN first, then country and check digits,
/// letters counting as 10..35), read straight from the text so no copy of the number is made.
bool mod97_valid(const Text& text, std::size_t start, std::size_t end) noexcept {
   unsigned remainder = 0;
   for(std::size_t i = start + 4; i < end; ++i) {
      if(text.at(i) != ' ') {
         remainder = mod97_step(remainder, text.at(i));
      }
   }
   for(std::size_t i = start; i < start + 4; ++i) {
      remainder = mod97_step(remainder, text.at(i));
   }
   return remainder == 1;
}

}  // namespace

bool inside_iban_groups(const Text& text, std::size_t pos) noexcept {
   constexpr int max_groups = 9;  // a 34-character IBAN has 9 groups
   std::size_t group_end = pos - 1;  // the space before `pos`
   for(int n = 0; n < max_groups && text.at(group_end) == ' ' && group_end >= 4; ++n) {
      const std::size_t group = group_end - 4;
      for(std::size_t k = group; k < group_end; ++k) {
         if(!is_alnum(text.at(k))) {
            return false;
         }
      }
      if(is_word(text.at(group - 1))) {
         return false;
      }
      if(is_country_and_check(text, group)) {
         // Inside only while the country's IBAN is not complete yet: a number right after a
         // whole IBAN is a number of its own.
         const std::size_t length = registry_length(to_upper(text.at(group)), to_upper(text.at(group + 1)));
         return 4 * static_cast<std::size_t>(n + 1) < length;
      }
      group_end = group - 1;
   }
   return false;
}

std::optional<Span> match_iban(const Text& text, std::size_t start) noexcept {
   if(is_word(text.at(start - 1))) {
      return std::nullopt;
   }
   if(!is_country_and_check(text, start)) {
      return std::nullopt;
   }
   const std::uint8_t a = to_upper(text.at(start));
   const std::uint8_t b = to_upper(text.at(start + 1));
   const std::size_t length = registry_length(a, b);
   const unsigned check = static_cast<unsigned>(text.at(start + 2) - '0') * 10 + static_cast<unsigned>(text.at(start + 3) - '0');
   if(length == 0 || check < min_check || check > max_check) {
      return std::nullopt;
   }

   std::size_t count = 4;
   std::size_t i = start + 4;
   if(text.at(i) == ' ') {
      while(count < length) {
         if(text.at(i) != ' ') {
            return std::nullopt;
         }
         ++i;
         const std::size_t want = length - count < 4 ? length - count : 4;
         for(std::size_t n = 0; n < want; ++n, ++i) {
            if(!is_alnum(text.at(i))) {
               return std::nullopt;
            }
         }
         count += want;
      }
   } else {
      while(is_alnum(text.at(i))) {
         if(count == length) {
            return std::nullopt;  // longer than this country's IBAN
         }
         ++count;
         ++i;
      }
      if(count != length) {
         return std::nullopt;
      }
   }
   if(is_word(text.at(i)) || !mod97_valid(text, start, i)) {
      return std::nullopt;
   }
   return Span{start, i};
}

}  // namespace leastdata::redact::detail
