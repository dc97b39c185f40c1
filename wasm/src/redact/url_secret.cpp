// The `url_secret` detector: the secret parts of URLs, and only those.
//
// 1. Query (and fragment) parameters whose name is one of token, access_token, api_key,
//    apikey, key, password, secret, sig, signature, auth (ASCII case-insensitive), introduced
//    by '?', '&', ';' (also covers HTML-escaped "&amp;") or '#' (OAuth implicit-flow fragments).
//    The span is the value: printable ASCII up to the next '&', '#', whitespace, quote, angle
//    bracket, parenthesis, square or curly bracket, '|', '\', '^' or '`'; trailing sentence
//    punctuation (". , ; : ! ?") is not part of it. Empty values are not findings.
// 2. The userinfo of "scheme://user:password@host": the span is "user:password". A userinfo
//    without a ':' and a password is a user name, not a secret.

#include "scan.hpp"

namespace leastdata::redact::detail {

namespace {

constexpr std::string_view secret_names[] = {
   "token", "access_token", "api_key", "apikey", "key", "password", "secret", "sig", "signature", "auth",
};

constexpr std::size_t max_name = 12;  // "access_token"
constexpr std::size_t max_authority = 1024;

constexpr bool is_name_char(std::uint8_t c) noexcept {
   return is_alnum(c) || c == '_' || c == '-' || c == '.';
}

constexpr bool is_value_char(std::uint8_t c) noexcept {
   if(c <= ' ' || c >= 0x7F) {
      return false;
   }
   switch(c) {
      case '&': case '#': case '"': case '\'': case '<': case '>': case '(': case ')':
      case '[': case ']': case '{': case '}': case '|': case '\\': case '^': case '`':
         return false;
      default:
         return true;
   }
}

constexpr bool is_trailing_punctuation(std::uint8_t c) noexcept {
   return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

bool is_secret_name(const Text& text, std::size_t begin, std::size_t end) noexcept {
   const std::size_t length = end - begin;
   for(std::string_view name : secret_names) {
      if(name.size() != length) {
         continue;
      }
      bool same = true;
      for(std::size_t n = 0; n < length && same; ++n) {
         same = to_lower(text.at(begin + n)) == static_cast<std::uint8_t>(name[n]);
      }
      if(same) {
         return true;
      }
   }
   return false;
}

constexpr bool ends_authority(std::uint8_t c) noexcept {
   if(c <= ' ' || c >= 0x7F) {
      return true;
   }
   switch(c) {
      case '/': case '?': case '#': case '[': case ']': case '"': case '\'': case '<': case '>':
      case '`': case '\\': case '{': case '}': case '|': case '^':
         return true;
      default:
         return false;
   }
}

}  // namespace

std::optional<Span> match_query_secret(const Text& text, std::size_t eq) noexcept {
   std::size_t name_start = eq;
   while(name_start > 0 && is_name_char(text.at(name_start - 1))) {
      --name_start;
      if(eq - name_start > max_name) {
         return std::nullopt;
      }
   }
   const std::uint8_t introducer = text.at(name_start - 1);
   if(introducer != '?' && introducer != '&' && introducer != ';' && introducer != '#') {
      return std::nullopt;
   }
   if(!is_secret_name(text, name_start, eq)) {
      return std::nullopt;
   }
   std::size_t end = eq + 1;
   while(is_value_char(text.at(end))) {
      ++end;
   }
   while(end > eq + 1 && is_trailing_punctuation(text.at(end - 1))) {
      --end;
   }
   if(end == eq + 1) {
      return std::nullopt;
   }
   return Span{eq + 1, end};
}

std::optional<Span> match_userinfo(const Text& text, std::size_t colon) noexcept {
   if(!is_alpha(text.at(colon - 1)) || text.at(colon + 1) != '/' || text.at(colon + 2) != '/') {
      return std::nullopt;
   }
   const std::size_t begin = colon + 3;
   std::optional<std::size_t> at;  // the last '@' of the authority ends the userinfo
   std::optional<std::size_t> password;
   for(std::size_t i = begin; !ends_authority(text.at(i)); ++i) {
      if(i - begin > max_authority) {
         return std::nullopt;
      }
      if(text.at(i) == '@') {
         at = i;
      } else if(text.at(i) == ':' && !at && !password) {
         password = i;
      }
   }
   if(!at || !password || *password + 1 >= *at) {
      return std::nullopt;
   }
   const std::uint8_t host = text.at(*at + 1);
   if(!is_alnum(host) && host != '[') {
      return std::nullopt;
   }
   return Span{begin, *at};
}

}  // namespace leastdata::redact::detail
