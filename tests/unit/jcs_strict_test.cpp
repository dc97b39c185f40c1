// leastdata::jcs strictness: what I-JSON (RFC 7493) forbids is rejected with the right error
// code and offset, and canonicalizing values built in code applies the same rules.
#include "leastdata/jcs.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>

using leastdata::ErrorCode;

namespace {

struct Rejection {
      const char* name;
      std::string input;
      ErrorCode code;
      std::optional<std::size_t> offset;
};

std::string nested_arrays(std::size_t depth) {
   return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("parse rejects what I-JSON forbids, with code and offset", "[jcs]") {
   const Rejection rejections[] = {
      {"duplicate member", R"({"a":1,"a":2})", ErrorCode::duplicate_key, 7},
      {"duplicate after unescaping", R"({"a":1,"\u0061":2})", ErrorCode::duplicate_key, 7},
      {"duplicate with escaped quotes", R"({"a\"b":1, "a\"b":2})", ErrorCode::duplicate_key, 11},
      {"duplicate in a nested object", R"({"x":{"b":1,"b":2}})", ErrorCode::duplicate_key, 12},
      {"invalid UTF-8 byte", "[\"\xff\"]", ErrorCode::invalid_utf8, 2},
      {"overlong encoding", "[\"\xc0\xaf\"]", ErrorCode::invalid_utf8, 2},
      {"UTF-8 encoded surrogate", "[\"\xed\xa0\x80\"]", ErrorCode::invalid_utf8, 3},
      {"code point above U+10FFFF", "[\"\xf4\x90\x80\x80\"]", ErrorCode::invalid_utf8, 3},
      {"truncated sequence", "[\"\xe2\x82\"]", ErrorCode::invalid_utf8, 4},
      {"escaped lone high surrogate", R"(["\ud800"])", ErrorCode::invalid_json, std::nullopt},
      {"escaped lone low surrogate", R"(["\udc00"])", ErrorCode::invalid_json, std::nullopt},
      {"high surrogate then non-surrogate", R"(["\ud800\u0041"])", ErrorCode::invalid_json, std::nullopt},
      {"number beyond double range", "[1, 1e400]", ErrorCode::invalid_json, 4},
      {"negative number beyond double range", "-1e400", ErrorCode::invalid_json, 0},
      {"trailing garbage", "{} x", ErrorCode::invalid_json, 3},
      {"two values", "1 2", ErrorCode::invalid_json, 2},
      // nlohmann's lexer stops at a NUL byte; what follows must not be ignored (found by fuzz_jcs).
      {"NUL byte after the value", std::string("4\0c0}", 5), ErrorCode::invalid_json, 1},
      {"NUL byte as the last byte", std::string("{}\0", 3), ErrorCode::invalid_json, 2},
      {"trailing comma", "[1,]", ErrorCode::invalid_json, 3},
      {"empty text", "", ErrorCode::invalid_json, 0},
      {"only whitespace", "  ", ErrorCode::invalid_json, 2},
      {"comment", "/* c */ 1", ErrorCode::invalid_json, 0},
      {"single quotes", "['a']", ErrorCode::invalid_json, 1},
      {"leading zero", "[01]", ErrorCode::invalid_json, std::nullopt},
      {"NaN literal", "[NaN]", ErrorCode::invalid_json, 1},
      {"Infinity literal", "[Infinity]", ErrorCode::invalid_json, 1},
      {"plus sign", "[+1]", ErrorCode::invalid_json, 1},
      {"raw control character in string", "[\"a\nb\"]", ErrorCode::invalid_json, 3},
      {"unterminated string", "[\"abc", ErrorCode::invalid_json, std::nullopt},
      {"nested too deep", nested_arrays(65), ErrorCode::depth_limit, 64},
   };
   for(const Rejection& r : rejections) {
      SECTION(r.name) {
         const auto parsed = leastdata::jcs::parse(r.input);
         REQUIRE_FALSE(parsed.ok());
         INFO(r.name << ": " << parsed.error().message());
         CHECK(parsed.error().code() == r.code);
         if(r.offset) {
            REQUIRE(parsed.error().offset().has_value());
            CHECK(*parsed.error().offset() == *r.offset);
         }
         CHECK_FALSE(leastdata::jcs::canonicalize(std::string_view(r.input)).ok());
      }
   }
}

TEST_CASE("parse accepts what I-JSON allows", "[jcs]") {
   SECTION("the same name in different objects") {
      const auto canonical = leastdata::jcs::canonicalize(std::string_view(R"([{"a":1},{"a":2}])"));
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == R"([{"a":1},{"a":2}])");
   }
   SECTION("names differing only in case or normalisation") {
      const auto canonical = leastdata::jcs::canonicalize(std::string_view(R"({"a":1,"A":2,"\u00e9":3,"e\u0301":4})"));
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == "{\"A\":2,\"a\":1,\"e\xcc\x81\":4,\"\xc3\xa9\":3}");
   }
   SECTION("nesting up to max_depth") {
      REQUIRE(leastdata::jcs::max_depth() == 64);
      const auto canonical = leastdata::jcs::canonicalize(std::string_view(nested_arrays(64)));
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == nested_arrays(64));
   }
   SECTION("a leading byte order mark is ignored") {
      const auto canonical = leastdata::jcs::canonicalize(std::string_view("\xef\xbb\xbf{ }"));
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == "{}");
   }
   SECTION("a number that underflows reads as zero, as in JavaScript") {
      const auto canonical = leastdata::jcs::canonicalize(std::string_view("[1e-400,-1e-400]"));
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == "[0,0]");
   }
   SECTION("parse keeps integers exact; canonicalize reads them as doubles") {
      const auto parsed = leastdata::jcs::parse(R"({"id":9007199254740993})");
      REQUIRE(parsed.ok());
      CHECK(parsed.value()["id"].get<std::uint64_t>() == 9007199254740993u);
      const auto canonical = leastdata::jcs::canonicalize(parsed.value());
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == R"({"id":9007199254740992})");
   }
}

TEST_CASE("canonicalize checks values built in code", "[jcs]") {
   using nlohmann::json;
   SECTION("integers and floats") {
      const json value = {{"b", -1}, {"a", std::uint64_t{18446744073709551615u}}, {"c", 2.50}, {"d", -0.0}};
      const auto canonical = leastdata::jcs::canonicalize(value);
      REQUIRE(canonical.ok());
      CHECK(canonical.value() == R"({"a":18446744073709552000,"b":-1,"c":2.5,"d":0})");
   }
   SECTION("string that is not UTF-8") {
      const auto canonical = leastdata::jcs::canonicalize(json::array({std::string("\xc3\x28")}));
      REQUIRE_FALSE(canonical.ok());
      CHECK(canonical.error().code() == ErrorCode::invalid_utf8);
   }
   SECTION("member name that is not UTF-8") {
      json value = json::object();
      value[std::string("\xed\xa0\x80")] = 1;  // an encoded surrogate
      const auto canonical = leastdata::jcs::canonicalize(value);
      REQUIRE_FALSE(canonical.ok());
      CHECK(canonical.error().code() == ErrorCode::invalid_utf8);
   }
   SECTION("binary value") {
      const auto canonical = leastdata::jcs::canonicalize(json::binary({1, 2, 3}));
      REQUIRE_FALSE(canonical.ok());
      CHECK(canonical.error().code() == ErrorCode::invalid_argument);
   }
   SECTION("nested too deep") {
      json value = json::array();
      for(int i = 1; i < 65; ++i) {
         value = json::array({value});
      }
      const auto canonical = leastdata::jcs::canonicalize(value);
      REQUIRE_FALSE(canonical.ok());
      CHECK(canonical.error().code() == ErrorCode::depth_limit);
   }
}
