// The output spans and the long-digit check of wasm/include/leastdata/output_spans.hpp,
// which JS relies on to parse a large output in pieces (js/parse-output.js): every span
// of a known text, malformed texts refused, and digit runs at every alignment (the wasm
// build checks sixteen bytes at a time).
#include <leastdata/output_spans.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace leastdata::test {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& text) {
   return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::vector<OutputSpan> spans_of(const std::string& text) {
   std::vector<OutputSpan> spans;
   REQUIRE(find_output_spans(bytes_of(text), spans));
   return spans;
}

bool same(const OutputSpan& a, const OutputSpan& b) {
   return a.depth == b.depth && a.member_start == b.member_start && a.value_start == b.value_start &&
          a.value_end == b.value_end;
}

TEST_CASE("output spans: depth-1 values, each followed by its depth-2 children", "[output_spans]") {
   //                        0         1         2         3         4
   //                        0123456789012345678901234567890123456789012345
   const std::string text = R"({"a":[1,{"x":"]"}],"b":{"c":[[2]]},"d":"s\""})";
   const std::vector<OutputSpan> expected = {
      {1, 1, 5, 18},   // "a":[...]
      {2, 6, 6, 7},    // 1
      {2, 8, 8, 17},   // {"x":"]"} (a bracket inside a string is not structure)
      {1, 19, 23, 34}, // "b":{...}
      {2, 24, 28, 33}, // "c":[[2]] (depth 3 and below are not listed)
      {1, 35, 39, 44}, // "d":"s\"" (an escaped quote does not end the string)
   };
   const auto spans = spans_of(text);
   REQUIRE(spans.size() == expected.size());
   for(std::size_t i = 0; i < spans.size(); ++i) {
      INFO("span " << i);
      CHECK(same(spans[i], expected[i]));
   }
}

TEST_CASE("output spans: arrays at the root, empty containers and scalars", "[output_spans]") {
   CHECK(spans_of("[]").empty());
   CHECK(spans_of("{}").empty());
   CHECK(spans_of("null").empty());
   const auto spans = spans_of(R"([{},[],true,-1.5e3])");
   REQUIRE(spans.size() == 4);
   CHECK(same(spans[0], {1, 1, 1, 3}));
   CHECK(same(spans[1], {1, 4, 4, 6}));
   CHECK(same(spans[2], {1, 7, 7, 11}));
   CHECK(same(spans[3], {1, 12, 12, 18}));
}

// The scan checks structure, not grammar (the filter's output is valid by construction).
TEST_CASE("output spans: text whose structure does not hold together is refused", "[output_spans]") {
   std::vector<OutputSpan> spans;
   for(const std::string text : {"", "{", R"({"a")", R"({"a":)", R"({"a":1)", R"({"a":"x)", "[1", "[[1]", "[1]]", R"({1:2})"}) {
      INFO(text);
      CHECK_FALSE(find_output_spans(bytes_of(text), spans));
   }
}

TEST_CASE("long digit runs: sixteen in a row, at every alignment", "[output_spans]") {
   for(std::size_t shift = 0; shift < 40; ++shift) {
      INFO("shift " << shift);
      const std::string pad(shift, 'x');
      CHECK(has_long_digit_run(bytes_of(pad + "9007199254740992" + pad)));
      CHECK(has_long_digit_run(bytes_of(pad + "123456789012345678901234567890,")));
      CHECK_FALSE(has_long_digit_run(bytes_of(pad + "900719925474099" + pad)));
      CHECK_FALSE(has_long_digit_run(bytes_of(pad + "12345678,12345678" + pad)));
   }
   CHECK_FALSE(has_long_digit_run(bytes_of("")));
}

}  // namespace
}  // namespace leastdata::test
