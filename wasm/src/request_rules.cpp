// Request entries and the exact matching of requests against them (see request_rules.hpp).
#include <leastdata/request_rules.hpp>

#include "json_text.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace leastdata {

namespace {

constexpr std::array<std::string_view, 6> known_methods{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
constexpr std::string_view id_token = "{id}";
constexpr std::size_t max_id_digits = 20;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 3986's unreserved characters: a segment made only of these means the same to every
// server and proxy, so comparing it as text is exact.
bool is_path_char(char c) {
   return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Query parameter names as Zendesk uses them: `page[size]`, `filter[type]`, `sort_by`.
bool is_parameter_char(char c) { return is_path_char(c) || c == '[' || c == ']'; }

bool is_host_char(char c) { return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '.'; }

Error entry_error(std::string_view entry, std::string message, std::size_t offset) {
   return Error(ErrorCode::invalid_policy, "requests: " + std::string(entry) + ": " + message, offset);
}

std::string upper(std::string_view text) {
   std::string out(text);
   for(char& c : out) {
      if(c >= 'a' && c <= 'z') {
         c = static_cast<char>(c - 'a' + 'A');
      }
   }
   return out;
}

int hex_value(char c) { return json_text::hex_digit_value(static_cast<std::uint8_t>(c)); }

// A query parameter name as a server reads it: %XX decoded (jQuery writes `page%5Bsize%5D`).
// Anything but a plain name afterwards, or a malformed escape, is no name.
std::optional<std::string> decode_parameter_name(std::string_view raw) {
   std::string name;
   for(std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if(c == '%') {
         if(i + 2 >= raw.size()) {
            return std::nullopt;
         }
         const int high = hex_value(raw[i + 1]);
         const int low = hex_value(raw[i + 2]);
         if(high < 0 || low < 0) {
            return std::nullopt;
         }
         c = static_cast<char>(high * 16 + low);
         i += 2;
      }
      if(!is_parameter_char(c)) {
         return std::nullopt;
      }
      name.push_back(c);
   }
   if(name.empty()) {
      return std::nullopt;
   }
   return name;
}

// A request URL taken apart, or nothing when it is not plainly one path on one host.
struct RequestUrl {
      std::string host;  // empty for a Zendesk path
      std::vector<std::string_view> segments;
      std::vector<std::string> parameters;
};

// What encodeURIComponent leaves in a URL: printable ASCII, no space, no backslash. Anything
// else is rewritten by the browser's URL parser (or read as a path separator), so the URL
// checked would not be the URL sent.
bool is_url_char(char c) {
   return c > 0x20 && c < 0x7F && c != '\\';
}

std::optional<RequestUrl> parse_url(std::string_view url) {
   RequestUrl out;
   if(!std::all_of(url.begin(), url.end(), is_url_char)) {
      return std::nullopt;
   }
   if(url.find('#') != std::string_view::npos) {
      return std::nullopt;  // a fragment: never sent, and a way to hide what follows
   }
   std::string_view rest = url;
   constexpr std::string_view https = "https://";
   if(rest.size() >= https.size() && upper(rest.substr(0, https.size())) == "HTTPS://") {
      rest.remove_prefix(https.size());
      const std::size_t slash = rest.find('/');
      if(slash == std::string_view::npos || slash == 0) {
         return std::nullopt;
      }
      std::string host(rest.substr(0, slash));
      for(char& c : host) {
         if(c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
         }
      }
      if(host.size() > 4 && host.ends_with(":443")) {
         host.resize(host.size() - 4);
      }
      const std::size_t colon = host.find(':');
      const std::string_view name = std::string_view(host).substr(0, colon);
      if(name.empty() || !std::all_of(name.begin(), name.end(), is_host_char)) {
         return std::nullopt;
      }
      if(colon != std::string::npos) {
         const std::string_view port = std::string_view(host).substr(colon + 1);
         if(port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
            return std::nullopt;
         }
      }
      out.host = std::move(host);
      rest.remove_prefix(slash);
   } else if(rest.size() < 2 || rest[0] != '/' || rest[1] == '/') {
      return std::nullopt;  // another scheme, a scheme-relative `//host`, or no path at all
   }
   const std::size_t question = rest.find('?');
   std::string_view path = rest.substr(0, question);
   path.remove_prefix(1);
   while(true) {
      const std::size_t slash = path.find('/');
      const std::string_view segment = path.substr(0, slash);
      if(segment.empty() || segment == "." || segment == ".." ||
         !std::all_of(segment.begin(), segment.end(), is_path_char)) {
         return std::nullopt;
      }
      out.segments.push_back(segment);
      if(slash == std::string_view::npos) {
         break;
      }
      path.remove_prefix(slash + 1);
   }
   if(question != std::string_view::npos) {
      std::string_view query = rest.substr(question + 1);
      while(!query.empty()) {
         const std::size_t amp = query.find('&');
         const std::string_view part = query.substr(0, amp);
         auto name = decode_parameter_name(part.substr(0, part.find('=')));
         if(!name || std::find(out.parameters.begin(), out.parameters.end(), *name) != out.parameters.end()) {
            return std::nullopt;  // unreadable, or repeated: which one would the server use?
         }
         out.parameters.push_back(std::move(*name));
         if(amp == std::string_view::npos) {
            break;
         }
         query.remove_prefix(amp + 1);
         if(query.empty()) {
            return std::nullopt;  // a trailing `&`
         }
      }
   }
   return out;
}

// Whether `text` matches the literal text and `{id}` tokens of `parts` from `index` on.
bool match_parts(const std::vector<std::string>& parts, std::size_t index, std::string_view text) {
   if(index == parts.size()) {
      return text.empty();
   }
   const std::string& part = parts[index];
   if(part != id_token) {
      return text.starts_with(part) && match_parts(parts, index + 1, text.substr(part.size()));
   }
   for(std::size_t digits = 1; digits <= std::min(max_id_digits, text.size()) && is_digit(text[digits - 1]); ++digits) {
      if(match_parts(parts, index + 1, text.substr(digits))) {
         return true;
      }
   }
   return false;
}

}  // namespace

Status RequestRules::add(std::string_view entry) {
   Rule rule;
   const std::size_t space = entry.find(' ');
   if(space == std::string_view::npos) {
      return entry_error(entry, "expected METHOD PATH, e.g. \"GET /api/v2/tickets/{id}.json\"", 0);
   }
   rule.method = std::string(entry.substr(0, space));
   if(std::find(known_methods.begin(), known_methods.end(), rule.method) == known_methods.end()) {
      return entry_error(entry, "the method must be one of GET, HEAD, POST, PUT, PATCH, DELETE (in upper case)", 0);
   }
   std::size_t at = space + 1;
   std::string_view rest = entry.substr(at);
   constexpr std::string_view https = "https://";
   if(rest.starts_with(https)) {
      const std::size_t slash = rest.find('/', https.size());
      const std::string_view host = rest.substr(https.size(), slash == std::string_view::npos ? slash : slash - https.size());
      const std::size_t colon = host.find(':');
      const std::string_view name = host.substr(0, colon);
      const std::string_view port = colon == std::string_view::npos ? std::string_view("443") : host.substr(colon + 1);
      if(slash == std::string_view::npos || name.empty() || !std::all_of(name.begin(), name.end(), is_host_char) ||
         port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit)) {
         return entry_error(entry, "an absolute URL is https:// followed by a lower-case host name, an optional port and a path", at);
      }
      rule.host = std::string(host);
      at += slash;
      rest = entry.substr(at);
   } else if(!rest.starts_with('/')) {
      return entry_error(entry, "the path must start with / (or the URL with https://)", at);
   }
   const std::size_t question = rest.find('?');
   const std::string_view path = rest.substr(0, question);
   std::size_t segment_start = 1;
   while(segment_start <= path.size()) {
      std::size_t segment_end = path.find('/', segment_start);
      if(segment_end == std::string_view::npos) {
         segment_end = path.size();
      }
      const std::string_view text = path.substr(segment_start, segment_end - segment_start);
      Segment segment;
      if(text.empty() || text == "." || text == "..") {
         return entry_error(entry, "empty, . and .. segments match nothing", at + segment_start);
      }
      if(text == "*") {
         segment.any = true;
      } else {
         for(std::size_t i = 0; i < text.size();) {
            if(text.substr(i).starts_with(id_token)) {
               segment.parts.emplace_back(id_token);
               i += id_token.size();
               continue;
            }
            if(!is_path_char(text[i])) {
               return entry_error(entry,
                                  "a path segment is letters, digits, - . _ ~ and {id}, or * alone; no escapes",
                                  at + segment_start + i);
            }
            if(segment.parts.empty() || segment.parts.back() == id_token) {
               segment.parts.emplace_back();
            }
            segment.parts.back().push_back(text[i]);
            ++i;
         }
      }
      rule.segments.push_back(std::move(segment));
      segment_start = segment_end + 1;
   }
   if(question != std::string_view::npos) {
      std::size_t name_start = question + 1;
      while(true) {
         std::size_t name_end = rest.find('&', name_start);
         if(name_end == std::string_view::npos) {
            name_end = rest.size();
         }
         const std::string_view name = rest.substr(name_start, name_end - name_start);
         if(name.empty() || !std::all_of(name.begin(), name.end(), is_parameter_char)) {
            return entry_error(entry, "query parameters are listed by name only (letters, digits, - . _ ~ [ ]), separated by &",
                               at + name_start);
         }
         if(std::find(rule.parameters.begin(), rule.parameters.end(), name) != rule.parameters.end()) {
            return entry_error(entry, "the parameter " + std::string(name) + " is listed twice", at + name_start);
         }
         rule.parameters.emplace_back(name);
         if(name_end == rest.size()) {
            break;
         }
         name_start = name_end + 1;
      }
   }
   m_entries.emplace_back(entry);
   m_rules.push_back(std::move(rule));
   return {};
}

bool RequestRules::allows(std::string_view method, std::string_view url) const {
   const std::string wanted = upper(method);
   const auto parsed = parse_url(url);
   if(!parsed) {
      return false;
   }
   for(const Rule& rule : m_rules) {
      if(rule.method != wanted || rule.host != parsed->host || rule.segments.size() != parsed->segments.size()) {
         continue;
      }
      bool match = true;
      for(std::size_t i = 0; match && i < rule.segments.size(); ++i) {
         match = rule.segments[i].any || match_parts(rule.segments[i].parts, 0, parsed->segments[i]);
      }
      for(std::size_t i = 0; match && i < parsed->parameters.size(); ++i) {
         match = std::find(rule.parameters.begin(), rule.parameters.end(), parsed->parameters[i]) != rule.parameters.end();
      }
      if(match) {
         return true;
      }
   }
   return false;
}

std::string RequestRules::pattern_of(std::string_view method, std::string_view url) {
   // A method that is not a plain word is recorded as `?`: it could carry anything.
   const std::string word = upper(method);
   const bool plain = !word.empty() && word.size() <= 16 &&
                      std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
   std::string out = plain ? word : std::string("?");
   const auto parsed = parse_url(url);
   if(!parsed) {
      return out + " (a URL that is not plainly one path)";
   }
   out += ' ';
   if(!parsed->host.empty()) {
      out += "https://" + parsed->host;
   }
   for(std::string_view segment : parsed->segments) {
      out += '/';
      std::size_t digits = 0;
      while(digits < segment.size() && is_digit(segment[digits])) {
         ++digits;
      }
      // A leading run of digits ending the segment or before its extension is an ID.
      if(digits > 0 && (digits == segment.size() || segment[digits] == '.')) {
         out += id_token;
         out += segment.substr(digits);
      } else {
         out += segment;
      }
   }
   for(std::size_t i = 0; i < parsed->parameters.size(); ++i) {
      out += i == 0 ? '?' : '&';
      out += parsed->parameters[i];
   }
   return out;
}

}  // namespace leastdata
