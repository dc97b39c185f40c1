// The `jwt` detector: JSON Web Tokens in compact JWS form — three base64url segments joined
// by dots, the first (the header) starting with "eyJ" (the encoding of `{"`).
//
// All three segments must be non-empty (an unsecured "header.payload." token is not
// reported: its trailing dot cannot be told from a full stop) and the header at least four
// characters. Five-segment JWE tokens and longer dotted runs are not JWTs. Base64 padding
// ('=') is not part of the form.

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr bool is_base64url(std::uint8_t c) noexcept { return is_alnum(c) || c == '-' || c == '_'; }

std::size_t segment_end(const Text& text, std::size_t i) noexcept {
   while(is_base64url(text.at(i))) {
      ++i;
   }
   return i;
}

}  // namespace

std::optional<Span> match_jwt(const Text& text, std::size_t start) noexcept {
   const std::uint8_t prev = text.at(start - 1);
   if(is_base64url(prev) || prev == '.') {
      return std::nullopt;
   }
   if(text.at(start) != 'e' || text.at(start + 1) != 'y' || text.at(start + 2) != 'J') {
      return std::nullopt;
   }
   const std::size_t header_end = segment_end(text, start);
   if(header_end - start < 4 || text.at(header_end) != '.') {
      return std::nullopt;
   }
   const std::size_t payload_end = segment_end(text, header_end + 1);
   if(payload_end == header_end + 1 || text.at(payload_end) != '.') {
      return std::nullopt;
   }
   const std::size_t end = segment_end(text, payload_end + 1);
   if(end == payload_end + 1) {
      return std::nullopt;
   }
   if(text.at(end) == '.' && is_base64url(text.at(end + 1))) {
      return std::nullopt;
   }
   return Span{start, end};
}

}  // namespace leastdata::redact::detail
