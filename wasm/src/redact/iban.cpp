// The `iban` detector: ISO 13616 account numbers of every country in the IBAN registry
// (iban_registry.cpp), with the registry length and BBAN structure of each country and the
// ISO 7064 mod-97 check.
//
// Accepted forms: the electronic form ("DE89370400440532013000") or the paper form in groups
// of four separated by single spaces ("DE89 3704 0044 0532 0130 00", last group shorter).
// Letters may be in either case. Anything else — a different grouping, a wrong length for
// the country, a letter where the country's BBAN has digits, a failing check — is not an IBAN.

#include "iban_registry.hpp"
#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

// ISO 13616 check digits are 02..98; 00, 01 and 99 pass mod-97 only as aliases of 97, 98, 02.
constexpr unsigned min_check = 2;
constexpr unsigned max_check = 98;

bool is_country_and_check(const Text& text, std::size_t i) noexcept {
   return is_alpha(text.at(i)) && is_alpha(text.at(i + 1)) && is_digit(text.at(i + 2)) && is_digit(text.at(i + 3));
}

std::optional<IbanFormat> format_at(const Text& text, std::size_t i) noexcept {
   return iban_format(to_upper(text.at(i)), to_upper(text.at(i + 1)));
}

bool fits_class(std::uint8_t c, char cls) noexcept {
   switch(cls) {
      case 'n':
         return is_digit(c);
      case 'a':
         return is_alpha(c);
      default:
         return is_alnum(c);
   }
}

/// Whether the BBAN characters in [begin, end) (spaces of the paper form skipped) have the
/// classes of the country's structure. The structure is well-formed: the registry is checked
/// at compile time.
bool bban_fits(const Text& text, std::size_t begin, std::size_t end, std::string_view structure) noexcept {
   std::size_t i = begin;
   std::size_t s = 0;
   while(s < structure.size()) {
      std::size_t count = 0;
      while(is_digit(static_cast<std::uint8_t>(structure[s]))) {
         count = count * 10 + static_cast<std::size_t>(structure[s] - '0');
         ++s;
      }
      const char cls = structure[s + 1];  // after the '!'
      s += 2;
      for(; count > 0; --count, ++i) {
         while(i < end && text.at(i) == ' ') {
            ++i;
         }
         if(i >= end || !fits_class(text.at(i), cls)) {
            return false;
         }
      }
   }
   return true;
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
         const auto format = format_at(text, group);
         return format && 4 * static_cast<std::size_t>(n + 1) < format->length;
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
   const auto format = format_at(text, start);
   const unsigned check = static_cast<unsigned>(text.at(start + 2) - '0') * 10 + static_cast<unsigned>(text.at(start + 3) - '0');
   if(!format || check < min_check || check > max_check) {
      return std::nullopt;
   }
   const std::size_t length = format->length;

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
   if(is_word(text.at(i)) || !bban_fits(text, start + 4, i, format->bban) || !mod97_valid(text, start, i)) {
      return std::nullopt;
   }
   return Span{start, i};
}

}  // namespace leastdata::redact::detail
