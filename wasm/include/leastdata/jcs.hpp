// RFC 8785 JSON Canonicalization Scheme (JCS): the one implementation shared by the
// endpoint, which signs deletion certificates, and the browser module, which verifies them.
//
// Input must be I-JSON (RFC 7493): well-formed UTF-8, no escaped lone surrogates, no
// duplicate member names, numbers within the range of an IEEE 754 double. The canonical
// form has no whitespace, object members sorted by the UTF-16 code units of their names,
// strings with exactly the escapes ECMAScript's JSON.stringify writes, and numbers as
// ECMAScript's Number.prototype.toString prints them (shortest round-trip digits).
//
// Nothing here throws on bad input: failures are `Error`s, so code compiled without
// exceptions can call it.
#pragma once

#include "leastdata/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace leastdata::jcs {

/// 2^53 - 1, the largest integer every JSON number reader here handles exactly: JCS numbers are
/// IEEE 754 doubles, and so are JavaScript's (Number.MAX_SAFE_INTEGER). Counts and IDs the
/// endpoint or a certificate hand to JavaScript stay at or below it.
inline constexpr std::uint64_t k_max_exact_integer = (std::uint64_t{1} << 53) - 1;

/// Deepest nesting accepted by `parse` and `canonicalize`; the top-level container is depth 1.
std::size_t max_depth() noexcept;

/// Parses I-JSON text strictly. Errors (with the byte offset of the fault):
/// `invalid_json` (grammar, trailing garbage, escaped lone surrogates, numbers beyond the
/// double range), `invalid_utf8`, `duplicate_key` (two members of one object with the same
/// name after unescaping), `depth_limit`. A leading UTF-8 byte order mark is ignored.
Result<nlohmann::json> parse(std::string_view json_text);

/// The canonical form of a JSON text: `parse`, then `canonicalize` of the value.
Result<std::string> canonicalize(std::string_view json_text);

/// The canonical form of a value built in code. Integers are converted to the nearest
/// double, as JCS reads every number as one. Errors: `invalid_utf8` for a string or member
/// name that is not UTF-8, `invalid_argument` for NaN, infinities, binary or discarded
/// values, `depth_limit`.
Result<std::string> canonicalize(const nlohmann::json& value);

/// ECMAScript Number::toString of a finite double: "0" for ±0, "1e+21", "1e-7", "0.000001",
/// "5e-324", "333333333.3333334". NaN and infinities are `invalid_argument`.
Result<std::string> number_to_string(double value);

}  // namespace leastdata::jcs
