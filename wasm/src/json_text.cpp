// See json_text.hpp. The string scanner is the filter's hot loop: it tests sixteen bytes
// at a time (wasm SIMD128, SSE2; eight with a portable SWAR fallback) for anything that
// needs attention (quote, backslash, control character, non-ASCII) and jumps straight to
// the first such byte, which it then handles alone.
#include "json_text.hpp"

#include "utf8_sequence.hpp"

#include <cstring>

#if defined(__wasm_simd128__)
   #include <wasm_simd128.h>
#elif defined(__SSE2__)
   #include <emmintrin.h>
#endif

namespace leastdata::json_text {

namespace {

#if defined(__wasm_simd128__) || defined(__SSE2__)
// Moves `s` sixteen bytes at a time to the first byte `flags` (a block's 16-bit mask of
// bytes that need attention) marks; stops less than 16 bytes before `end` when no whole
// block has one.
template <typename Flags>
inline const std::uint8_t* first_flagged_block_byte(const std::uint8_t* s, const std::uint8_t* end, Flags flags) noexcept {
   while(end - s >= 16) {
      const std::uint32_t mask = flags(s);
      if(mask != 0) {
         return s + __builtin_ctz(mask);
      }
      s += 16;
   }
   return s;
}
#endif

// The first byte in [s, end) that is '"', '\\', below 0x20 or at least 0x80; a pointer
// less than 16 bytes before `end` when there is none in the whole blocks (the caller
// looks at the tail byte by byte).
inline const std::uint8_t* skip_plain(const std::uint8_t* s, const std::uint8_t* end) noexcept {
#if defined(__wasm_simd128__)
   const v128_t quote = wasm_i8x16_splat('"');
   const v128_t backslash = wasm_i8x16_splat('\\');
   const v128_t below_space = wasm_i8x16_splat(0x20);
   return first_flagged_block_byte(s, end, [&](const std::uint8_t* block) {
      const v128_t v = wasm_v128_load(block);
      // Unsigned v < 0x20 also flags nothing at or above 0x80; the sign bit catches those.
      const v128_t hit = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash)),
                                      wasm_v128_or(wasm_u8x16_lt(v, below_space), v));
      return static_cast<std::uint32_t>(wasm_i8x16_bitmask(hit));
   });
#elif defined(__SSE2__)
   const __m128i quote = _mm_set1_epi8('"');
   const __m128i backslash = _mm_set1_epi8('\\');
   const __m128i control_max = _mm_set1_epi8(0x1F);
   return first_flagged_block_byte(s, end, [&](const std::uint8_t* block) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
      // max(v, 0x1F) == 0x1F exactly when v <= 0x1F (unsigned); the sign bit flags >= 0x80.
      const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max), v));
      return static_cast<std::uint32_t>(_mm_movemask_epi8(hit));
   });
#else
   constexpr std::uint64_t ones = 0x0101010101010101ULL;
   constexpr std::uint64_t highs = 0x8080808080808080ULL;
   while(end - s >= 8) {
      std::uint64_t v;
      std::memcpy(&v, s, 8);
      const std::uint64_t quote = v ^ (ones * '"');
      const std::uint64_t backslash = v ^ (ones * '\\');
      const std::uint64_t is_quote = (quote - ones) & ~quote;
      const std::uint64_t is_backslash = (backslash - ones) & ~backslash;
      const std::uint64_t is_control = (v - ones * 0x20) & ~v;
      // Borrows only run upwards, so the lowest flagged byte is a true hit (little-endian).
      const std::uint64_t hit = (is_quote | is_backslash | is_control | v) & highs;
      if(hit != 0) {
         return s + __builtin_ctzll(hit) / 8;
      }
      s += 8;
   }
#endif
   return s;
}

// The first '"' or '\\' in [s, end), or `end`. Sixteen bytes at a time where SIMD is
// there: a look-ahead skips whole strings of any script, not only ASCII ones.
inline const std::uint8_t* skip_to_quote_or_backslash(const std::uint8_t* s, const std::uint8_t* end) noexcept {
#if defined(__wasm_simd128__)
   const v128_t quote = wasm_i8x16_splat('"');
   const v128_t backslash = wasm_i8x16_splat('\\');
   s = first_flagged_block_byte(s, end, [&](const std::uint8_t* block) {
      const v128_t v = wasm_v128_load(block);
      return static_cast<std::uint32_t>(wasm_i8x16_bitmask(wasm_v128_or(wasm_i8x16_eq(v, quote), wasm_i8x16_eq(v, backslash))));
   });
#elif defined(__SSE2__)
   const __m128i quote = _mm_set1_epi8('"');
   const __m128i backslash = _mm_set1_epi8('\\');
   s = first_flagged_block_byte(s, end, [&](const std::uint8_t* block) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
      return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
   });
#endif
   while(s < end && *s != '"' && *s != '\\') {
      ++s;
   }
   return s;
}

inline bool is_hex(std::uint8_t c) noexcept { return hex_digit_value(c) >= 0; }

// Only for bytes is_hex accepted.
inline unsigned hex_value(std::uint8_t c) noexcept { return static_cast<unsigned>(hex_digit_value(c)); }

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

ScanStatus scan_string(const std::uint8_t* p, const std::uint8_t* end, StringSpan& span) noexcept {
   const std::uint8_t* s = p + 1;
   span.begin = s;
   span.escaped = false;
   for(;;) {
      s = skip_plain(s, end);
      if(s >= end) {
         span.error_at = p;
         return ScanStatus::unterminated;
      }
      const std::uint8_t c = *s;
      if(c == '"') {
         span.end = s;
         return ScanStatus::ok;
      }
      if(c == '\\') {
         span.escaped = true;
         if(end - s < 2) {
            span.error_at = p;
            return ScanStatus::unterminated;
         }
         switch(s[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
               s += 2;
               break;
            case 'u':
               if(end - s < 6 || !is_hex(s[2]) || !is_hex(s[3]) || !is_hex(s[4]) || !is_hex(s[5])) {
                  span.error_at = s;
                  return ScanStatus::invalid_escape;
               }
               s += 6;
               break;
            default:
               span.error_at = s;
               return ScanStatus::invalid_escape;
         }
      } else if(c < 0x20) {
         span.error_at = s;
         return ScanStatus::control_character;
      } else if(c >= 0x80) {
         const std::size_t n = detail::utf8_multibyte_length(s, static_cast<std::size_t>(end - s));
         if(n == 0) {
            span.error_at = s;
            return ScanStatus::invalid_utf8;
         }
         s += n;
      } else {
         ++s;
      }
   }
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
