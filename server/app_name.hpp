// The rule for app names, shared by every route that takes one (settings, statistics,
// declared and observed access): [a-z0-9][a-z0-9_-]{0,63}. App names are kept in clear, so
// the rule also keeps them from carrying personal data.
#pragma once

#include <algorithm>
#include <string_view>

namespace leastdata::server {

inline bool valid_app(std::string_view s) {
   const auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
   return !s.empty() && s.size() <= 64 && lower_alnum(s[0]) &&
          std::all_of(s.begin(), s.end(), [&](char c) { return lower_alnum(c) || c == '_' || c == '-'; });
}

}  // namespace leastdata::server
