// The `requests` member of a policy (DESIGN §2.5): which API requests an app may make.
//
// An entry is `METHOD PATH[?name&name...]`: `{id}` inside a path segment stands for 1–20
// digits, `*` for one whole segment, every query parameter must be listed by name, and a
// `https://host` prefix names a non-Zendesk host. Requests are matched exactly against the
// entries: a URL that is not plainly one path (escapes in the path, `.` or `..` or empty
// segments, a fragment, a scheme other than https:, a repeated or unlisted parameter, or
// anything but printable ASCII without space and backslash — what encodeURIComponent
// leaves) matches nothing. Deny by default.
#pragma once

#include <leastdata/error.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace leastdata {

class RequestRules final {
   public:
      /// Adds one entry; `invalid_policy` (offset into the entry) when it is malformed.
      Status add(std::string_view entry);

      bool empty() const noexcept { return m_rules.empty(); }

      /// True when an entry matches `method` (compared in upper case: browsers send the
      /// standard methods upper-cased) and `url` (a path starting with `/`, or https://).
      bool allows(std::string_view method, std::string_view url) const;

      /// The request as it is recorded when refused: the method, the path with digit runs
      /// written `{id}` and any other segment that is not plainly a name written `*`, and
      /// the query's parameter names only. Never a value of the request.
      static std::string pattern_of(std::string_view method, std::string_view url);

      /// The entries as given, in order.
      const std::vector<std::string>& entries() const noexcept { return m_entries; }

   private:
      struct Segment {
            bool any = false;             // `*`
            std::vector<std::string> parts;  // literal text and "{id}" tokens, alternating as written
      };
      struct Rule {
            std::string method;
            std::string host;  // empty: a Zendesk path (relative URL)
            std::vector<Segment> segments;
            std::vector<std::string> parameters;
      };

      std::vector<std::string> m_entries;
      std::vector<Rule> m_rules;
};

}  // namespace leastdata
