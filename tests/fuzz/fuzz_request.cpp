// Fuzz target: request entries and the matching of request URLs (request_rules.hpp,
// DESIGN §2.5).
//
// Input: lines. The first line is a request URL; every further line is a policy entry
// (`METHOD PATH[?name&...]`). Invariants:
// - a refused entry is `invalid_policy` with an offset inside the entry;
// - matching is deterministic and the method compares in upper case;
// - a URL that is allowed is plainly one path: no escape, dot or empty segment, fragment,
//   backslash or control character in its path;
// - the recorded pattern of a URL never contains `=`, `#` or `%` (no value, no escape), and
//   for a plain URL whose digit runs fit `{id}`, the pattern read back as an entry allows
//   that very URL (what is recorded names the request exactly).
#include "fuzz_support.hpp"

#include <leastdata/request_rules.hpp>

#include <string>
#include <vector>

namespace {

using namespace leastdata;
using leastdata::fuzz::check;

std::vector<std::string_view> lines_of(std::string_view text) {
   std::vector<std::string_view> lines;
   while(true) {
      const std::size_t newline = text.find('\n');
      lines.push_back(text.substr(0, newline));
      if(newline == std::string_view::npos) {
         return lines;
      }
      text.remove_prefix(newline + 1);
   }
}

// The part of a URL the path rules judge: after an https://host, before `?`.
std::string_view path_of(std::string_view url) {
   if(url.size() > 8 && (url.substr(0, 8) == "https://" || url.substr(0, 8) == "HTTPS://")) {
      const std::size_t slash = url.find('/', 8);
      url = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
   }
   return url.substr(0, url.find('?'));
}

bool longest_digit_run_at_most(std::string_view text, std::size_t limit) {
   std::size_t run = 0;
   for(char c : text) {
      run = (c >= '0' && c <= '9') ? run + 1 : 0;
      if(run > limit) {
         return false;
      }
   }
   return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const std::vector<std::string_view> lines = lines_of(leastdata::fuzz::as_text(data, size));
   const std::string_view url = lines.front();

   RequestRules rules;
   for(std::size_t i = 1; i < lines.size(); ++i) {
      Status status = rules.add(lines[i]);
      if(!status) {
         check(status.error().code() == ErrorCode::invalid_policy, "a refused entry is invalid_policy");
         check(status.error().offset().has_value() && *status.error().offset() <= lines[i].size(),
               "a refused entry's offset lies inside it", status.error().message());
      }
   }

   for(std::string_view method : {"GET", "get", "PUT", "DELETE"}) {
      const bool allowed = rules.allows(method, url);
      check(allowed == rules.allows(method, url), "matching is deterministic");
      if(method == std::string_view("get")) {
         check(allowed == rules.allows("GET", url), "methods compare in upper case");
      }
      if(allowed) {
         const std::string_view path = path_of(url);
         check(path.find('%') == std::string_view::npos && path.find("/./") == std::string_view::npos &&
                  path.find("/../") == std::string_view::npos && path.find("//") == std::string_view::npos &&
                  url.find('#') == std::string_view::npos && url.find('\\') == std::string_view::npos,
               "an allowed URL is plainly one path", url);
         for(char c : url) {
            check(static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F,
                  "an allowed URL is printable ASCII", url);
         }
      }
   }

   const std::string pattern = RequestRules::pattern_of("GET", url);
   check(pattern.find('=') == std::string::npos && pattern.find('#') == std::string::npos &&
            pattern.find('%') == std::string::npos,
         "a recorded pattern holds no value and no escape", pattern);
   if(pattern.find("not plainly") == std::string::npos && longest_digit_run_at_most(url, 20)) {
      RequestRules exact;
      Status status = exact.add(pattern);
      check(status.ok(), "the pattern of a plain URL is a valid entry", pattern);
      check(exact.allows("GET", url), "the pattern of a plain URL, as an entry, allows that URL", pattern);
   }
   return 0;
}
