// Byte-level JSON lexing shared by the filter, the redactor and tests: strings (with
// full UTF-8 validation), numbers, whitespace, and an unchecked skipper for looking
// ahead. Everything works on [p, end) ranges and never reads past `end`.
#pragma once

#include <cstdint>
#include <string>

namespace leastdata::json_text {

inline bool is_space(std::uint8_t c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

/// The value of a hexadecimal digit (either case), or -1 for any other byte.
constexpr int hex_digit_value(std::uint8_t c) noexcept {
   return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

inline const std::uint8_t* skip_space(const std::uint8_t* p, const std::uint8_t* end) noexcept {
   while(p < end && is_space(*p)) {
      ++p;
   }
   return p;
}

enum class ScanStatus : std::uint8_t { ok, unterminated, control_character, invalid_escape, invalid_utf8 };

const char* scan_message(ScanStatus status) noexcept;

struct StringSpan {
      const std::uint8_t* begin = nullptr;     // first byte after the opening quote
      const std::uint8_t* end = nullptr;       // the closing quote
      bool escaped = false;                    // contains a backslash escape
      const std::uint8_t* error_at = nullptr;  // where scanning failed
};

// scan_string, which fills a StringSpan, is json_string_scan.hpp: inlined where it is used.

/// Validates a number starting at `p` (RFC 8259 grammar) and moves `p` past it.
bool scan_number(const std::uint8_t*& p, const std::uint8_t* end, const std::uint8_t*& error_at) noexcept;

/// Decodes the contents of a validated string (between its quotes) to UTF-8. An
/// escaped lone surrogate becomes its 3-byte generalised UTF-8 form, so it never
/// equals a valid name.
std::string decode_string(const std::uint8_t* begin, const std::uint8_t* end);

/// Writes `byte` of UTF-8 text at `out` as it must appear inside a JSON string
/// (quote, backslash and control characters escaped), advancing `out`.
inline void put_escaped(std::uint8_t*& out, std::uint8_t byte) noexcept {
   static constexpr char hex[] = "0123456789abcdef";
   const char short_form = byte == '"' ? '"' : byte == '\\' ? '\\' : byte == '\n' ? 'n' : byte == '\r' ? 'r'
                         : byte == '\t' ? 't' : byte == '\b' ? 'b' : byte == '\f' ? 'f' : 0;
   if(short_form != 0) {
      *out++ = '\\';
      *out++ = static_cast<std::uint8_t>(short_form);
   } else if(byte < 0x20) {
      *out++ = '\\';
      *out++ = 'u';
      *out++ = '0';
      *out++ = '0';
      *out++ = static_cast<std::uint8_t>(hex[byte >> 4]);
      *out++ = static_cast<std::uint8_t>(hex[byte & 0xF]);
   } else {
      *out++ = byte;
   }
}

/// For looking ahead without validating: the closing quote of a string whose contents
/// start at `p`, or null.
const std::uint8_t* find_string_end(const std::uint8_t* p, const std::uint8_t* end) noexcept;

/// For looking ahead without validating: the byte after the container opened at `p`,
/// or null.
const std::uint8_t* skip_container_unchecked(const std::uint8_t* p, const std::uint8_t* end) noexcept;

}  // namespace leastdata::json_text
