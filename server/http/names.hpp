// The character rules of names and opaque strings that paths and bodies carry (token names,
// counter names, job kinds, cursors, job ids): a length range and a set of characters each.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace leastdata::server::names {

inline bool lower_alnum(char c) {
   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

inline bool alnum(char c) {
   return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/// Whether `s` has `min` to `max` characters, each `allowed`.
template <typename Allowed>
bool matches(std::string_view s, std::size_t min, std::size_t max, Allowed allowed) {
   return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), allowed);
}

}  // namespace leastdata::server::names
