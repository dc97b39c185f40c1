// Fuzz target: RFC 8785 canonicalisation (jcs.hpp), the form deletion certificates are
// signed over.
//
// Input: JSON text. Invariants:
// - an error has a documented code and an offset within the input;
// - only JSON text is accepted (checked against nlohmann's own grammar check);
// - the canonical form is idempotent: canonicalize(canonicalize(x)) == canonicalize(x), and
//   the same whether computed from the text or from the parsed value;
// - it is compact JSON whose object members are sorted by UTF-16 code units, whose strings
//   use only the escapes JSON.stringify writes, and whose numbers are printed as
//   Number::toString prints them;
// - number_to_string (on the input's first 8 bytes as a double) round-trips and uses the
//   shortest digits, the same digits std::to_chars picks.
#include "fuzz_support.hpp"

#include <leastdata/jcs.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

namespace {

using namespace leastdata;
using leastdata::fuzz::check;

std::u16string utf16(std::string_view utf8) {
   std::u16string out;
   for(std::size_t i = 0; i < utf8.size();) {
      const auto b = static_cast<std::uint8_t>(utf8[i]);
      const std::size_t length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      char32_t cp = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
      for(std::size_t k = 1; k < length && i + k < utf8.size(); ++k) {
         cp = (cp << 6) | (static_cast<std::uint8_t>(utf8[i + k]) & 0x3F);
      }
      if(cp >= 0x10000) {
         out.push_back(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
         out.push_back(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
      } else {
         out.push_back(static_cast<char16_t>(cp));
      }
      i += length;
   }
   return out;
}

void check_sorted(const nlohmann::ordered_json& value) {
   if(value.is_object()) {
      std::optional<std::u16string> previous;
      for(auto member = value.begin(); member != value.end(); ++member) {
         std::u16string name = utf16(member.key());
         check(!previous || *previous < name, "members are sorted by UTF-16 code units", member.key());
         previous = std::move(name);
         check_sorted(member.value());
      }
   } else if(value.is_array()) {
      for(const auto& element : value) {
         check_sorted(element);
      }
   }
}

// Inside strings: only \" \\ \b \f \n \r \t and \u00xx (lowercase) for other controls.
void check_escapes(std::string_view canonical) {
   bool in_string = false;
   for(std::size_t i = 0; i < canonical.size(); ++i) {
      const char c = canonical[i];
      if(!in_string) {
         in_string = c == '"';
         continue;
      }
      check(static_cast<std::uint8_t>(c) >= 0x20, "no raw control characters in strings");
      if(c == '"') {
         in_string = false;
      } else if(c == '\\') {
         const char e = canonical[i + 1];
         check(std::strchr("\"\\bfnrtu", e) != nullptr && e != '\0', "only JSON.stringify's escapes", canonical);
         if(e == 'u') {
            const std::string_view hex = canonical.substr(i + 2, 4);
            check(hex.substr(0, 2) == "00" && (hex[2] == '0' || hex[2] == '1') &&
                     std::strchr("0123456789abcdef", hex[3]) != nullptr && hex != "0008" && hex != "0009" &&
                     hex != "000a" && hex != "000c" && hex != "000d",
                  "\\u escapes only for controls without a short form, in lowercase", hex);
         }
         ++i;
      }
   }
}

// Every number of the canonical form is Number::toString of its value.
class NumberChecker final : public nlohmann::json_sax<nlohmann::json> {
   public:
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t v) override { return expect(static_cast<double>(v), std::to_string(v)); }
      bool number_unsigned(number_unsigned_t v) override { return expect(static_cast<double>(v), std::to_string(v)); }
      bool number_float(number_float_t v, const string_t& text) override { return expect(v, text); }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return false; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

   private:
      static bool expect(double value, const std::string& text) {
         const auto printed = jcs::number_to_string(value);
         check(printed.ok() && printed.value() == text, "numbers are printed as Number::toString prints them", text);
         return true;
      }
};

// The significant digits of a decimal number's text: no sign, point, exponent, or leading
// and trailing zeros.
std::string significant_digits(std::string_view text) {
   std::string digits;
   for(const char c : text.substr(0, text.find_first_of("eE"))) {
      if(c >= '0' && c <= '9') {
         digits.push_back(c);
      }
   }
   const auto first = digits.find_first_not_of('0');
   if(first == std::string::npos) {
      return "0";
   }
   digits.erase(0, first);
   digits.erase(digits.find_last_not_of('0') + 1);
   return digits;
}

void check_number_to_string(const std::uint8_t* data, std::size_t size) {
   if(size < sizeof(double)) {
      return;
   }
   double value = 0;
   std::memcpy(&value, data, sizeof value);
   const auto printed = jcs::number_to_string(value);
   if(!std::isfinite(value)) {
      check(!printed.ok() && printed.error().code() == ErrorCode::invalid_argument, "NaN and infinities are refused");
      return;
   }
   check(printed.ok(), "a finite double has a JSON form");
   const std::string& text = printed.value();
   const double back = std::strtod(text.c_str(), nullptr);
   check(back == value, "Number::toString round-trips", text);
   std::array<char, 64> shortest{};
   const auto [end, ec] = std::to_chars(shortest.data(), shortest.data() + shortest.size(), value,
                                        std::chars_format::scientific);
   check(ec == std::errc(), "to_chars succeeds");
   check(significant_digits(text) == significant_digits(std::string_view(shortest.data(), end - shortest.data())),
         "Number::toString uses the shortest round-trip digits", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   check_number_to_string(data, size);

   const std::string_view text = leastdata::fuzz::as_text(data, size);
   const auto canonical = jcs::canonicalize(text);
   if(!canonical) {
      leastdata::fuzz::check_error(canonical.error(),
                                   {ErrorCode::invalid_json, ErrorCode::invalid_utf8, ErrorCode::duplicate_key,
                                    ErrorCode::depth_limit},
                                   size, true);
      return 0;
   }
   const std::string& out = canonical.value();
   const bool bom = size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0;
   check(leastdata::fuzz::is_json(bom ? text.substr(3) : text), "only JSON text is accepted", out);
   check(leastdata::fuzz::is_json(out) && leastdata::fuzz::is_compact_json(out), "the canonical form is compact JSON",
         out);

   const auto twice = jcs::canonicalize(std::string_view(out));
   check(twice.ok() && twice.value() == out, "canonicalize is idempotent", out);
   const auto parsed = jcs::parse(text);
   check(parsed.ok(), "canonicalize(text) succeeds only when parse(text) does");
   const auto from_value = jcs::canonicalize(parsed.value());
   check(from_value.ok() && from_value.value() == out, "canonical form from the text == from the value", out);

   check_sorted(nlohmann::ordered_json::parse(out));
   check_escapes(out);
   NumberChecker numbers;
   check(nlohmann::json::sax_parse(out, &numbers), "the canonical form parses");
   return 0;
}
