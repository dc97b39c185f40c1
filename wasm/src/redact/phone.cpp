// The `phone` detector: international numbers starting with '+' and national numbers
// starting with '0' or '(', 8–15 digits in groups.
//
// Between digit groups one separator sequence is allowed: an optional space, '-', '.' or
// '/', then optionally one bracket, then (after a bracket) an optional space — which covers
// "+1 (555) 123-4567", "+49 (0)30 1234567", "030/1234567", "+41.44.668.18.00". At most one
// bracket pair, balanced; a span never ends inside brackets.
//
// What keeps look-alikes out: national numbers need a first group of two or more digits
// ("0.123456789", "0 1 2 3 ..." are not phones); a group structure shaped like a date
// ("01.02.2024", "05/06/2023 12:30") is rejected; a national number may not continue a
// longer number ("1.0171...", and "12 0171 1234567" — but "12 0171-1234567", written without
// spaces, is a number of its own); more than 15 digits is not a phone. A number may end at a
// space when what follows does not fit ("030 1234567 12:30" and "+49 30 1234567 2024-03-15"
// give the phone without the time or date), and a number followed by '%' is a percentage, not
// its last group ("0171 1234567 25%" gives "0171 1234567").

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr std::size_t min_digits = 8;
constexpr std::size_t max_digits = 15;
constexpr std::size_t max_groups = max_digits;

struct Group {
      std::size_t start;
      std::size_t length;
      std::uint8_t separator_before;  // ' ', '-', '.', '/', or 0 (first group, or a bare bracket)
      bool closes;                    // no bracket is open after it, so a span may end here
      std::size_t digits_so_far;
      bool spaced_so_far;             // a space separates some groups up to this one
};

constexpr bool is_separator(std::uint8_t c) noexcept { return c == ' ' || c == '-' || c == '.' || c == '/'; }

constexpr bool is_date_separator(std::uint8_t c) noexcept { return c == '.' || c == '/' || c == '-'; }

unsigned group_value(const Text& text, const Group& group) noexcept {
   unsigned value = 0;
   for(std::size_t i = 0; i < group.length && i < 4; ++i) {
      value = value * 10 + static_cast<unsigned>(text.at(group.start + i) - '0');
   }
   return value;
}

/// A date as the whole number, or followed by a time after a space: D.M.YYYY, DD/MM/YYYY,
/// MM-DD-YY, YYYY-MM-DD. French "01.23.45.67.89" has more groups and stays a phone.
bool looks_like_date(const Text& text, const Group* groups, std::size_t count) noexcept {
   if(count < 3 || (count > 3 && groups[3].separator_before != ' ')) {
      return false;
   }
   const std::uint8_t sep = groups[1].separator_before;
   if(!is_date_separator(sep) || groups[2].separator_before != sep) {
      return false;
   }
   const std::size_t a = groups[0].length;
   const std::size_t b = groups[1].length;
   const std::size_t c = groups[2].length;
   const unsigned va = group_value(text, groups[0]);
   const unsigned vb = group_value(text, groups[1]);
   const unsigned vc = group_value(text, groups[2]);
   if(a <= 2 && b <= 2 && (c == 2 || c == 4)) {
      return va >= 1 && vb >= 1 && va <= 31 && vb <= 31 && (va <= 12 || vb <= 12);
   }
   if(a == 4 && b <= 2 && c <= 2) {
      return vb >= 1 && vb <= 12 && vc >= 1 && vc <= 31;
   }
   return false;
}

}  // namespace

std::optional<Span> match_phone(const Text& text, std::size_t start) noexcept {
   const std::uint8_t first = text.at(start);
   const bool national = first == '0';
   bool open = first == '(';
   bool bracket_used = open;
   std::size_t i = start;

   if(first == '+') {
      if(is_word(text.at(start - 1)) || !is_digit(text.at(start + 1)) || text.at(start + 1) == '0') {
         return std::nullopt;
      }
      ++i;
   } else if(first == '(') {
      if(is_word(text.at(start - 1)) || !is_digit(text.at(start + 1))) {
         return std::nullopt;
      }
      ++i;
   } else if(!national || !number_starts_at(text, start) || text.at(start - 1) == '+') {
      return std::nullopt;
   }

   Group groups[max_groups];
   std::size_t group_count = 0;
   std::size_t digits = 0;
   std::uint8_t separator = 0;
   bool overflow = false;
   bool spaced = false;

   for(;;) {
      const std::size_t group_start = i;
      while(is_digit(text.at(i))) {
         if(digits == max_digits) {
            overflow = true;  // this group does not fit; earlier groups may still be a phone
            break;
         }
         ++digits;
         ++i;
      }
      if(overflow) {
         break;
      }
      groups[group_count++] = Group{group_start, i - group_start, separator, !open, digits, spaced};

      std::size_t k = i;
      separator = 0;
      if(is_separator(text.at(k))) {
         separator = text.at(k);
         ++k;
      }
      bool bracket = false;
      if(text.at(k) == '(' && !bracket_used) {
         open = true;
         bracket_used = true;
         bracket = true;
         ++k;
      } else if(text.at(k) == ')' && open) {
         open = false;
         bracket = true;
         ++k;
      }
      if(bracket && separator != ' ' && text.at(k) == ' ') {
         ++k;
      }
      if(k == i || !is_digit(text.at(k))) {
         break;
      }
      spaced = spaced || text.at(k - 1) == ' ' || separator == ' ';
      i = k;
   }

   if(group_count == 0 || (national && groups[0].length < 2) || looks_like_date(text, groups, group_count)) {
      return std::nullopt;
   }
   // The whole run, or else the longest part of it that ends before a space: what follows a
   // space may be another token ("030 1234567 12:30", "+49 30 1234567 2024-03-15").
   const bool after_number = national && follows_number(text, start);
   for(std::size_t g = group_count; g > 0; --g) {
      const Group& last = groups[g - 1];
      if(last.digits_so_far < min_digits) {
         break;
      }
      const std::size_t end = last.start + last.length;
      const bool whole = g == group_count && !overflow;
      if(!last.closes || (!whole && text.at(end) != ' ') || (after_number && last.spaced_so_far) ||
         !number_ends_at(text, end) || text.at(end) == '%') {
         continue;
      }
      return Span{start, end};
   }
   return std::nullopt;
}

}  // namespace leastdata::redact::detail
