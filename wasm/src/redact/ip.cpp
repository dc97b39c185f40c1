// The `ip` detector: strict IPv4 dotted quads and the IPv6 text forms of RFC 4291 §2.2.
//
// IPv4: four decimal octets 0–255 without leading zeros ("010.1.1.1" and "256.1.1.1" are
// not addresses). Any valid quad is reported, "1.2.3.4" included: a dotted quad is an
// address as far as the text can tell, and over-redacting a rare four-part version number
// is the safe side. Version strings that are not quads — "10.0.19045", "1.2.3.4.5",
// "v1.2.3.4" — are left alone.
// IPv6: eight groups of 1–4 hex digits, or fewer with one "::" (including "::" and "::1"
// alone), optionally ending in an embedded IPv4 quad ("::ffff:192.0.2.1"). Zone indices
// ("%eth0") are not part of the span; brackets and ports around an address are not either.
// Times ("12:30:45") and MAC addresses (six groups, no "::") do not parse as IPv6, nor does
// a run of three or more colons (":::").
// A CIDR prefix length ("10.0.0.0/24", "2001:db8::/32") is part of the span: the address
// block is the entity, and "<IP>/24" would keep half of it. A host in a URL
// ("http://10.0.0.1/24") is followed by a path, never by a prefix.

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

/// End of a decimal octet 0–255 without a leading zero at `i`, or nothing.
std::optional<std::size_t> octet_end(const Text& text, std::size_t i) noexcept {
   if(!is_digit(text.at(i))) {
      return std::nullopt;
   }
   if(text.at(i) == '0') {
      return is_digit(text.at(i + 1)) ? std::nullopt : std::optional<std::size_t>(i + 1);
   }
   unsigned value = 0;
   std::size_t n = 0;
   while(is_digit(text.at(i + n))) {
      if(n == 3) {
         return std::nullopt;
      }
      value = value * 10 + static_cast<unsigned>(text.at(i + n) - '0');
      ++n;
   }
   if(value > 255) {
      return std::nullopt;
   }
   return i + n;
}

/// End of a dotted quad at `i` (no boundary checks), or nothing.
std::optional<std::size_t> quad_end(const Text& text, std::size_t i) noexcept {
   for(int octet = 0; octet < 4; ++octet) {
      if(octet > 0) {
         if(text.at(i) != '.') {
            return std::nullopt;
         }
         ++i;
      }
      const auto end = octet_end(text, i);
      if(!end) {
         return std::nullopt;
      }
      i = *end;
   }
   return i;
}

std::size_t hex_run(const Text& text, std::size_t i, std::size_t limit) noexcept {
   std::size_t n = 0;
   while(n < limit && is_hex(text.at(i + n))) {
      ++n;
   }
   return n;
}

/// End of the address ending at `end` with its CIDR prefix length ("/0".."/max_prefix", no
/// leading zero), when one follows; `end` otherwise.
std::size_t with_prefix(const Text& text, std::size_t start, std::size_t end, unsigned max_prefix) noexcept {
   if(text.at(end) != '/' || !is_digit(text.at(end + 1))) {
      return end;
   }
   if(text.at(start - 1) == '/' && text.at(start - 2) == '/') {
      return end;  // a URL's host: what follows is a path
   }
   std::size_t i = end + 1;
   unsigned value = 0;
   while(is_digit(text.at(i)) && i - end <= 3) {
      value = value * 10 + static_cast<unsigned>(text.at(i) - '0');
      ++i;
   }
   const bool leading_zero = text.at(end + 1) == '0' && i - end > 2;
   const std::uint8_t next = text.at(i);
   if(value > max_prefix || leading_zero || is_word(next) || next == '/' ||
      (is_number_joiner(next) && is_digit(text.at(i + 1)))) {
      return end;  // not a prefix length: too large, or joined to more ("/2024", "/24/x", "/12.5")
   }
   return i;
}

constexpr unsigned ipv4_bits = 32;
constexpr unsigned ipv6_bits = 128;

}  // namespace

std::optional<Span> match_ipv4(const Text& text, std::size_t start) noexcept {
   const std::uint8_t prev = text.at(start - 1);
   if(is_word(prev) || (prev == '.' && is_word(text.at(start - 2)))) {
      return std::nullopt;  // glued to a word, or the tail of a longer dotted run
   }
   const auto end = quad_end(text, start);
   if(!end) {
      return std::nullopt;
   }
   const std::uint8_t next = text.at(*end);
   if(is_word(next) || (next == '.' && is_word(text.at(*end + 1)))) {
      return std::nullopt;
   }
   return Span{start, with_prefix(text, start, *end, ipv4_bits)};
}

std::optional<Span> match_ipv6(const Text& text, std::size_t start) noexcept {
   const std::uint8_t prev = text.at(start - 1);
   if(is_word(prev) || prev == ':' || (prev == '.' && is_word(text.at(start - 2)))) {
      return std::nullopt;
   }

   std::size_t i = start;
   std::size_t groups = 0;
   bool compressed = false;
   std::optional<std::size_t> end;  // the longest valid address so far

   if(text.at(i) == ':') {
      if(text.at(i + 1) != ':') {
         return std::nullopt;
      }
      compressed = true;
      i += 2;
      end = i;
   }
   for(;;) {
      const std::size_t run = hex_run(text, i, 5);
      if(run == 0 || run == 5) {
         break;
      }
      if(text.at(i + run) == '.') {
         // An embedded IPv4 quad stands for the last two groups.
         if(const auto quad = quad_end(text, i)) {
            if(compressed ? groups + 2 <= 7 : groups + 2 == 8) {
               end = *quad;
            }
            break;
         }
      }
      i += run;
      ++groups;
      if(groups > 8) {
         break;
      }
      if(compressed ? groups <= 7 : groups == 8) {
         end = i;
      }
      if(text.at(i) == ':' && text.at(i + 1) == ':') {
         if(compressed) {
            break;
         }
         compressed = true;
         i += 2;
         if(groups <= 7) {
            end = i;
         }
         continue;
      }
      if(text.at(i) == ':' && is_hex(text.at(i + 1))) {
         ++i;
         continue;
      }
      break;
   }

   if(!end) {
      return std::nullopt;
   }
   const std::uint8_t next = text.at(*end);
   const std::uint8_t after = text.at(*end + 1);
   if(is_word(next) || (next == ':' && (is_hex(after) || after == ':')) || (next == '.' && is_digit(after))) {
      return std::nullopt;
   }
   if(next == ':' && text.at(*end - 1) == ':') {
      return std::nullopt;  // ":::" is no address, however it continues
   }
   return Span{start, with_prefix(text, start, *end, ipv6_bits)};
}

}  // namespace leastdata::redact::detail
