// The `email` detector: a practical subset of RFC 5322 addr-spec, anchored at the '@'.
//
// Local part: ASCII letters, digits and `. _ % + -`, 1–64 characters, no leading, trailing
// or doubled dot. Quoted local parts and the rarer atext symbols (`! # $ & ' * / = ? ^ ` { | } ~`)
// are left out on purpose: in running text they are far more often the punctuation around
// an address ("'a@b.de'", "?mail=a@b.de") than part of it.
// Domain: two or more dot-separated labels of letters, digits and inner hyphens (each at most
// 63, all together at most 253), the last one (the TLD) two or more letters.

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr std::size_t max_local_part = 64;
constexpr std::size_t max_domain = 253;
constexpr std::size_t max_label = 63;

constexpr bool is_local_char(std::uint8_t c) noexcept {
   return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/// Start of the local part ending before `at`, or nothing when there is none.
std::optional<std::size_t> local_part_start(const Text& text, std::size_t at) noexcept {
   std::size_t start = at;
   while(start > 0 && is_local_char(text.at(start - 1))) {
      --start;
      if(at - start > max_local_part) {
         return std::nullopt;
      }
   }
   // An ellipsis or full stop before the address is punctuation, not part of it.
   while(start < at && text.at(start) == '.') {
      ++start;
   }
   if(start == at || text.at(at - 1) == '.') {
      return std::nullopt;
   }
   for(std::size_t i = start + 1; i < at; ++i) {
      if(text.at(i) == '.' && text.at(i - 1) == '.') {
         return std::nullopt;
      }
   }
   return start;
}

/// End of the domain starting at `begin`, or nothing when it is not a dotted domain with an
/// alphabetic TLD.
std::optional<std::size_t> domain_end(const Text& text, std::size_t begin) noexcept {
   std::size_t i = begin;
   std::size_t labels = 0;
   bool last_is_tld = false;
   while(is_alnum(text.at(i))) {
      const std::size_t label_start = i;
      bool letters_only = true;
      while(is_alnum(text.at(i)) || text.at(i) == '-') {
         letters_only = letters_only && is_alpha(text.at(i));
         ++i;
         if(i - begin > max_domain) {
            return std::nullopt;
         }
      }
      while(text.at(i - 1) == '-') {  // a label never ends with a hyphen
         --i;
         letters_only = false;
      }
      if(i - label_start > max_label) {
         return std::nullopt;
      }
      ++labels;
      last_is_tld = letters_only && i - label_start >= 2;
      if(text.at(i) != '.' || !is_alnum(text.at(i + 1))) {
         break;
      }
      ++i;
   }
   if(labels < 2 || !last_is_tld) {
      return std::nullopt;
   }
   return i;
}

}  // namespace

bool ends_url_userinfo(const Text& text, std::size_t at) noexcept {
   // Walk back over what an authority may hold until the "//" that opens it; a ':' on the
   // way means `user:password@`.
   constexpr std::size_t max_authority = 1024;
   const std::size_t limit = at > max_authority ? at - max_authority : 0;
   bool colon = false;
   for(std::size_t i = at; i > limit; --i) {
      const std::uint8_t c = text.at(i - 1);
      if(c == '/') {
         return colon && text.at(i - 2) == '/' && text.at(i - 3) == ':';
      }
      if(c == ':') {
         colon = true;
      } else if(c <= ' ' || c >= 0x7F || c == '?' || c == '#' || c == '"' || c == '<' || c == '>') {
         return false;
      }
   }
   return false;
}

std::optional<Span> match_email(const Text& text, std::size_t at) noexcept {
   const auto start = local_part_start(text, at);
   if(!start) {
      return std::nullopt;
   }
   const auto end = domain_end(text, at + 1);
   if(!end) {
      return std::nullopt;
   }
   const std::uint8_t next = text.at(*end);
   if(is_word(next) || next == '-' || next == '@') {
      return std::nullopt;
   }
   if(ends_url_userinfo(text, at)) {
      return std::nullopt;
   }
   return Span{*start, *end};
}

}  // namespace leastdata::redact::detail
