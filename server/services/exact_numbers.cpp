// See exact_numbers.hpp.
#include "services/exact_numbers.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string>

namespace leastdata::server {

namespace {

using nlohmann::json;

// A JSON number's decimal value: sign, significant digits, and the power of ten of the
// first digit. Zero (whatever its sign or form) has no digits.
struct Decimal {
      bool negative = false;
      std::string digits;
      long exponent = 0;
      bool operator==(const Decimal&) const = default;
};

Decimal decimal_of(std::string_view number) {
   Decimal d;
   std::size_t i = 0;
   if(i < number.size() && number[i] == '-') {
      d.negative = true;
      ++i;
   }
   long point = 0;  // digits before the decimal point
   bool in_fraction = false;
   for(; i < number.size() && number[i] != 'e' && number[i] != 'E'; ++i) {
      if(number[i] == '.') {
         in_fraction = true;
         continue;
      }
      d.digits.push_back(number[i]);
      if(!in_fraction) {
         ++point;
      }
   }
   long exponent = 0;
   if(i < number.size()) {
      ++i;
      bool negative_exponent = false;
      if(i < number.size() && (number[i] == '+' || number[i] == '-')) {
         negative_exponent = number[i] == '-';
         ++i;
      }
      for(; i < number.size(); ++i) {
         exponent = std::min<long>(exponent * 10 + (number[i] - '0'), 1'000'000'000);  // far past any double
      }
      if(negative_exponent) {
         exponent = -exponent;
      }
   }
   const auto first = d.digits.find_first_not_of('0');
   if(first == std::string::npos) {
      return Decimal{};
   }
   d.exponent = exponent + point - static_cast<long>(first);
   d.digits.erase(0, first);
   d.digits.erase(d.digits.find_last_not_of('0') + 1);
   return d;
}

}  // namespace

bool numbers_exact(std::string_view text) {
   for(std::size_t i = 0; i < text.size();) {
      const char c = text[i];
      if(c == '"') {
         for(++i; i < text.size() && text[i] != '"'; ++i) {
            if(text[i] == '\\') {
               ++i;
            }
         }
         ++i;
      } else if(c == '-' || (c >= '0' && c <= '9')) {
         const std::size_t start = i;
         while(i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '-' || text[i] == '+' ||
                                   text[i] == '.' || text[i] == 'e' || text[i] == 'E')) {
            ++i;
         }
         const std::string_view number = text.substr(start, i - start);
         if(!(decimal_of(number) == decimal_of(json::parse(number).dump()))) {
            return false;
         }
      } else {
         ++i;
      }
   }
   return true;
}

}  // namespace leastdata::server
