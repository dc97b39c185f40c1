// UTF-8 validation and UTF-16 length counting for the redaction entry points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace leastdata::redact::detail {

/// Byte offset of the first ill-formed sequence (its first byte) in `text`, or nothing when
/// `text` is well-formed UTF-8 (Unicode Table 3-7: shortest form, no surrogates, at most U+10FFFF).
std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

/// UTF-16 code units of the `size` UTF-8 bytes at `bytes`: lead bytes of four-byte sequences
/// (F0–F4) count two, continuation bytes none, every other byte one — for well-formed text,
/// exactly the length of the same string in UTF-16.
std::size_t utf16_length(const std::uint8_t* bytes, std::size_t size) noexcept;

}  // namespace leastdata::redact::detail
