// Every error code of DESIGN §2.3 the filter reports, each with its exact byte offset:
// invalid_json, invalid_utf8, depth_limit, size_limit, duplicate_key. The whole input is
// validated whether a part is kept, projected or dropped; several faults report the first in
// input order; and there is never partial output.
#include "test_support.hpp"

#include <string>
#include <vector>

namespace leastdata::test {
namespace {

using namespace std::string_literals;

Policy limited(std::string_view selection, std::string_view limits_json) {
   return compile_or_fail(std::string(R"({"version":1,"select":)") + nlohmann::json(std::string(selection)).dump() +
                          R"(,"limits":)" + std::string(limits_json) + "}");
}

// Checks one failing call: the code and offset, no output, and an empty ledger.
void check_error(const Policy& policy, const std::string& input, std::string_view code, std::size_t offset) {
   const Outcome o = run(policy, input);
   CHECK_FALSE(o.ok);
   CHECK(o.code + "@" + (o.offset ? std::to_string(*o.offset) : std::string("-")) ==
         std::string(code) + "@" + std::to_string(offset));
   CHECK(o.output.empty());
   CHECK(o.ledger.bytes_in == 0);
   CHECK(o.ledger.bytes_out == 0);
   CHECK(o.ledger.fields_kept == 0);
   CHECK(o.ledger.fields_dropped == 0);
   CHECK(o.ledger.kept_paths.empty());
}

// The same fault is found at the same place whether the part holding it is kept whole,
// projected, or dropped.
void check_error_everywhere(const std::string& input, std::string_view code, std::size_t offset) {
   for(const char* selection : {"a", "z", "*", "a(q)", "*(q)", "a[t=x](q)"}) {
      INFO("selection: " << selection);
      check_error(select(selection), input, code, offset);
   }
}

struct Fault {
      std::string input;
      std::size_t offset;
};

}  // namespace

// ---- invalid_json ---------------------------------------------------------------------------

TEST_CASE("errors: invalid_json at the exact offset, kept or dropped", "[errors]") {
   const Fault faults[] = {
      // Empty input and whitespace only.
      {"", 0},
      {"   ", 3},
      {" \n\t\r", 4},
      // Trailing garbage after the value.
      {"{} x", 3},
      {"{}}", 2},
      {"[] []", 3},
      {"{}{}", 2},
      {"nullx", 4},
      {"{}\0"s, 2},
      {"{}\xC3\xA9", 2},
      // Structure.
      {R"({"a":1 "b":2})", 7},
      {R"({"a" 1})", 5},
      {R"({"a")", 4},
      {R"({"a":})", 5},
      {R"({"a":)", 5},
      {R"({"a":1)", 6},
      {R"({"a":1,)", 7},
      {R"({"a":[1,2})", 9},
      {R"({"a":{"b":1]})", 11},
      {R"({"a":[{"b":1}})", 13},
      {"[1 2]", 3},
      {"[1", 2},
      {"[", 1},
      {"{", 1},
      {"]", 0},
      {"}", 0},
      {":", 0},
      {"{a:1}", 1},
      {R"({"a":1 /*x*/})", 7},
      {"// c\n{}", 0},
      {"{\"a\":1}\n\n#", 9},
      // Quotes.
      {"{'a':1}", 1},
      {R"({"a":'x'})", 5},
      // Commas.
      {"[1,]", 3},
      {R"({"a":1,})", 7},
      {"{,}", 1},
      {"[,1]", 1},
      {"[1,,2]", 3},
      {"[,]", 1},
      {R"({"a":[1,]})", 8},
      // Strings: unterminated (offset of the opening quote), bad escapes (offset of the
      // backslash), raw control characters (offset of the character).
      {R"("abc)", 0},
      {R"({"a":"abc)", 5},
      {R"({"a":"abc\"})", 5},
      {R"({"a":"x\)", 5},
      {R"({"abc)", 1},
      {R"({"a":"x\q"})", 7},
      {R"({"a":"\u12"})", 6},
      {R"({"a":"\u12)", 6},
      {R"({"a":"\u"})", 6},
      {R"({"a":"\uGGGG"})", 6},
      {R"({"a":"\u00G0"})", 6},
      {R"({"a":"\U0041"})", 6},
      {R"({"a":"\x41"})", 6},
      {R"({"a":"\'"})", 6},
      {R"({"a":"\a"})", 6},
      {"{\"a\":\"\\0\"}", 6},
      {"{\"a\":\"x\x01\"}", 7},
      {"{\"a\":\"x\ty\"}", 7},
      {"{\"a\":\"x\ny\"}", 7},
      {"{\"a\":\"x\ry\"}", 7},
      {"{\"a\":\"x\x1F\"}", 7},
      {"{\"a\":\"x\0y\"}"s, 7},
      {"{\"\x01\":1}", 2},
      {"{\"b\":\"\x02\",\"a\":1}", 6},
      // Numbers.
      {"01", 1},
      {"[01]", 2},
      {R"({"a":01})", 6},
      {"-01", 2},
      {"00", 1},
      {"1.", 2},
      {R"({"a":1.})", 7},
      {"1.e5", 2},
      {"-", 1},
      {"-a", 1},
      {R"({"a":-})", 6},
      {"1e", 2},
      {"1e+", 3},
      {"1E-", 3},
      {"1e+-1", 3},
      {"+1", 0},
      {R"({"a":+1})", 5},
      {".5", 0},
      {"[.5]", 1},
      {"NaN", 0},
      {"Infinity", 0},
      {"-Infinity", 1},
      {"0x10", 1},
      {"1_000", 1},
      {"[1.5.2]", 4},
      {"- 1", 1},
      // Literals.
      {"tru", 0},
      {R"({"a":tru})", 5},
      {R"({"a":nul})", 5},
      {"falsey", 5},
      {R"({"a":True})", 5},
      {"nulll", 4},
      {"[nil]", 1},
      {"[undefined]", 1},
      // A byte order mark is not JSON.
      {"\xEF\xBB\xBF{}", 0},
      // Bytes that are not UTF-8 outside strings are grammar errors.
      {"{\"a\":\xFF}", 5},
      {"\xFF", 0},
      {"[1,\xC3\xA9]", 3},
   };
   for(const Fault& f : faults) {
      INFO("input: " << f.input);
      check_error_everywhere(f.input, "invalid_json", f.offset);
   }
}

TEST_CASE("errors: invalid_json inside dropped and projected parts", "[errors]") {
   check_error(select("a"), R"({"b":[1,{"c":[tru]}],"a":1})", "invalid_json", 14);
   check_error(select("a(b)"), R"({"a":{"c":{"d" 1},"b":1}})", "invalid_json", 15);
   check_error(select("a(b)"), R"({"a":[1,"x",{"c":01}]})", "invalid_json", 18);
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"y","q":[1,]}]})", "invalid_json", 22);
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"x","q":[1,]}]})", "invalid_json", 22);
   // The predicate look-ahead does not validate; the walk after it reports the fault.
   check_error(select("r[t=x](a)"), R"({"r":[{"q":[1 2],"t":"x"}]})", "invalid_json", 14);
   check_error(select("r[t=x](a)"), R"({"r":[{"t" "x"}]})", "invalid_json", 11);
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"x)", "invalid_json", 11);
   check_error(select("r[t=x](a)"), R"({"r":[{"t":)", "invalid_json", 11);
}

TEST_CASE("errors: inputs ending inside an escape during predicate look-ahead", "[errors]") {
   // The look-ahead that evaluates predicates reads names and values before they are
   // validated; it must not read past the end of the input (run under the native-sanitize
   // preset to see a violation). The input sits at the very end of its own allocation.
   struct Case {
         std::string input;
         std::size_t offset;
   };
   const Case cases[] = {
      {R"({"r":[{"t":"\u1")", 12},
      {R"({"r":[{"t":"\u")", 12},
      {R"({"r":[{"\u1")", 8},
      {R"({"r":[{"\u")", 8},
      {R"({"r":{"t":"\u12")", 11},
      {R"({"r":{"\u12")", 7},
   };
   const Policy policy = select("r[t=x](a)");
   for(const Case& c : cases) {
      INFO(c.input);
      const std::vector<std::uint8_t> exact(c.input.begin(), c.input.end());
      WipedBuffer out;
      const Status status = filter(policy, std::span<const std::uint8_t>(exact.data(), exact.size()), out);
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().code_name() == "invalid_json");
      CHECK(status.error().offset() == std::optional<std::size_t>(c.offset));
   }
}

// ---- invalid_utf8 ---------------------------------------------------------------------------

TEST_CASE("errors: invalid_utf8 in kept and dropped strings and in member names", "[errors]") {
   const std::string bad[] = {
      "\xFF",                    // never valid
      "\xFE",
      "\x80",                    // lone continuation byte
      "\xBF",
      "\xC0\xAF",                // overlong 2-byte
      "\xC1\xBF",
      "\xC2" "y",                // lead byte without continuation
      "\xE0\x80\xAF",            // overlong 3-byte
      "\xE0\x9F\xBF",
      "\xED\xA0\x80",            // UTF-16 surrogates encoded in UTF-8
      "\xED\xBF\xBF",
      "\xF0\x80\x80\xAF",        // overlong 4-byte
      "\xF0\x8F\xBF\xBF",
      "\xF4\x90\x80\x80",        // beyond U+10FFFF
      "\xF5\x80\x80\x80",
      "\xF8\x88\x80\x80\x80",
      "\xE2\x82" "y",            // truncated sequences
      "\xF0\x9F\x98" "y",
      "\xE2" "y\x82",
      "\xC3\xA9\x80",            // valid, then a stray continuation
   };
   for(const std::string& b : bad) {
      INFO("bytes: " << b);
      // In a member value: offset of the first byte of the bad sequence.
      const std::size_t skip = b.rfind("\xC3\xA9", 0) == 0 ? 2 : 0;
      check_error_everywhere("{\"a\":\"x" + b + "y\"}", "invalid_utf8", 7 + skip);
      // In a member name.
      check_error_everywhere("{\"x" + b + "\":1}", "invalid_utf8", 3 + skip);
      // Deep in a dropped part.
      check_error(select("a"), "{\"b\":[{\"c\":\"" + b + "\"}],\"a\":1}", "invalid_utf8", 12 + skip);
      // A top-level string that is dropped.
      check_error(select("a"), "\"" + b + "\"", "invalid_utf8", 1 + skip);
   }
}

TEST_CASE("errors: invalid_utf8 when the input ends inside a sequence", "[errors]") {
   check_error_everywhere("{\"a\":\"x\xC3", "invalid_utf8", 7);
   check_error_everywhere("{\"a\":\"x\xE2\x82", "invalid_utf8", 7);
   check_error_everywhere("{\"a\":\"x\xF0\x9F\x98", "invalid_utf8", 7);
   check_error_everywhere("{\"a\":\"x\xC3\"}", "invalid_utf8", 7);
   check_error_everywhere("{\"a\":\"x\xF0\x9F\x98\"}", "invalid_utf8", 7);
}

TEST_CASE("errors: every well-formed UTF-8 boundary sequence is accepted", "[errors]") {
   for(const std::string good : {"\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xE1\x80\x80", "\xEC\xBF\xBF", "\xED\x80\x80",
                                 "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF1\x80\x80\x80",
                                 "\xF3\xBF\xBF\xBF", "\xF4\x80\x80\x80", "\xF4\x8F\xBF\xBF", "\x7F"}) {
      const std::string input = "{\"a\":\"" + good + "\",\"" + good + "\":1}";
      INFO("bytes: " << good);
      CHECK(filtered("a", input) == "{\"a\":\"" + good + "\"}");
      CHECK(filtered("*", input) == input);
      CHECK(filtered(good, input) == "{\"" + good + "\":1}");
   }
}

TEST_CASE("errors: lone surrogate escapes are grammar-valid, not errors", "[errors]") {
   CHECK(filtered("a", R"("\ud800")") == "null");
   CHECK(filtered("a", R"({"a":"\udfff","b":"\ud800\ud800"})") == R"({"a":"\udfff"})");
   CHECK(filtered("*", R"({"\udc00":"\ud83d"})") == R"({"\udc00":"\ud83d"})");
}

// ---- depth_limit ----------------------------------------------------------------------------

TEST_CASE("errors: depth_limit counts the top-level container as depth 1", "[errors]") {
   for(const char* selection : {"a", "z", "*", "a(b(c(d)))", "a(q)"}) {
      INFO("selection: " << selection);
      const Policy p = limited(selection, R"({"max_depth":3})");
      // Exactly max_depth levels are fine.
      CHECK(run(p, "[[[]]]").ok);
      CHECK(run(p, R"({"a":{"b":{}}})").ok);
      CHECK(run(p, R"({"a":{"b":{"c":1}}})").ok);
      CHECK(run(p, "[[[]],[[]],[[1,2]]]").ok);
      // One more fails at the opening bracket that exceeds, empty containers included.
      check_error(p, "[[[[]]]]", "depth_limit", 3);
      check_error(p, R"({"a":{"b":{"c":{}}}})", "depth_limit", 15);
      check_error(p, R"({"a":{"b":{"c":[]}}})", "depth_limit", 15);
      check_error(p, R"({"a":[{"c":[]}]})", "depth_limit", 11);
      // Dropped parts count too.
      check_error(p, R"({"z":[[[1]]],"a":1})", "depth_limit", 7);
      check_error(p, R"([{"a":[{"b":1}]}])", "depth_limit", 7);
      check_error(p, R"({"q":1,"y":[{"r":[1]}]})", "depth_limit", 17);
   }
}

TEST_CASE("errors: depth_limit with the smallest limit", "[errors]") {
   const Policy p = limited("a", R"({"max_depth":1})");
   CHECK(filtered(p, "{}") == "{}");
   CHECK(filtered(p, "[]") == "[]");
   CHECK(filtered(p, R"({"a":1,"b":2})") == R"({"a":1})");
   CHECK(filtered(p, "1") == "null");
   check_error(p, "[[]]", "depth_limit", 1);
   check_error(p, R"({"a":{}})", "depth_limit", 5);
   check_error(p, R"({"b":[]})", "depth_limit", 5);
   check_error(p, R"([1,{}])", "depth_limit", 3);
}

TEST_CASE("errors: depth_limit at the default of 64", "[errors]") {
   const Policy p = select("a");
   auto arrays = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
   CHECK(filtered(p, arrays(64)) == arrays(64));
   check_error(p, arrays(65), "depth_limit", 64);
   // Very deep input fails at the limit, long before its end.
   check_error(p, std::string(100000, '['), "depth_limit", 64);
   std::string objects;
   for(int i = 0; i != 100000; ++i) {
      objects += R"({"a":)";
   }
   check_error(p, objects, "depth_limit", 64 * 5);
   check_error(select("z"), objects, "depth_limit", 64 * 5);
   check_error(select("*"), objects, "depth_limit", 64 * 5);
}

TEST_CASE("errors: depth_limit at the ceiling", "[errors]") {
   const std::string limit = "{\"max_depth\":" + std::to_string(max_depth_ceiling()) + "}";
   std::string objects;
   std::string closes;
   for(std::size_t i = 0; i != max_depth_ceiling(); ++i) {
      objects += R"({"a":)";
      closes += "}";
   }
   const std::string deepest = objects + "1" + closes;
   const std::string too_deep = objects + "[1]" + closes;
   for(const char* selection : {"a", "z", "*"}) {
      INFO("selection: " << selection);
      const Policy p = limited(selection, limit);
      CHECK(run(p, deepest).ok);
      check_error(p, too_deep, "depth_limit", 5 * max_depth_ceiling());
   }
   CHECK(filtered(limited("a", limit), deepest) == deepest);
   CHECK(filtered(limited("*", limit), deepest) == deepest);
   // A selection as deep as the input projects it all the way down.
   std::string nested = "a";
   for(std::size_t i = 1; i != 100; ++i) {
      nested = "a(" + nested + ")";
   }
   CHECK(run(limited(nested, limit), deepest).ok);
   const Policy arrays = limited("a", limit);
   const std::string deep_arrays = std::string(max_depth_ceiling(), '[') + std::string(max_depth_ceiling(), ']');
   CHECK(filtered(arrays, deep_arrays) == deep_arrays);
   check_error(arrays, "[" + deep_arrays + "]", "depth_limit", max_depth_ceiling());
}

// ---- size_limit -----------------------------------------------------------------------------

TEST_CASE("errors: size_limit is checked before reading", "[errors]") {
   const Policy p = limited("a", R"({"max_input_bytes":10})");
   CHECK(filtered(p, R"({"a":1234})") == R"({"a":1234})");  // exactly 10 bytes
   check_error(p, R"({"a":12345})", "size_limit", 10);
   // Even input that is not JSON at all, or whose fault comes first, reports size_limit.
   check_error(p, "xxxxxxxxxxx", "size_limit", 10);
   check_error(p, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "size_limit", 10);
   check_error(p, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "size_limit", 10);

   const Policy one = limited("a", R"({"max_input_bytes":1})");
   CHECK(filtered(one, "1") == "null");
   check_error(one, "{}", "size_limit", 1);
   check_error(one, "", "invalid_json", 0);
}

TEST_CASE("errors: size_limit at the default of 64 MiB", "[errors]") {
   const Policy p = select("a");
   const std::size_t limit = std::size_t{64} << 20;
   std::string input;
   input.reserve(limit + 1);
   input = "{}";
   input.resize(limit, ' ');
   CHECK(filtered(p, input) == "{}");
   input.push_back(' ');
   check_error(p, input, "size_limit", limit);
}

// ---- duplicate_key --------------------------------------------------------------------------

TEST_CASE("errors: duplicate_key for a kept member that occurs twice", "[errors]") {
   struct Case {
         const char* selection;
         const char* input;
         const char* expected;  // output, or ERROR code@offset
   };
   const Case cases[] = {
      {"a", R"({"a":1,"a":2})", "ERROR duplicate_key@7"},
      {"a", R"({"a":1,"b":0,"a":1})", "ERROR duplicate_key@13"},
      {"*", R"({"x":1,"x":2})", "ERROR duplicate_key@7"},
      // A dropped member may occur twice.
      {"z", R"({"a":1,"a":2})", "{}"},
      {"a", R"({"b":1,"b":2,"a":3})", R"({"a":3})"},
      {"a(b)", R"({"a":{"b":1,"c":2,"c":3}})", R"({"a":{"b":1}})"},
      {"a(b)", R"({"a":[1,{"c":1,"c":2}]})", R"({"a":[{}]})"},
      // Duplicates anywhere inside a value kept whole.
      {"a", R"({"a":{"x":1,"x":2}})", "ERROR duplicate_key@12"},
      {"a", R"({"a":[{"x":1},{"y":1,"y":2}]})", "ERROR duplicate_key@21"},
      {"a", R"({"a":{"b":{"c":[{"d":1,"d":1}]}}})", "ERROR duplicate_key@23"},
      // A projected object.
      {"a(b)", R"({"a":{"b":1,"b":{}}})", "ERROR duplicate_key@12"},
      {"a(b)", R"({"a":[{"b":1},{"b":2,"b":3}]})", "ERROR duplicate_key@21"},
      // A member the selection names is checked even when its value is then dropped.
      {"a(b)", R"({"a":1,"a":2})", "ERROR duplicate_key@7"},
      {"a[t=x]", R"({"a":{"t":"y"},"a":{"t":"y"}})", "ERROR duplicate_key@15"},
      // Escapes are decoded: "a" and "\u0061" are the same name.
      {"a", R"({"a":1,"\u0061":2})", "ERROR duplicate_key@7"},
      {"a", R"({"\u0061":1,"a":2})", "ERROR duplicate_key@12"},
      {"*", R"({"\u00e9":1,"\u00E9":2})", "ERROR duplicate_key@12"},
      {"*", "{\"\xC3\xA9\":1,\"\\u00e9\":2}", "ERROR duplicate_key@8"},
      {"*", R"({"\ud83d\ude00":1,"\uD83D\uDE00":2})", "ERROR duplicate_key@18"},
      // Same name in different objects is fine.
      {"*", R"({"a":{"x":1},"b":{"x":2}})", R"({"a":{"x":1},"b":{"x":2}})"},
      // Top-level arrays: each element is its own object.
      {"a", R"([{"a":1},{"a":2}])", R"([{"a":1},{"a":2}])"},
      {"a", R"([{"a":1},{"a":2,"a":3}])", "ERROR duplicate_key@16"},
   };
   for(const Case& c : cases) {
      INFO("selection: " << c.selection);
      INFO("input:     " << c.input);
      CHECK(filtered(c.selection, c.input) == c.expected);
   }
}

TEST_CASE("errors: duplicate_key for a predicate key twice in a selected element", "[errors]") {
   // The element is selected by its first `t`; a second `t` would make it ambiguous.
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"x","t":"x","a":1}]})", "duplicate_key", 15);
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"x","t":"y","a":1}]})", "duplicate_key", 15);
   check_error(select("r[t=x](a)"), R"({"r":{"t":"x","t":"y","a":1}})", "duplicate_key", 14);
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"x","\u0074":"y"}]})", "duplicate_key", 15);
   check_error(select("r[t=x]"), R"({"r":[{"t":"x","b":1,"b":2}]})", "duplicate_key", 21);
   // An element the predicates reject: its predicate keys decided its fate, so they must
   // not repeat either (a reader taking the last `t` would see an element the filter dropped).
   check_error(select("r[t=x](a)"), R"({"r":[{"t":"y","t":"x","a":1}]})", "duplicate_key", 15);
   check_error(select("r[t=x](a)"), R"({"r":{"t":"y","t":"x"}})", "duplicate_key", 14);
   check_error(select("r[t=x](a),r[u=y](b)"), R"({"r":[{"u":"n","t":"n","u":"y"}]})", "duplicate_key", 23);
   // Other members of an element, selected or not, may repeat when nothing keeps them.
   CHECK(filtered("r[t=x](a)", R"({"r":[{"t":"x","z":1,"z":2,"a":1}]})") == R"({"r":[{"a":1}]})");
   CHECK(filtered("r[t=x](a)", R"({"r":[{"t":"y","z":1,"z":2,"a":1,"a":2}]})") == R"({"r":[]})");
   // Without predicates, a dropped element's members are not inspected.
   CHECK(filtered("r(a)", R"({"r":[1,{"b":1,"b":2}]})") == R"({"r":[{}]})");
}

TEST_CASE("errors: duplicate_key in objects with many members", "[errors]") {
   std::string members;
   for(int i = 0; i != 30; ++i) {
      members += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
   }
   for(const char* repeated : {"k0", "k15", "k16", "k29"}) {
      INFO(repeated);
      const std::string input = "{" + members + "\"" + repeated + "\":0}";
      check_error(select("*"), input, "duplicate_key", members.size() + 1);
      CHECK(filtered("q", input) == "{}");
   }
}

// ---- several faults -------------------------------------------------------------------------

TEST_CASE("errors: of several faults the first in input order is reported", "[errors]") {
   const Policy p = limited("a", R"({"max_depth":2})");
   // A duplicate before a later fault of another kind...
   check_error(p, R"({"a":1,"a":2 x})", "duplicate_key", 7);
   check_error(p, "{\"a\":1,\"a\":\"\xFF\"}", "duplicate_key", 7);
   check_error(p, R"({"a":1,"a":[[]]})", "duplicate_key", 7);
   check_error(p, R"({"a":1,"a":})", "duplicate_key", 7);
   // ...and the other way round.
   check_error(p, R"({"b":x,"a":1,"a":2})", "invalid_json", 5);
   check_error(p, "{\"b\":\"\xFF\",\"a\":1,\"a\":2}", "invalid_utf8", 6);
   check_error(p, R"({"b":[[]],"a":1,"a":2})", "depth_limit", 6);
   // Depth before a syntax error, and a syntax error before depth.
   check_error(p, "[[[ x", "depth_limit", 2);
   check_error(p, "[x,[[[", "invalid_json", 1);
   // UTF-8 before a syntax error, and a syntax error before UTF-8.
   check_error(p, "[\"\xFF\" x", "invalid_utf8", 2);
   check_error(p, "[x,\"\xFF\"]", "invalid_json", 1);
}

TEST_CASE("errors: a duplicate name is reported before a fault later in the same member", "[errors]") {
   // The second "a" at offset 7 is a duplicate; the missing ':' or value comes after it.
   check_error(select("a"), R"({"a":1,"a" 2})", "duplicate_key", 7);
   check_error(select("a"), R"({"a":1,"a")", "duplicate_key", 7);
   check_error(select("a"), R"({"a":1,"a":)", "duplicate_key", 7);
}

// ---- no partial output ------------------------------------------------------------------------

TEST_CASE("errors: no partial output, whatever was kept before the fault", "[errors]") {
   const Policy p = limited("a,b", R"({"max_depth":4,"max_input_bytes":200})");
   const std::string faults[] = {
      R"({"a":"kept","b":[1,2,3],"c":tru})",
      R"({"a":"kept","b":[1,2,3],"a":1})",
      "{\"a\":\"kept\",\"b\":[1,2,\"\xFF\"]}",
      R"({"a":"kept","b":[[[[[1]]]]]})",
      R"({"a":"kept","b":[1,2,3]} trailing)",
      R"({"a":"kept","b":[1,2,3])",
      R"({"a":"kept","b":")" + std::string(200, 'x') + "\"}",
   };
   for(const std::string& input : faults) {
      INFO(input);
      WipedBuffer out(64, 'x');
      Ledger ledger;
      ledger.bytes_in = 99;
      ledger.bytes_out = 98;
      ledger.fields_kept = 1;
      ledger.fields_dropped = 97;
      ledger.kept_paths = {{"previous", 1}};
      const Status status =
         filter(p, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), out,
                &ledger);
      CHECK_FALSE(status.ok());
      CHECK(out.empty());
      const bool untouched = ledger.bytes_in == 99 && ledger.bytes_out == 98 && ledger.fields_kept == 1 &&
                             ledger.fields_dropped == 97 && ledger.kept_paths.size() == 1;
      const bool empty = ledger.bytes_in == 0 && ledger.bytes_out == 0 && ledger.fields_kept == 0 &&
                         ledger.fields_dropped == 0 && ledger.kept_paths.empty();
      CHECK((untouched || empty));
      CHECK_FALSE(status.error().message().empty());
   }
}

TEST_CASE("errors: error values carry a stable code name and a JSON form", "[errors]") {
   const Outcome o = run(select("a"), "{} x");
   REQUIRE_FALSE(o.ok);
   WipedBuffer out;
   const std::string input = "{} x";
   const Status status = filter(select("a"),
                                std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), out);
   REQUIRE_FALSE(status.ok());
   CHECK(status.error().code() == ErrorCode::invalid_json);
   CHECK(status.error().code_name() == "invalid_json");
   CHECK(status.error().to_json() ==
         R"({"error":{"code":"invalid_json","message":")" + status.error().message() + R"(","offset":3}})");
   CHECK(error_code_name(ErrorCode::invalid_policy) == "invalid_policy");
   CHECK(error_code_name(ErrorCode::invalid_utf8) == "invalid_utf8");
   CHECK(error_code_name(ErrorCode::depth_limit) == "depth_limit");
   CHECK(error_code_name(ErrorCode::size_limit) == "size_limit");
   CHECK(error_code_name(ErrorCode::duplicate_key) == "duplicate_key");
}

// ---- the output bound (wasm/src/filter_output.hpp) -------------------------------------------
// A container cut short used to have its closing brackets written while the error unwound:
// one byte more per open level than the input held, past the buffer from 9 levels on (a
// heap overflow natively, a trap under wasm). The first input is the fuzzer's finding.

TEST_CASE("errors: inputs cut short inside nested arrays write nothing past the output bound", "[errors][bound]") {
   const std::string finding = std::string(34, '[') + "{\"a41,\"b\x02:2},{\"b\":3}]";
   check_error(select("a"), finding, "invalid_json", 41);

   for(const char* selection : {"a", "*", "a(q)", "a,b", "*(*)"}) {
      INFO("selection: " << selection);
      const Policy policy = select(selection);
      for(std::size_t levels : {1, 8, 9, 17, 20, 34, 60}) {
         INFO("levels: " << levels);
         // A response cut short after its first element, and one cut inside it.
         const std::string cut = std::string(levels, '[') + R"({"a":"x","b":"y"})";
         check_error(policy, cut, "invalid_json", cut.size());
         const std::string cut_inside = std::string(levels, '[') + R"({"a":["x",{"b":)";
         check_error(policy, cut_inside, "invalid_json", cut_inside.size());
         // Nested objects cut short, kept whole and projected.
         std::string objects;
         for(std::size_t i = 0; i != levels; ++i) {
            objects += R"({"a":)";
         }
         objects += "[1,";
         check_error(policy, objects, "invalid_json", objects.size());
      }
   }
}

TEST_CASE("errors: a fault after redactions that grew the output leaves no output", "[errors][bound]") {
   const Policy policy = compile_or_fail(
      R"({"version":1,"select":"a","redact":{"rules":[{"path":"a[]","detect":["email"],"action":"label"}]}})");
   std::string input = std::string(R"({"a":[)");
   for(int i = 0; i != 200; ++i) {
      input += R"("a@b.io x@y.io",)";
   }
   const std::string whole = input + R"("z@z.io"]})";
   const Outcome ok = run(policy, whole);
   REQUIRE(ok.ok);
   CHECK(ok.output.size() > whole.size());  // redaction made it longer than its input
   CHECK(ok.output.find('@') == std::string::npos);
   check_error(policy, input, "invalid_json", input.size());
   check_error(policy, std::string(30, '[') + whole.substr(5), "invalid_json", 30 + whole.size() - 5 - 1);
}

}  // namespace leastdata::test
