// RFC 8785 conformance of leastdata::jcs: the examples of the RFC, its Appendix B number
// table and the reference test data of the RFC's authors (github.com/cyberphone/
// json-canonicalization, testdata/). Expected outputs are UTF-8 written as \x escapes so the
// source stays ASCII; all vectors are embedded so the suite also runs in wasm without files.
#include "leastdata/jcs.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <string>

namespace {

struct Vector {
      const char* name;
      const char* input;
      const char* canonical;
};

double from_bits(std::uint64_t bits) {
   double value = 0;
   std::memcpy(&value, &bits, sizeof value);
   return value;
}

}  // namespace

TEST_CASE("canonical forms of the RFC 8785 examples and reference test data", "[jcs][rfc8785]") {
   const Vector vectors[] = {
      // RFC 8785 §3.2.2
      {"rfc8785 3.2.2", R"({
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
})",
       "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
       "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}"},
      // RFC 8785 §3.2.3: sorting by UTF-16 code units
      {"rfc8785 3.2.3", R"({
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
})",
       "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":\"Latin Small Letter O "
       "With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":"
       "\"Hebrew Letter Dalet With Dagesh\"}"},
      // testdata/input/*.json → testdata/output/*.json
      {"arrays", "[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]",
       "[56,{\"1\":[],\"10\":null,\"d\":true}]"},
      {"french",
       "{\n  \"peach\": \"This sorting order\",\n  \"p\xc3\xa9"
       "ch\xc3\xa9\": \"is wrong according to French\",\n  \"p\xc3\xaa"
       "che\": \"but canonicalization MUST\",\n  \"sin\":   \"ingnore locale\"\n}\n",
       "{\"peach\":\"This sorting order\",\"p\xc3\xa9"
       "ch\xc3\xa9\":\"is wrong according to French\",\"p\xc3\xaa"
       "che\":\"but canonicalization MUST\",\"sin\":\"ingnore locale\"}"},
      {"structures", R"({
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ { } ],
  "A": { }
})",
       "{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}"},
      {"unicode", "{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n",
       "{\"Unnormalized Unicode\":\"\xe1\xb8\x8d\xcc\x87\"}"},
      {"values", R"({
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
})",
       "{\"escaping\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\",\"literals\":[null,true,false],"
       "\"numbers\":[1e+30,4.5,333333333.3333333,0.002,1e-27]}"},
      {"weird", R"({
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}
)",
       "{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\xc2\x80\":\"Control\x7f\",\"\xc3\xb6\":\"Latin Small "
       "Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x82\":\"Smiley\",\"\xef\xac\xb3\":"
       "\"Hebrew Letter Dalet With Dagesh\"}"},
      // Beyond the RFC's data; expected outputs from JSON.stringify with sorted keys (V8).
      {"string escapes",
       R"(["\u0000\u0001\u0008\u0009\u000a\u000b\u000c\u000d\u001f\u0020\u007f\u2028\u2029\ud800\udc00/"])",
       "[\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \x7f\xe2\x80\xa8\xe2\x80\xa9\xf0\x90\x80\x80/\"]"},
      {"UTF-16 order differs from UTF-8 order",
       R"({"\ud800\udc00":1,"\uffff":2,"\ue000":3,"\ud7ff":4,"\ud83d\ude00":5,"a":6,"aa":7,"":8})",
       "{\"\":8,\"a\":6,\"aa\":7,\"\xed\x9f\xbf\":4,\"\xf0\x90\x80\x80\":1,\"\xf0\x9f\x98\x80\":5,\"\xee\x80\x80\":3,"
       "\"\xef\xbf\xbf\":2}"},
      {"numbers as doubles",
       "[0,-0,-0.0,1,-1,1.5,1e21,1e20,123456789012345678901234567890,1e-7,1e-6,0.1,100,1E2,1.0,9007199254740993,"
       "18446744073709551615,18446744073709551616,-9223372036854775808,5e-324,1e-400,2.5e-1,0.30000000000000004]",
       "[0,0,0,1,-1,1.5,1e+21,100000000000000000000,1.2345678901234568e+29,1e-7,0.000001,0.1,100,100,1,"
       "9007199254740992,18446744073709552000,18446744073709552000,-9223372036854776000,5e-324,0,0.25,"
       "0.30000000000000004]"},
      {"empty containers", R"({ "a" : [ ] , "b" : { } , "c" : "" })", R"({"a":[],"b":{},"c":""})"},
      {"top-level scalar", " \"top\" ", "\"top\""},
      {"top-level literal", "\ttrue\r\n", "true"},
   };

   for(const Vector& v : vectors) {
      SECTION(v.name) {
         const auto canonical = leastdata::jcs::canonicalize(std::string_view(v.input));
         INFO(v.name);
         REQUIRE(canonical.ok());
         CHECK(canonical.value() == v.canonical);
         // Canonicalization is idempotent.
         const auto again = leastdata::jcs::canonicalize(std::string_view(canonical.value()));
         REQUIRE(again.ok());
         CHECK(again.value() == canonical.value());
      }
   }
}

TEST_CASE("numbers serialise as ECMAScript Number.prototype.toString (RFC 8785 Appendix B)", "[jcs][rfc8785]") {
   const struct {
         std::uint64_t bits;
         const char* text;
   } table[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
      // Format boundaries and shortest-digit corner cases (expected: V8's String(x)).
      {0x3ff0000000000000, "1"},
      {0x3fb999999999999a, "0.1"},
      {0x3fd3333333333334, "0.30000000000000004"},
      {0x3e7ad7f29abcaf48, "1e-7"},
      {0x3eb0c6f7a0b5ed8e, "0.0000010000000000000002"},
      {0x4415af1d78b58c40, "100000000000000000000"},
      {0x4415af1d78b58c41, "100000000000000020000"},
      {0x4341c37937e08000, "10000000000000000"},
      {0x0010000000000000, "2.2250738585072014e-308"},
      {0x000fffffffffffff, "2.225073858507201e-308"},
      {0x7fe0000000000000, "8.98846567431158e+307"},
      {0x3f50624dd2f1a9fc, "0.001"},
      {0x4197d78400000000, "100000000"},
      {0x4197d78400000001, "100000000.00000001"},
      {0x3ff0000000000001, "1.0000000000000002"},
      {0x3fefffffffffffff, "0.9999999999999999"},
      {0x0000000000000002, "1e-323"},
      {0x44cccc9324511e45, "2.72e+23"},
      {0xc05edd2f1a9fbe77, "-123.456"},
      // Powers of two, whose rounding interval is lopsided: the 16-digit decimal nearest to
      // the value does not read back, the one on the other side does.
      {0x0060000000000000, "7.120236347223045e-307"},
      {0x0100000000000000, "7.291122019556398e-304"},
      {0x1480000000000000, "6.083493012144512e-210"},
   };
   for(const auto& row : table) {
      const auto text = leastdata::jcs::number_to_string(from_bits(row.bits));
      INFO(std::hex << row.bits);
      REQUIRE(text.ok());
      CHECK(text.value() == row.text);
      // The same through a value tree, as certificate signing uses it.
      const auto canonical = leastdata::jcs::canonicalize(nlohmann::json(from_bits(row.bits)));
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == row.text);
   }
}

TEST_CASE("NaN and infinities have no canonical form (RFC 8785 Appendix B)", "[jcs][rfc8785]") {
   for(const std::uint64_t bits : {std::uint64_t{0x7fffffffffffffff}, std::uint64_t{0x7ff0000000000000},
                                   std::uint64_t{0xfff0000000000000}, std::uint64_t{0x7ff8000000000000}}) {
      const auto text = leastdata::jcs::number_to_string(from_bits(bits));
      REQUIRE_FALSE(text.ok());
      CHECK(text.error().code() == leastdata::ErrorCode::invalid_argument);
      CHECK_FALSE(leastdata::jcs::canonicalize(nlohmann::json::array({from_bits(bits)})).ok());
   }
}
