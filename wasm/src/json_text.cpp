// See json_text.hpp. The string scanner, the filter's hot loop, is json_string_scan.hpp.
#include "json_text.hpp"

#include "json_string_scan.hpp"

namespace leastdata::json_text {

namespace {

// Only for bytes scan_string accepted as hex digits.
inline unsigned hex_value(std::uint8_t c) noexcept { return static_cast<unsigned>(hex_digit_value(c)); }

// The first '"' or '\\' in [s, end), or `end`. Sixteen bytes at a time where SIMD is
// there: a look-ahead skips whole strings of any script, not only ASCII ones.
inline const std::uint8_t* skip_to_quote_or_backslash(const std::uint8_t* s, const std::uint8_t* end) noexcept {
#if defined(__wasm_simd128__)
   const v128_t quote = wasm_i8x16_splat('"');
   const v128_t backslash = wasm_i8x16_splat('\\');
   s = scan_detail::first_flagged_block_byte(s, end, [&](const std::uint8_t* block) {
      const v128_t v = wasm_v128_load(block);
      return static_cast<std::uint32_t>(wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash))));
   });
#elif defined(__SSE2__)
   const __m128i quote = _mm_set1_epi8('"');
   const __m128i backslash = _mm_set1_epi8('\\');
   s = scan_detail::first_flagged_block_byte(s, end, [&](const std::uint8_t* block) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
      return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
   });
#endif
   while(s < end && *s != '"' && *s != '\\') {
      ++s;
   }
   return s;
}

void append_utf8(std::string& out, std::uint32_t cp) {
   if(cp < 0x80) {
      out.push_back(static_cast<char>(cp));
   } else if(cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
   } else if(cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
   } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
   }
}

}  // namespace

const char* scan_message(ScanStatus status) noexcept {
   switch(status) {
      case ScanStatus::ok:
         return "ok";
      case ScanStatus::unterminated:
         return "unterminated string";
      case ScanStatus::control_character:
         return "unescaped control character in a string";
      case ScanStatus::invalid_escape:
         return "invalid escape sequence in a string";
      case ScanStatus::invalid_utf8:
         return "invalid UTF-8 in a string";
   }
   return "invalid string";
}

bool scan_number(const std::uint8_t*& p, const std::uint8_t* end, const std::uint8_t*& error_at) noexcept {
   const std::uint8_t* s = p;
   auto digit = [&](const std::uint8_t* q) { return q < end && *q >= '0' && *q <= '9'; };
   if(s < end && *s == '-') {
      ++s;
   }
   if(s < end && *s == '0') {
      ++s;
   } else if(digit(s)) {
      while(digit(s)) {
         ++s;
      }
   } else {
      error_at = s;
      return false;
   }
   // One or more digits (a fraction, an exponent), or an error at the first non-digit.
   auto digits = [&] {
      if(!digit(s)) {
         error_at = s;
         return false;
      }
      while(digit(s)) {
         ++s;
      }
      return true;
   };
   if(s < end && *s == '.') {
      ++s;
      if(!digits()) {
         return false;
      }
   }
   if(s < end && (*s == 'e' || *s == 'E')) {
      ++s;
      if(s < end && (*s == '+' || *s == '-')) {
         ++s;
      }
      if(!digits()) {
         return false;
      }
   }
   p = s;
   return true;
}

std::string decode_string(const std::uint8_t* begin, const std::uint8_t* end) {
   std::string out;
   out.reserve(static_cast<std::size_t>(end - begin));
   const std::uint8_t* s = begin;
   while(s < end) {
      if(*s != '\\') {
         out.push_back(static_cast<char>(*s++));
         continue;
      }
      const std::uint8_t e = s[1];
      s += 2;
      switch(e) {
         case 'b': out.push_back('\b'); break;
         case 'f': out.push_back('\f'); break;
         case 'n': out.push_back('\n'); break;
         case 'r': out.push_back('\r'); break;
         case 't': out.push_back('\t'); break;
         case 'u': {
            std::uint32_t cp = (hex_value(s[0]) << 12) | (hex_value(s[1]) << 8) | (hex_value(s[2]) << 4) | hex_value(s[3]);
            s += 4;
            if(cp >= 0xD800 && cp <= 0xDBFF && end - s >= 6 && s[0] == '\\' && s[1] == 'u') {
               const std::uint32_t low =
                  (hex_value(s[2]) << 12) | (hex_value(s[3]) << 8) | (hex_value(s[4]) << 4) | hex_value(s[5]);
               if(low >= 0xDC00 && low <= 0xDFFF) {
                  cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                  s += 6;
               }
            }
            append_utf8(out, cp);
            break;
         }
         default: out.push_back(static_cast<char>(e)); break;  // '"', '\\', '/'
      }
   }
   return out;
}

const std::uint8_t* find_string_end(const std::uint8_t* p, const std::uint8_t* end) noexcept {
   while(p < end) {
      p = skip_to_quote_or_backslash(p, end);
      if(p == end) {
         return nullptr;
      }
      if(*p == '"') {
         return p;
      }
      p += 2;  // a backslash and the byte it escapes
   }
   return nullptr;
}

const std::uint8_t* skip_container_unchecked(const std::uint8_t* p, const std::uint8_t* end) noexcept {
   std::size_t depth = 0;
   while(p < end) {
      const std::uint8_t c = *p;
      if(c == '"') {
         p = find_string_end(p + 1, end);
         if(p == nullptr) {
            return nullptr;
         }
      } else if(c == '{' || c == '[') {
         ++depth;
      } else if(c == '}' || c == ']') {
         if(--depth == 0) {
            return p + 1;
         }
      }
      ++p;
   }
   return nullptr;
}

}  // namespace leastdata::json_text
