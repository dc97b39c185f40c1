// Where the values one and two levels below the root of the filter's output start and
// end, so that JavaScript can parse a large output in pieces (js/parse-output.js).
//
// Why: a JS string of more than 128 KiB lands in V8's large-object space, and each such
// string is a fresh mapping whose pages are faulted in on first touch. Parsing the output
// as pieces of at most 32 KiB keeps every string in the young generation; on the machine
// the benchmarks run on, this cut decode + JSON.parse of a 190 KB output from 3.0 to 1.1 ms
// (bench/README.md, "Reading the figures").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace leastdata {

/// One value at depth 1 or 2 of the output, as byte offsets. For a member of an object
/// `member_start` is its name's opening quote; for an element it equals `value_start`.
/// `value_end` is one past the value's last byte.
struct OutputSpan {
      std::uint32_t depth;
      std::uint32_t member_start;
      std::uint32_t value_start;
      std::uint32_t value_end;
};
static_assert(sizeof(OutputSpan) == 4 * sizeof(std::uint32_t));

/// Finds the spans of `json`, the compact text the filter wrote (no whitespace, valid),
/// into `out`, in document order: each depth-1 value followed by its depth-2 children.
/// Structure is checked (containers closed, members named), grammar is not; returns
/// false, leaving `out` unspecified, if the structure does not hold together.
bool find_output_spans(std::span<const std::uint8_t> json, std::vector<OutputSpan>& out);

/// Whether `json` holds sixteen ASCII digits in a row: the only numbers JSON.parse may
/// round have that many (2^53 has 16). Digits inside strings count too, which at worst
/// sends the output to the exact (slower) parse for nothing.
bool has_long_digit_run(std::span<const std::uint8_t> json) noexcept;

}  // namespace leastdata
