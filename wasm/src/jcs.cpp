// RFC 8785 (JCS): strict I-JSON parsing on nlohmann's SAX parser, and the canonical writer.
#include "leastdata/jcs.hpp"

#include "strict_json.hpp"
#include "utf8_sequence.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

namespace leastdata::jcs {

namespace {

using json = nlohmann::json;

constexpr std::size_t k_max_depth = 64;

// ---------------------------------------------------------------------------------------
// UTF-8

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 if there is none.
// Stores the code point.
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point) noexcept {
   const auto* p = reinterpret_cast<const std::uint8_t*>(text.data()) + i;
   if(p[0] < 0x80) {
      code_point = p[0];
      return 1;
   }
   const std::size_t length = detail::utf8_multibyte_length(p, text.size() - i);
   if(length != 0) {
      code_point = detail::utf8_decode(p, length);
   }
   return length;
}

bool is_utf8(std::string_view text) noexcept {
   char32_t ignored = 0;
   for(std::size_t i = 0; i < text.size();) {
      const std::size_t length = utf8_sequence(text, i, ignored);
      if(length == 0) {
         return false;
      }
      i += length;
   }
   return true;
}

// Maps a code point to a number that orders code points the way their UTF-16 encodings
// order: supplementary characters (lead surrogates 0xD800-0xDBFF) come after U+D7FF and
// before U+E000.
std::uint32_t utf16_rank(char32_t code_point) noexcept {
   if(code_point < 0xD800) {
      return code_point;
   }
   if(code_point >= 0x10000) {
      return 0xD800 + (code_point - 0x10000);
   }
   return 0x10D800 + (code_point - 0xE000);
}

// JCS orders member names by UTF-16 code units (RFC 8785 §3.2.3), not by UTF-8 bytes:
// the two differ once a name holds both U+E000..U+FFFF and supplementary characters.
// Both names must be valid UTF-8.
bool utf16_less(std::string_view a, std::string_view b) noexcept {
   std::size_t i = 0;
   std::size_t j = 0;
   while(i < a.size() && j < b.size()) {
      char32_t ca = 0;
      char32_t cb = 0;
      i += utf8_sequence(a, i, ca);
      j += utf8_sequence(b, j, cb);
      if(ca != cb) {
         return utf16_rank(ca) < utf16_rank(cb);
      }
   }
   return i == a.size() && j < b.size();
}

// ---------------------------------------------------------------------------------------
// Numbers (ECMA-262 Number::toString, radix 10)

// A positive decimal `mantissa` × 10^`exponent`.
struct Decimal {
      std::uint64_t mantissa;
      int exponent;
};

double read_decimal(const Decimal& d) noexcept {
   // Integer mantissa and exponent only: no decimal point, so the locale cannot interfere.
   std::array<char, 48> text{};
   std::snprintf(text.data(), text.size(), "%llue%d", static_cast<unsigned long long>(d.mantissa), d.exponent);
   return std::strtod(text.data(), nullptr);
}

std::uint64_t power_of_ten(int n) noexcept {
   std::uint64_t p = 1;
   while(n-- > 0) {
      p *= 10;
   }
   return p;
}

// The decimal that Number::toString prints for a finite `value` > 0: the fewest significant
// digits that read back as `value`; among those, the one closest to `value` (ECMA-262
// Note 2, which V8 and RFC 8785 follow).
//
// libc++ in Emscripten 3.1.6 has no floating-point std::to_chars, so this uses what both
// libcs do exactly: printf's correctly rounded %.*e gives the p-digit decimal nearest to
// `value`, strtod reads back correctly rounded. If the nearest p-digit decimal does not read
// back, the other p-digit decimal bracketing `value` still may (the rounding interval of a
// power of two is lopsided), so it is tried too.
Decimal shortest_decimal(double value) noexcept {
   constexpr int k_max_digits = 17;  // enough for every double
   std::array<char, 48> text{};
   Decimal nearest{};
   for(int digits = 1; digits <= k_max_digits; ++digits) {
      std::snprintf(text.data(), text.size(), "%.*e", digits - 1, value);
      nearest = Decimal{0, 0};
      const char* p = text.data();
      for(; *p != 'e'; ++p) {
         if(*p >= '0' && *p <= '9') {  // skips the locale's decimal point
            nearest.mantissa = nearest.mantissa * 10 + static_cast<std::uint64_t>(*p - '0');
         }
      }
      nearest.exponent = std::atoi(p + 1) - (digits - 1);

      const double back = read_decimal(nearest);
      if(back == value) {
         return nearest;
      }
      Decimal other = nearest;
      if(back < value) {
         ++other.mantissa;  // 9..9 + 1 is a power of ten: fewer digits, still a candidate
      } else {
         --other.mantissa;
         if(other.mantissa < power_of_ten(digits - 1)) {  // 10..0 - 1: 9..9 one place lower
            other.mantissa = other.mantissa * 10 + 9;
            --other.exponent;
         }
      }
      if(read_decimal(other) == value) {
         return other;
      }
   }
   return nearest;  // 17 digits always read back
}

std::string format_number(double value) {
   if(value == 0) {
      return "0";  // and -0 too
   }
   std::string out;
   if(value < 0) {
      out += '-';
      value = -value;
   }
   std::array<char, 24> digits{};
   // Every integer below 2^53 is exact, and its own digits are the shortest that read back.
   if(value < 9007199254740992.0 && value == std::floor(value)) {
      const auto end = std::to_chars(digits.data(), digits.data() + digits.size(),
                                     static_cast<std::uint64_t>(value)).ptr;
      out.append(digits.data(), end);
      return out;
   }

   Decimal d = shortest_decimal(value);
   while(d.mantissa % 10 == 0) {
      d.mantissa /= 10;
      ++d.exponent;
   }
   const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), d.mantissa).ptr;
   const std::string_view s(digits.data(), static_cast<std::size_t>(end - digits.data()));
   // ECMA-262 names: k digits, value = 0.s × 10^n.
   const int k = static_cast<int>(s.size());
   const int n = k + d.exponent;

   if(k <= n && n <= 21) {
      out += s;
      out.append(static_cast<std::size_t>(n - k), '0');
   } else if(0 < n && n <= 21) {
      out += s.substr(0, static_cast<std::size_t>(n));
      out += '.';
      out += s.substr(static_cast<std::size_t>(n));
   } else if(-6 < n && n <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-n), '0');
      out += s;
   } else {
      out += s[0];
      if(k > 1) {
         out += '.';
         out += s.substr(1);
      }
      out += n - 1 >= 0 ? "e+" : "e-";
      out += std::to_string(std::abs(n - 1));
   }
   return out;
}

// ---------------------------------------------------------------------------------------
// Writing

// JSON.stringify's escapes (RFC 8785 §3.2.2.2): the two-character forms where they exist,
// \u00xx with lowercase hex for other controls, everything else (DEL, U+2028, '/') as is.
void write_string(std::string_view s, std::string& out) {
   static constexpr char k_hex[] = "0123456789abcdef";
   out += '"';
   for(const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      switch(c) {
         case '"': out += "\\\""; break;
         case '\\': out += "\\\\"; break;
         case '\b': out += "\\b"; break;
         case '\t': out += "\\t"; break;
         case '\n': out += "\\n"; break;
         case '\f': out += "\\f"; break;
         case '\r': out += "\\r"; break;
         default:
            if(u < 0x20) {
               out += "\\u00";
               out += k_hex[u >> 4];
               out += k_hex[u & 0x0F];
            } else {
               out += c;
            }
      }
   }
   out += '"';
}

Error not_utf8() {
   return Error(ErrorCode::invalid_utf8, "string is not valid UTF-8");
}

Status write_value(const json& value, std::size_t depth, std::string& out) {
   switch(value.type()) {
      case json::value_t::null:
         out += "null";
         return {};
      case json::value_t::boolean:
         out += value.get_ref<const json::boolean_t&>() ? "true" : "false";
         return {};
      case json::value_t::number_integer:
         out += format_number(static_cast<double>(value.get_ref<const json::number_integer_t&>()));
         return {};
      case json::value_t::number_unsigned:
         out += format_number(static_cast<double>(value.get_ref<const json::number_unsigned_t&>()));
         return {};
      case json::value_t::number_float: {
         auto number = number_to_string(value.get_ref<const json::number_float_t&>());
         if(!number) {
            return number.error();
         }
         out += number.value();
         return {};
      }
      case json::value_t::string: {
         const auto& s = value.get_ref<const json::string_t&>();
         if(!is_utf8(s)) {
            return not_utf8();
         }
         write_string(s, out);
         return {};
      }
      case json::value_t::array:
      case json::value_t::object:
         break;
      case json::value_t::binary:
      case json::value_t::discarded:
         return Error(ErrorCode::invalid_argument, "binary and discarded values have no JSON form");
   }

   if(depth >= k_max_depth) {
      return Error(ErrorCode::depth_limit, "containers nested deeper than " + std::to_string(k_max_depth));
   }
   if(value.is_array()) {
      out += '[';
      bool first = true;
      for(const json& element : value.get_ref<const json::array_t&>()) {
         if(!first) {
            out += ',';
         }
         first = false;
         if(auto status = write_value(element, depth + 1, out); !status) {
            return status;
         }
      }
      out += ']';
      return {};
   }

   const auto& members = value.get_ref<const json::object_t&>();
   std::vector<const json::object_t::value_type*> sorted;
   sorted.reserve(members.size());
   for(const auto& member : members) {
      if(!is_utf8(member.first)) {
         return not_utf8();
      }
      sorted.push_back(&member);
   }
   std::sort(sorted.begin(), sorted.end(),
             [](const auto* a, const auto* b) { return utf16_less(a->first, b->first); });
   out += '{';
   bool first = true;
   for(const auto* member : sorted) {
      if(!first) {
         out += ',';
      }
      first = false;
      write_string(member->first, out);
      out += ':';
      if(auto status = write_value(member->second, depth + 1, out); !status) {
         return status;
      }
   }
   out += '}';
   return {};
}

// The strict parser's DOM (member order kept) as the nlohmann::json this API hands out;
// JCS orders members itself. Recursion is bounded by k_max_depth.
json unordered(nlohmann::ordered_json&& value) {
   switch(value.type()) {
      case nlohmann::ordered_json::value_t::object: {
         json out = json::object();
         auto& members = out.get_ref<json::object_t&>();
         for(auto& [name, member] : value.get_ref<nlohmann::ordered_json::object_t&>()) {
            members.emplace(name, unordered(std::move(member)));
         }
         return out;
      }
      case nlohmann::ordered_json::value_t::array: {
         json out = json::array();
         auto& elements = out.get_ref<json::array_t&>();
         for(auto& element : value.get_ref<nlohmann::ordered_json::array_t&>()) {
            elements.push_back(unordered(std::move(element)));
         }
         return out;
      }
      case nlohmann::ordered_json::value_t::string: return json(std::move(value.get_ref<std::string&>()));
      case nlohmann::ordered_json::value_t::boolean: return json(value.get<bool>());
      case nlohmann::ordered_json::value_t::number_integer: return json(value.get<std::int64_t>());
      case nlohmann::ordered_json::value_t::number_unsigned: return json(value.get<std::uint64_t>());
      case nlohmann::ordered_json::value_t::number_float: return json(value.get<double>());
      default: return json(nullptr);  // null; the parser makes no binary or discarded values
   }
}

}  // namespace

std::size_t max_depth() noexcept {
   return k_max_depth;
}

Result<nlohmann::json> parse(std::string_view json_text) {
   auto parsed = detail::parse_strict_json(json_text, k_max_depth);
   if(!parsed) {
      return parsed.error();
   }
   return unordered(std::move(parsed).value());
}

Result<std::string> canonicalize(std::string_view json_text) {
   auto value = parse(json_text);
   if(!value) {
      return value.error();
   }
   return canonicalize(value.value());
}

Result<std::string> canonicalize(const nlohmann::json& value) {
   std::string out;
   if(auto status = write_value(value, 0, out); !status) {
      return status.error();
   }
   return out;
}

Result<std::string> number_to_string(double value) {
   if(!std::isfinite(value)) {
      return Error(ErrorCode::invalid_argument, "NaN and infinities have no JSON form");
   }
   return format_number(value);
}

}  // namespace leastdata::jcs
