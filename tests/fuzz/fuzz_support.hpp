// Shared by the libFuzzer targets in tests/fuzz/ (docs/fuzzing.md): how a target reports a
// broken invariant, and the checks several targets make on errors and on JSON text.
//
// A target must not merely survive its input: every property it states is checked, and a
// failed check prints what was expected and traps, which libFuzzer reports as a crash and
// saves as an artefact.
#pragma once

#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace leastdata::fuzz {

/// Stops the run when an invariant does not hold. The message goes where sanitizer reports
/// go, which libFuzzer keeps open even when -close_fd_mask=2 silences the code under test.
[[noreturn]] inline void broken(std::string_view what, std::string_view detail = {}) {
   std::string message = "\n*** leastdata fuzz: invariant broken: " + std::string(what);
   if(!detail.empty()) {
      message += "\n*** detail: " + std::string(detail.substr(0, 2000));
   }
   __sanitizer_report_error_summary(message.c_str());
   __builtin_trap();
}

inline void check(bool holds, std::string_view what, std::string_view detail = {}) {
   if(!holds) {
      broken(what, detail);
   }
}

/// `check` with a detail that is worth building only when the check fails.
template <typename Detail>
   requires std::invocable<Detail>
inline void check(bool holds, std::string_view what, Detail&& detail) {
   if(!holds) {
      broken(what, std::forward<Detail>(detail)());
   }
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
   return {reinterpret_cast<const char*>(data), size};
}

/// An error's code is one of `allowed`; when `needs_offset`, it carries an offset, and any
/// offset lies within the `input_size` bytes it points into (the end included: "empty
/// input" is reported at 0 of 0).
inline void check_error(const Error& error, std::initializer_list<ErrorCode> allowed, std::size_t input_size,
                        bool needs_offset) {
   bool known = false;
   for(const ErrorCode code : allowed) {
      known = known || error.code() == code;
   }
   check(known, "error code is one of the codes documented for this call", [&] { return error.to_json(); });
   check(!error.code_name().empty(), "error code has a stable wire name");
   check(!error.message().empty(), "error has a message");
   check(!needs_offset || error.offset().has_value(), "error carries an offset", error.message());
   check(!error.offset() || *error.offset() <= input_size, "error offset lies within the input",
         [&] { return error.to_json() + " for " + std::to_string(input_size) + " bytes"; });
}

/// The length of the well-formed UTF-8 sequence at `at` (Unicode Table 3-7), or 0. Written
/// independently of the core's decoders, which the targets check against it.
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t at) noexcept {
   const auto b = static_cast<std::uint8_t>(text[at]);
   std::size_t length = 0;
   std::uint8_t low = 0x80;
   std::uint8_t high = 0xBF;
   if(b < 0x80) {
      return 1;
   } else if(b >= 0xC2 && b <= 0xDF) {
      length = 2;
   } else if(b >= 0xE0 && b <= 0xEF) {
      length = 3;
      low = b == 0xE0 ? 0xA0 : 0x80;
      high = b == 0xED ? 0x9F : 0xBF;
   } else if(b >= 0xF0 && b <= 0xF4) {
      length = 4;
      low = b == 0xF0 ? 0x90 : 0x80;
      high = b == 0xF4 ? 0x8F : 0xBF;
   } else {
      return 0;
   }
   for(std::size_t k = 1; k < length; ++k) {
      if(at + k >= text.size()) {
         return 0;
      }
      const auto c = static_cast<std::uint8_t>(text[at + k]);
      if(c < (k == 1 ? low : 0x80) || c > (k == 1 ? high : 0xBF)) {
         return 0;
      }
   }
   return length;
}

/// What `scan_json` found: whether the text is one RFC 8259 JSON value, and how many scalars
/// (strings, numbers, literals; not member names) it holds.
struct JsonScan {
      bool ok = false;
      std::size_t scalars = 0;
};

/// An RFC 8259 grammar check written for the fuzz targets, independent of the code under
/// test and of nlohmann::json, which refuses numbers beyond the range of a double and lone
/// surrogate escapes (both valid JSON text) and takes a NUL byte for the end of the input.
/// Nesting deeper than 2048 is reported as not JSON (no target accepts that much).
class JsonScanner final {
   public:
      explicit JsonScanner(std::string_view text) : m_text(text) {}

      JsonScan scan() {
         space();
         const bool ok = value(0) && (space(), m_at == m_text.size());
         return {ok, ok ? m_scalars : 0};
      }

   private:
      bool value(std::size_t depth) {
         if(m_at >= m_text.size() || depth > 2048) {
            return false;
         }
         switch(m_text[m_at]) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return ++m_scalars, string();
            case 't': return ++m_scalars, literal("true");
            case 'f': return ++m_scalars, literal("false");
            case 'n': return ++m_scalars, literal("null");
            default: return ++m_scalars, number();
         }
      }

      bool object(std::size_t depth) {
         ++m_at;
         space();
         if(eat('}')) {
            return true;
         }
         do {
            space();
            if(m_at >= m_text.size() || m_text[m_at] != '"' || !string() || (space(), !eat(':')) || (space(), !value(depth))) {
               return false;
            }
            space();
         } while(eat(','));
         return eat('}');
      }

      bool array(std::size_t depth) {
         ++m_at;
         space();
         if(eat(']')) {
            return true;
         }
         do {
            space();
            if(!value(depth)) {
               return false;
            }
            space();
         } while(eat(','));
         return eat(']');
      }

      bool string() {
         ++m_at;
         while(m_at < m_text.size()) {
            const auto c = static_cast<std::uint8_t>(m_text[m_at]);
            if(c == '"') {
               ++m_at;
               return true;
            }
            if(c < 0x20) {
               return false;
            }
            if(c == '\\') {
               if(++m_at >= m_text.size()) {
                  return false;
               }
               const char e = m_text[m_at++];
               if(e == 'u') {
                  for(int k = 0; k < 4; ++k, ++m_at) {
                     if(m_at >= m_text.size() || !is_hex(m_text[m_at])) {
                        return false;
                     }
                  }
               } else if(std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                  return false;
               }
            } else if(c < 0x80) {
               ++m_at;
            } else if(!utf8_sequence()) {
               return false;
            }
         }
         return false;
      }

      // One well-formed multi-byte UTF-8 sequence.
      bool utf8_sequence() {
         const std::size_t length = utf8_sequence_length(m_text, m_at);
         if(length < 2) {
            return false;
         }
         m_at += length;
         return true;
      }

      bool number() {
         eat('-');
         if(eat('0')) {
         } else if(!digits()) {
            return false;
         }
         if(eat('.') && !digits()) {
            return false;
         }
         if(eat('e') || eat('E')) {
            if(!eat('+')) {
               eat('-');
            }
            return digits();
         }
         return true;
      }

      bool digits() {
         const std::size_t from = m_at;
         while(m_at < m_text.size() && m_text[m_at] >= '0' && m_text[m_at] <= '9') {
            ++m_at;
         }
         return m_at > from;
      }

      bool literal(std::string_view word) {
         if(m_text.substr(m_at, word.size()) != word) {
            return false;
         }
         m_at += word.size();
         return true;
      }

      bool eat(char c) {
         if(m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
         }
         return false;
      }

      void space() {
         while(m_at < m_text.size() &&
               (m_text[m_at] == ' ' || m_text[m_at] == '\t' || m_text[m_at] == '\n' || m_text[m_at] == '\r')) {
            ++m_at;
         }
      }

      static bool is_hex(char c) {
         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      }

      std::string_view m_text;
      std::size_t m_at = 0;
      std::size_t m_scalars = 0;
};

inline JsonScan scan_json(std::string_view text) {
   return JsonScanner(text).scan();
}

/// Whether `text` is one RFC 8259 JSON value.
inline bool is_json(std::string_view text) {
   return scan_json(text).ok;
}

/// Whether JSON text has no whitespace outside its strings.
inline bool is_compact_json(std::string_view text) {
   bool in_string = false;
   for(std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if(in_string) {
         if(c == '\\') {
            ++i;
         } else if(c == '"') {
            in_string = false;
         }
      } else if(c == '"') {
         in_string = true;
      } else if(c == ' ' || c == '\t' || c == '\n' || c == '\r') {
         return false;
      }
   }
   return true;
}

}  // namespace leastdata::fuzz
