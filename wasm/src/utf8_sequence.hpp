// Well-formed UTF-8 (RFC 3629; the Unicode Standard, Table 3-7): shortest form, no
// surrogates, nothing above U+10FFFF. The one check of a multi-byte sequence, used by the
// JSON scanner (json_text.cpp), canonical JSON (jcs.cpp) and redaction (redact/utf8.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace leastdata::detail {

/// Length (2 to 4) of the well-formed multi-byte sequence at `p`, with `left` ≥ 1 bytes
/// available, or 0 when it is ill-formed (an ASCII byte at `p` is no multi-byte sequence).
inline std::size_t utf8_multibyte_length(const std::uint8_t* p, std::size_t left) noexcept {
   const std::uint8_t lead = p[0];
   std::size_t length = 0;
   std::uint8_t low = 0x80;  // bounds of the second byte
   std::uint8_t high = 0xBF;
   if(lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
   } else if(lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
      high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
   } else if(lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      low = lead == 0xF0 ? 0x90 : 0x80;   // no overlong forms
      high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
   } else {
      return 0;
   }
   if(left < length || p[1] < low || p[1] > high) {
      return 0;
   }
   for(std::size_t n = 2; n < length; ++n) {
      if((p[n] & 0xC0) != 0x80) {
         return 0;
      }
   }
   return length;
}

/// The code point of the `length`-byte sequence at `p` that utf8_multibyte_length accepted.
inline char32_t utf8_decode(const std::uint8_t* p, std::size_t length) noexcept {
   char32_t code_point = p[0] & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
   for(std::size_t n = 1; n < length; ++n) {
      code_point = (code_point << 6) | (p[n] & 0x3F);
   }
   return code_point;
}

}  // namespace leastdata::detail
