// The `credit_card` detector: 13–19 digits, Luhn-valid, either unbroken or in groups
// separated by one space or one dash (the same separator throughout).
//
// The first digit must be 2–6, the ISO/IEC 7812 major industry identifiers of the card
// networks (Visa 4, Mastercard 2/5, Amex/Diners/JCB 3, Discover/UnionPay/Maestro 6); this
// halves the Luhn false positives on long order and account numbers. The one network on
// major industry identifier 1 (airlines), UATP, issues 15-digit numbers only, so a number
// starting with 1 is a card at exactly that length. Grouped numbers have
// groups of 3–6 digits (the last may be shorter: 4-4-4-1 for 13-digit Visa). When a grouped
// number is followed by another space-separated group (a CVV, a year), the longest Luhn-valid
// prefix of 13–19 digits that ends on a group boundary is taken; an unbroken run must be the
// whole run. After a number and a space ("order 123 4111..."), only an unbroken or
// dash-grouped card may start: a space-grouped one could be the tail of a longer grouped
// number — unless the number before is itself a card (a list of cards).

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr std::size_t min_digits = 13;
constexpr std::size_t max_digits = 19;
constexpr std::size_t min_group = 3;
constexpr std::size_t max_group = 6;
constexpr std::size_t uatp_digits = 15;

/// Luhn over the digits of [start, end), read from the text (separators skipped) so no copy
/// of the number is made.
bool luhn_valid(const Text& text, std::size_t start, std::size_t end) noexcept {
   unsigned sum = 0;
   bool twice = false;
   for(std::size_t i = end; i > start; --i) {
      const std::uint8_t c = text.at(i - 1);
      if(!is_digit(c)) {
         continue;
      }
      unsigned d = static_cast<unsigned>(c - '0');
      if(twice) {
         d *= 2;
         if(d > 9) {
            d -= 9;
         }
      }
      sum += d;
      twice = !twice;
   }
   return sum % 10 == 0;
}

struct GroupEnd {
      std::size_t end;     // byte offset after the group
      std::size_t digits;  // digits up to and including the group
      std::size_t length;  // digits in the group
};

}  // namespace

std::optional<Span> match_credit_card(const Text& text, std::size_t start, bool after_card) noexcept {
   const std::uint8_t first = text.at(start);
   if(first < '1' || first > '6' || !is_digit(text.at(start + 1)) || !is_digit(text.at(start + 2))) {
      return std::nullopt;  // every form starts with a group of three or more digits
   }
   if(!number_starts_at(text, start) || text.at(start - 1) == '+') {
      return std::nullopt;
   }

   GroupEnd ends[max_digits];
   std::size_t group_count = 0;
   std::size_t count = 0;
   std::uint8_t separator = 0;
   std::size_t i = start;

   for(;;) {
      const std::size_t group_start = i;
      bool overflow = false;
      while(is_digit(text.at(i))) {
         if(count == max_digits) {
            overflow = true;
            break;
         }
         ++count;
         ++i;
      }
      if(overflow) {
         if(group_count == 0) {
            return std::nullopt;  // an unbroken run longer than any card number
         }
         break;  // this group does not fit; earlier group ends may still be a card
      }
      ends[group_count++] = GroupEnd{i, count, i - group_start};

      const std::uint8_t c = text.at(i);
      if((c != ' ' && c != '-') || !is_digit(text.at(i + 1)) || (separator != 0 && c != separator)) {
         break;
      }
      separator = c;
      ++i;
   }

   // A candidate of g > 1 groups needs its first g-1 groups of 3–6 digits and a last group of at
   // most 6; a candidate of one group is an unbroken run.
   std::size_t longest = 1;
   while(longest < group_count && ends[longest - 1].length >= min_group && ends[longest - 1].length <= max_group) {
      ++longest;
   }
   const bool after_number = follows_number(text, start) && !after_card;
   for(std::size_t g = longest; g > 0; --g) {
      const GroupEnd& end = ends[g - 1];
      if(end.digits < min_digits) {
         break;
      }
      if(g > 1 && (end.length > max_group || (after_number && separator == ' '))) {
         continue;
      }
      if(first == '1' && end.digits != uatp_digits) {
         continue;
      }
      if(luhn_valid(text, start, end.end) && number_ends_at(text, end.end)) {
         return Span{start, end.end};
      }
   }
   return std::nullopt;
}

}  // namespace leastdata::redact::detail
