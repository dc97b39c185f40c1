// Vocabulary shared by the redaction scanners: the bounds-free text view, ASCII byte
// classes, the boundary rules that keep entities from matching inside longer tokens, and the
// matcher entry points the driver (find.cpp) calls at candidate triggers.
//
// Every matcher is anchored at a trigger position, reads a bounded or linear stretch of text
// and returns the entity's exact byte span, or nothing. Matchers allocate nothing and copy no
// text, not even to the stack: in wasm a stack copy of a card number would outlive the call.
#pragma once

#include <leastdata/redact.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace leastdata::redact::detail {

/// A half-open byte range of the scanned text.
struct Span {
      std::size_t start;
      std::size_t end;
};

/// Read-only view of the scanned bytes. `at` returns 0 outside the text (including for
/// indices that wrapped below zero), so matchers can peek around a position without checks;
/// 0 belongs to no class below, so it acts as a boundary.
class Text final {
   public:
      explicit Text(std::string_view text) noexcept :
         m_data(reinterpret_cast<const std::uint8_t*>(text.data())), m_size(text.size()) {}

      std::size_t size() const noexcept { return m_size; }
      std::uint8_t at(std::size_t i) const noexcept { return i < m_size ? m_data[i] : 0; }
      const std::uint8_t* data() const noexcept { return m_data; }

   private:
      const std::uint8_t* m_data;
      std::size_t m_size;
};

constexpr bool is_digit(std::uint8_t c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_upper(std::uint8_t c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(std::uint8_t c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(std::uint8_t c) noexcept { return is_upper(c) || is_lower(c); }
constexpr bool is_alnum(std::uint8_t c) noexcept { return is_alpha(c) || is_digit(c); }
constexpr bool is_hex(std::uint8_t c) noexcept {
   return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/// Characters that glue tokens together. Non-ASCII bytes are not word characters, so an
/// entity written directly next to CJK text or an emoji is still found.
constexpr bool is_word(std::uint8_t c) noexcept { return is_alnum(c) || c == '_'; }
constexpr std::uint8_t to_upper(std::uint8_t c) noexcept {
   return is_lower(c) ? static_cast<std::uint8_t>(c - 'a' + 'A') : c;
}
constexpr std::uint8_t to_lower(std::uint8_t c) noexcept {
   return is_upper(c) ? static_cast<std::uint8_t>(c - 'A' + 'a') : c;
}

/// Punctuation that continues a number when a digit follows it: "12.0171", "3-4111", "12:30".
constexpr bool is_number_joiner(std::uint8_t c) noexcept {
   return c == '.' || c == ',' || c == '-' || c == '/' || c == ':';
}

/// Whether `pos` starts a later group of something written like the paper form of an IBAN of
/// a known country, before its registry length is reached ("DE89 3704 |0044 ..."), valid or
/// not: its groups are not phone or card numbers.
bool inside_iban_groups(const Text& text, std::size_t pos) noexcept;

/// Whether a numeric entity (phone, card) may start at `pos`: not glued to a word character,
/// not the tail of a longer number joined by punctuation ("1.0171...", "2024-0171..."), and
/// not a group inside an IBAN.
inline bool number_starts_at(const Text& text, std::size_t pos) noexcept {
   const std::uint8_t prev = text.at(pos - 1);
   if(is_word(prev)) {
      return false;
   }
   if(is_number_joiner(prev) && is_digit(text.at(pos - 2))) {
      return false;
   }
   return !(prev == ' ' && inside_iban_groups(text, pos));
}

/// Whether `pos` follows a number and one space ("12 |0171 ..."). Only an entity written
/// without spaces may start there: one grouped with spaces could be the tail of a longer
/// space-grouped number (digits inside a longer digit run never match). The card matcher
/// lifts this after a whole card (a list of cards).
inline bool follows_number(const Text& text, std::size_t pos) noexcept {
   return text.at(pos - 1) == ' ' && is_digit(text.at(pos - 2));
}

/// Whether a numeric entity may end at `end`: not glued to a word character and not followed
/// by more of the same number ("...567:30", "...567,89").
inline bool number_ends_at(const Text& text, std::size_t end) noexcept {
   const std::uint8_t next = text.at(end);
   if(is_word(next)) {
      return false;
   }
   return !(is_number_joiner(next) && is_digit(text.at(end + 1)));
}

// Matchers. The position argument names the trigger each one is anchored at.

/// `at` is the index of an '@'; the span starts at the local part.
std::optional<Span> match_email(const Text& text, std::size_t at) noexcept;

/// `start` is a '+', a '(' or a '0'.
std::optional<Span> match_phone(const Text& text, std::size_t start) noexcept;

/// `start` is a digit; `after_card` says that a card found by this matcher ends at the space
/// before it (then the number before `start` is a whole card, not the head of this one).
std::optional<Span> match_credit_card(const Text& text, std::size_t start, bool after_card) noexcept;

/// `start` is a letter at a word start.
std::optional<Span> match_iban(const Text& text, std::size_t start) noexcept;

/// `start` is a digit.
std::optional<Span> match_ipv4(const Text& text, std::size_t start) noexcept;

/// `start` is a hex digit or the first ':' of "::".
std::optional<Span> match_ipv6(const Text& text, std::size_t start) noexcept;

/// `eq` is the index of an '='; the span is the value of a secret query parameter.
std::optional<Span> match_query_secret(const Text& text, std::size_t eq) noexcept;

/// `colon` is the ':' of a "://"; the span is a `user:password` userinfo.
std::optional<Span> match_userinfo(const Text& text, std::size_t colon) noexcept;

/// Whether the '@' at `at` ends the `user:password` userinfo of a URL (then it is not an
/// e-mail address, whatever the host looks like).
bool ends_url_userinfo(const Text& text, std::size_t at) noexcept;

/// `start` is the 'e' of "eyJ".
std::optional<Span> match_jwt(const Text& text, std::size_t start) noexcept;

}  // namespace leastdata::redact::detail
