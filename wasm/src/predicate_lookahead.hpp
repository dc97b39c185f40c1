// Predicates of the selection language (DESIGN §2.1: `name[k=v1|v2]`) decide an
// element's fate before it is read; this looks ahead in the element for the values of
// the predicate keys. Internal to the core.
//
// The look-ahead does not validate: malformed input simply stops the search, and the
// validating walk that follows reports the error at its place. Strings are scanned with
// validation all the same, since only validated text may be decoded.
#pragma once

#include <leastdata/selection.hpp>

#include <cstdint>
#include <string_view>
#include <vector>

namespace leastdata::detail {

/// A member value of a predicate key, as found by looking ahead in an element.
struct PredicateValue {
      enum class Kind : std::uint8_t { absent, string, scalar, container } kind = Kind::absent;
      std::string_view raw;  // string contents without quotes, or scalar text
      bool escaped = false;  // the string contains backslash escapes
};

/// Finds the values of `keys` among the members of the object whose `{` is at `open`
/// (the first occurrence of each), into `found` (one entry per key).
void look_ahead(const std::uint8_t* open, const std::uint8_t* end, const std::vector<std::string_view>& keys,
                std::vector<PredicateValue>& found);

/// Whether `predicate` holds for the values `found` of `keys` (which include its key).
bool predicate_matches(const Predicate& predicate, const std::vector<std::string_view>& keys,
                       const std::vector<PredicateValue>& found);

}  // namespace leastdata::detail
