// UTF-8 validation and UTF-16 length counting for the redaction entry points. Both run over
// the whole input once per call, so both skip ASCII eight bytes at a time.

#include "utf8.hpp"

#include "../utf8_sequence.hpp"

#include <cstring>

namespace leastdata::redact::detail {

namespace {

constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

bool ascii_word(const std::uint8_t* p) noexcept {
   std::uint64_t word;
   std::memcpy(&word, p, sizeof(word));
   return (word & high_bits) == 0;
}

constexpr bool is_continuation(std::uint8_t c) noexcept { return (c & 0xC0) == 0x80; }

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept {
   const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
   const std::size_t size = text.size();
   std::size_t i = 0;
   while(i < size) {
      if(i + 8 <= size && ascii_word(bytes + i)) {
         i += 8;
         continue;
      }
      if(bytes[i] < 0x80) {
         ++i;
         continue;
      }
      const std::size_t length = leastdata::detail::utf8_multibyte_length(bytes + i, size - i);
      if(length == 0) {
         return i;
      }
      i += length;
   }
   return std::nullopt;
}

std::size_t utf16_length(const std::uint8_t* bytes, std::size_t size) noexcept {
   std::size_t units = 0;
   std::size_t i = 0;
   while(i < size) {
      if(i + 8 <= size && ascii_word(bytes + i)) {
         units += 8;
         i += 8;
         continue;
      }
      const std::uint8_t c = bytes[i];
      units += static_cast<std::size_t>(!is_continuation(c)) + static_cast<std::size_t>(c >= 0xF0 && c <= 0xF4);
      ++i;
   }
   return units;
}

}  // namespace leastdata::redact::detail
