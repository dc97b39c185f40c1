// The `email` detector: a practical subset of RFC 5322 addr-spec, anchored at the '@'.
//
// Local part: ASCII letters, digits and `. _ % + -`, 1–64 characters, no leading, trailing
// or doubled dot. Quoted local parts and the rarer atext symbols (`! # $ & ' * / = ? ^ ` { | } ~`)
// are left out on purpose: in running text they are far more often the punctuation around
// an address ("'a@b.de'", "?mail=a@b.de") than part of it.
// Domain: two or more dot-separated labels of letters, digits and inner hyphens (each at most
// 63 characters, all together at most 253), the last one (the TLD) two or more letters or a
// punycode label ("xn--p1ai", .рф). Labels may be written in Unicode ("bücher.de",
// "почта.рф") with the letters of the alphabetic scripts below; the local part stays ASCII,
// as it must for every mail system that does not speak SMTPUTF8 (RFC 6531).

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr std::size_t max_local_part = 64;
constexpr std::size_t max_domain = 253;
constexpr std::size_t max_label = 63;

/// Code points that may be part of a Unicode domain label: the letters and combining marks of
/// alphabetic scripts written with spaces between words. Scripts written without spaces
/// (Han, kana, Thai, ...) and Hangul, whose particles attach to the preceding word, are left
/// out: there, text runs straight on from an address ("联系john@example.com谢谢"), and the
/// address must end where the script changes. Punctuation, digits and symbols of the listed
/// blocks are left out too. Every range lies below U+2000 (two or three UTF-8 bytes).
struct Range {
      char32_t first;
      char32_t last;
};

constexpr Range domain_letters[] = {
   {0x00C0, 0x00D6}, {0x00D8, 0x00F6}, {0x00F8, 0x024F},  // Latin-1 letters, Latin Extended-A and -B
   {0x0300, 0x036F},                                      // combining diacritical marks
   {0x0386, 0x0386}, {0x0388, 0x03FF},                    // Greek (not ; · or the spacing accents)
   {0x0400, 0x0481}, {0x048A, 0x052F},                    // Cyrillic (not ҂ or the titlo marks)
   {0x0531, 0x0556}, {0x0561, 0x0587},                    // Armenian letters
   {0x05D0, 0x05EA},                                      // Hebrew letters
   {0x0620, 0x065F}, {0x066E, 0x06D3},                    // Arabic letters and marks (not digits, ، ؟ ۔)
   {0x0900, 0x0963}, {0x0971, 0x097F},                    // Devanagari (not the dandas or digits)
   {0x10D0, 0x10FA},                                      // Georgian
   {0x1E00, 0x1EFF},                                      // Latin Extended Additional (Vietnamese)
};

/// Byte length of the domain letter encoded at `i`, or 0 when there is none (ASCII, another
/// character, or an ill-formed sequence: `find` does not validate its input).
std::size_t domain_letter_at(const Text& text, std::size_t i) noexcept {
   const std::uint8_t lead = text.at(i);
   char32_t cp = 0;
   std::size_t length = 0;
   if(lead >= 0xC2 && lead <= 0xDF) {
      cp = lead & 0x1Fu;
      length = 2;
   } else if(lead == 0xE1) {  // U+1000..U+1FFF
      cp = lead & 0x0Fu;
      length = 3;
   } else {
      return 0;
   }
   for(std::size_t n = 1; n < length; ++n) {
      const std::uint8_t c = text.at(i + n);
      if((c & 0xC0) != 0x80) {
         return 0;
      }
      cp = (cp << 6) | (c & 0x3Fu);
   }
   for(const Range& range : domain_letters) {
      if(cp >= range.first && cp <= range.last) {
         return length;
      }
   }
   return 0;
}

/// Byte length of the label character at `i` — an ASCII letter or digit, or a domain letter —
/// or 0.
std::size_t label_char_at(const Text& text, std::size_t i) noexcept {
   return is_alnum(text.at(i)) ? 1 : domain_letter_at(text, i);
}

/// Whether the label [start, end) is a punycode label ("xn--" and at least one character).
bool is_punycode(const Text& text, std::size_t start, std::size_t end) noexcept {
   return end - start > 4 && to_lower(text.at(start)) == 'x' && to_lower(text.at(start + 1)) == 'n' &&
          text.at(start + 2) == '-' && text.at(start + 3) == '-';
}

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

/// End of the domain starting at `begin`, or nothing when it is not a dotted domain whose TLD
/// is alphabetic or punycode.
std::optional<std::size_t> domain_end(const Text& text, std::size_t begin) noexcept {
   std::size_t i = begin;
   std::size_t labels = 0;
   std::size_t domain_chars = 0;
   bool last_is_tld = false;
   while(label_char_at(text, i) != 0) {
      const std::size_t label_start = i;
      std::size_t label_chars = 0;
      std::size_t letters = 0;  // ASCII letters and domain letters
      std::size_t trailing_hyphens = 0;
      for(;;) {
         const std::size_t length = text.at(i) == '-' ? 1 : label_char_at(text, i);
         if(length == 0) {
            break;
         }
         trailing_hyphens = text.at(i) == '-' ? trailing_hyphens + 1 : 0;
         letters += static_cast<std::size_t>(length > 1 || is_alpha(text.at(i)));
         i += length;
         ++label_chars;
         if(++domain_chars > max_domain) {
            return std::nullopt;
         }
      }
      i -= trailing_hyphens;  // a label never ends with a hyphen
      label_chars -= trailing_hyphens;
      if(label_chars > max_label) {
         return std::nullopt;
      }
      ++labels;
      last_is_tld = trailing_hyphens == 0 &&
                    ((letters == label_chars && label_chars >= 2) || is_punycode(text, label_start, i));
      if(text.at(i) != '.' || label_char_at(text, i + 1) == 0) {
         break;
      }
      ++i;
      ++domain_chars;
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
