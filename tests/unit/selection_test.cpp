// The selection language of DESIGN §2.1 as syntax: parsing (names, `*`, `/` chains,
// predicates, escapes, whitespace), errors with their exact byte offsets, the normalised
// printer and its round trip, and `normalize` merging. What a selection *keeps* is tested
// in filter_test.cpp.
#include "test_support.hpp"

#include <leastdata/selection.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace leastdata::test {
namespace {

using nlohmann::ordered_json;

// An unambiguous structural picture of a rule tree (names as decoded strings), so two
// parses can be compared field by field.
ordered_json tree(const std::vector<Rule>& rules) {
   ordered_json out = ordered_json::array();
   for(const Rule& rule : rules) {
      ordered_json r = ordered_json::object();
      if(rule.wildcard) {
         r["*"] = true;
      } else {
         r["name"] = rule.name;
      }
      if(rule.predicate) {
         r["key"] = rule.predicate->key;
         r["values"] = rule.predicate->values;
      }
      if(!rule.whole) {
         r["children"] = tree(rule.children);
      }
      out.push_back(std::move(r));
   }
   return out;
}

Selection parsed(std::string_view text) {
   auto result = parse_selection(text);
   if(!result) {
      FAIL("selection " << text << " did not parse: " << result.error().to_json());
   }
   return std::move(result).value();
}

std::string tree_of(std::string_view text) { return tree(parsed(text).rules).dump(); }

std::string printed(std::string_view text) { return to_string(parsed(text)); }

std::string normalized(std::string_view text) { return to_string(normalize(parsed(text))); }

// "code@offset: message" of a selection that must not parse.
struct Failure {
      std::string code;
      std::optional<std::size_t> offset;
      std::string message;
};

Failure failure_of(std::string_view text) {
   auto result = parse_selection(text);
   if(result) {
      FAIL("selection " << text << " parsed but should not: " << to_string(result.value()));
   }
   return {std::string(result.error().code_name()), result.error().offset(), result.error().message()};
}

}  // namespace

TEST_CASE("selection: a single name keeps the value whole", "[selection]") {
   const Selection s = parsed("id");
   REQUIRE(s.rules.size() == 1);
   CHECK_FALSE(s.rules[0].wildcard);
   CHECK(s.rules[0].name == "id");
   CHECK_FALSE(s.rules[0].predicate.has_value());
   CHECK(s.rules[0].whole);
   CHECK(s.rules[0].children.empty());
}

TEST_CASE("selection: several items keep their order", "[selection]") {
   CHECK(tree_of("b,a,c") == R"([{"name":"b"},{"name":"a"},{"name":"c"}])");
}

TEST_CASE("selection: `*` is a wildcard step, alone or with a sub-selection", "[selection]") {
   const Selection s = parsed("*");
   REQUIRE(s.rules.size() == 1);
   CHECK(s.rules[0].wildcard);
   CHECK(s.rules[0].name.empty());
   CHECK(s.rules[0].whole);
   CHECK(tree_of("*(id)") == R"([{"*":true,"children":[{"name":"id"}]}])");
   CHECK(tree_of("a/*/b") == R"([{"name":"a","children":[{"*":true,"children":[{"name":"b"}]}]}])");
   CHECK(tree_of("*[t=x](a)") == R"([{"*":true,"key":"t","values":["x"],"children":[{"name":"a"}]}])");
}

TEST_CASE("selection: a sub-selection in parentheses", "[selection]") {
   CHECK(tree_of("a(b,c)") == R"([{"name":"a","children":[{"name":"b"},{"name":"c"}]}])");
   CHECK(tree_of("a(b(c(d)),e)") ==
         R"([{"name":"a","children":[{"name":"b","children":[{"name":"c","children":[{"name":"d"}]}]},{"name":"e"}]}])");
}

TEST_CASE("selection: `a/b/c(x)` is `a(b(c(x)))`", "[selection]") {
   CHECK(tree_of("a/b/c(x)") == tree_of("a(b(c(x)))"));
   CHECK(tree_of("a/b/c") == tree_of("a(b(c))"));
   CHECK(tree_of("a/b,c/d(e,f)") == tree_of("a(b),c(d(e,f))"));
   CHECK(tree_of("a[k=1]/b[j=2](c)") == tree_of("a[k=1](b[j=2](c))"));
   CHECK(printed("a/b/c(x)") == "a(b(c(x)))");
}

TEST_CASE("selection: predicates with one or several values", "[selection]") {
   const Selection s = parsed("custom_fields[id=360001234|360005678](id,value)");
   REQUIRE(s.rules.size() == 1);
   const Rule& rule = s.rules[0];
   CHECK(rule.name == "custom_fields");
   REQUIRE(rule.predicate.has_value());
   CHECK(rule.predicate->key == "id");
   CHECK(rule.predicate->values == std::vector<std::string>{"360001234", "360005678"});
   CHECK_FALSE(rule.whole);
   CHECK(tree(rule.children).dump() == R"([{"name":"id"},{"name":"value"}])");

   CHECK(tree_of("r[t=x]") == R"([{"name":"r","key":"t","values":["x"]}])");
   CHECK(tree_of("r[t=a|b|c]") == R"([{"name":"r","key":"t","values":["a","b","c"]}])");
}

TEST_CASE("selection: empty predicate values are allowed", "[selection]") {
   CHECK(tree_of("r[t=]") == R"([{"name":"r","key":"t","values":[""]}])");
   CHECK(tree_of("r[t=|x]") == R"([{"name":"r","key":"t","values":["","x"]}])");
   CHECK(tree_of("r[t=x|]") == R"([{"name":"r","key":"t","values":["x",""]}])");
   CHECK(tree_of("r[t=||]") == R"([{"name":"r","key":"t","values":["","",""]}])");
   CHECK(tree_of("r[t= ]") == R"([{"name":"r","key":"t","values":[""]}])");
}

TEST_CASE("selection: each special character can be escaped in names", "[selection]") {
   struct Case {
         const char* text;
         const char* name;
   };
   const Case cases[] = {
      {R"(a\,b)", "a,b"}, {R"(a\/b)", "a/b"}, {R"(a\(b)", "a(b"}, {R"(a\)b)", "a)b"},
      {R"(a\*b)", "a*b"}, {R"(a\[b)", "a[b"}, {R"(a\]b)", "a]b"}, {R"(a\=b)", "a=b"},
      {R"(a\|b)", "a|b"}, {R"(a\\b)", R"(a\b)"}, {R"(\*)", "*"},   {R"(\,)", ","},
      {R"(\\)", R"(\)"},  {R"(x\\\,)", R"(x\,)"},
   };
   for(const Case& c : cases) {
      INFO(c.text);
      const Selection s = parsed(c.text);
      REQUIRE(s.rules.size() == 1);
      CHECK_FALSE(s.rules[0].wildcard);
      CHECK(s.rules[0].name == c.name);
      CHECK(s.rules[0].whole);
   }
}

TEST_CASE("selection: each special character can be escaped in predicate keys and values", "[selection]") {
   const char specials[] = {',', '/', '(', ')', '*', '[', ']', '=', '|', '\\'};
   for(char special : specials) {
      const std::string escaped = std::string("\\") + special;
      const std::string text = "r[k" + escaped + "=v" + escaped + "|" + escaped + "]";
      INFO(text);
      const Selection s = parsed(text);
      REQUIRE(s.rules.size() == 1);
      REQUIRE(s.rules[0].predicate.has_value());
      CHECK(s.rules[0].predicate->key == std::string("k") + special);
      CHECK(s.rules[0].predicate->values == std::vector<std::string>{std::string("v") + special, std::string(1, special)});
   }
}

TEST_CASE("selection: whitespace around tokens is ignored, inside names it is kept", "[selection]") {
   CHECK(tree_of(" a , b ( c ) ") == tree_of("a,b(c)"));
   CHECK(tree_of("\ta\n/\r\nb\t(\tc\t,\td\t)") == tree_of("a/b(c,d)"));
   CHECK(tree_of("r [ k = v1 | v2 ] ( x )") == tree_of("r[k=v1|v2](x)"));
   CHECK(tree_of(" * ( x ) ") == tree_of("*(x)"));
   // Form feed counts as ASCII whitespace too.
   CHECK(tree_of("\fa\f,\fb\f(\fc\f)\f") == tree_of("a,b(c)"));
   CHECK(tree_of("first name,a b c") == R"([{"name":"first name"},{"name":"a b c"}])");
   CHECK(tree_of("r[my key = a value ]") == R"([{"name":"r","key":"my key","values":["a value"]}])");
   // A tab inside a name is part of it too.
   CHECK(tree_of("a\tb") == R"([{"name":"a\tb"}])");
   // Whitespace next to an escaped character is inside the name.
   CHECK(tree_of(R"( \, a )") == R"([{"name":", a"}])");
}

TEST_CASE("selection: names are bytes; non-ASCII UTF-8 is kept as is", "[selection]") {
   CHECK(tree_of("pr\xC3\xA9nom,\xE6\x97\xA5") == "[{\"name\":\"pr\xC3\xA9nom\"},{\"name\":\"\xE6\x97\xA5\"}]");
   CHECK(printed("pr\xC3\xA9nom") == "pr\xC3\xA9nom");
}

TEST_CASE("selection: syntax errors are invalid_policy with the exact offset", "[selection]") {
   struct Case {
         const char* text;
         std::size_t offset;
         const char* message_part;
   };
   const Case cases[] = {
      {"", 0, "expected a member name or '*'"},
      {"   ", 3, "expected a member name or '*'"},
      {"a,,b", 2, "expected a member name or '*'"},
      {"a,", 2, "expected a member name or '*'"},
      {",a", 0, "expected a member name or '*'"},
      {"a()", 2, "expected a member name or '*'"},
      {"a( )", 3, "expected a member name or '*'"},
      {"a(b,)", 4, "expected a member name or '*'"},
      {"a/", 2, "expected a member name or '*'"},
      {"/a", 0, "expected a member name or '*'"},
      {"a//b", 2, "expected a member name or '*'"},
      {"a(b", 3, "expected ')'"},
      {"a(b(c)", 6, "expected ')'"},
      {"a(", 2, "expected a member name or '*'"},
      {"a)", 1, "unbalanced ')'"},
      {"a(b))", 4, "unbalanced ')'"},
      {"(a)", 0, "expected a member name or '*'"},
      {R"(\q)", 0, "escapes only"},
      {R"(ab\q)", 2, "escapes only"},
      {R"(a\ b)", 1, "escapes only"},
      {R"(a\)", 1, "at the end of the selection escapes nothing"},
      {R"(\)", 0, "at the end of the selection escapes nothing"},
      {R"(a(b\)", 3, "at the end of the selection escapes nothing"},
      {R"(r[k=v\)", 5, "at the end of the selection escapes nothing"},
      {R"(r[k=a\n])", 5, "escapes only"},
      {"a*b", 1, "expected ',' or end of selection"},
      {"*x", 1, "expected ',' or end of selection"},
      {"**", 1, "expected ',' or end of selection"},
      {"a b(c)d", 6, "expected ',' or end of selection"},
      {"a(b)c", 4, "expected ',' or end of selection"},
      {"a(b)/c", 4, "expected ',' or end of selection"},
      {"r[k=v", 5, "expected ']' to close the predicate"},
      {"r[k=v|", 6, "expected ']' to close the predicate"},
      {"r[k=v)", 5, "expected ']' to close the predicate"},
      {"r[k=*]", 4, "expected ']' to close the predicate"},
      {"r[k]", 3, "expected '=' in the predicate"},
      {"r[k", 3, "expected '=' in the predicate"},
      {"r[=x]", 2, "expected a member name in the predicate"},
      {"r[ =x]", 3, "expected a member name in the predicate"},
      {"r[*=x]", 2, "'*' must stand alone"},
      {"r[k=v]x", 6, "expected ',' or end of selection"},
      {"r[k=v][j=w]", 6, "expected ',' or end of selection"},
      {"]", 0, "expected a member name or '*'"},
      {"=", 0, "expected a member name or '*'"},
      {"|", 0, "expected a member name or '*'"},
   };
   for(const Case& c : cases) {
      INFO("selection: " << c.text);
      const Failure f = failure_of(c.text);
      CHECK(f.code == "invalid_policy");
      CHECK(f.offset == std::optional<std::size_t>(c.offset));
      CHECK_THAT(f.message, Catch::Contains(c.message_part));
   }
}

TEST_CASE("selection: nesting is limited to max_selection_depth() levels", "[selection]") {
   STATIC_REQUIRE(max_selection_depth() == 128);
   auto nested = [](std::size_t levels) {
      std::string text;
      for(std::size_t i = 1; i < levels; ++i) {
         text += "a(";
      }
      text += "a";
      text += std::string(levels - 1, ')');
      return text;
   };
   auto chain = [](std::size_t levels) {
      std::string text = "a";
      for(std::size_t i = 1; i < levels; ++i) {
         text += "/a";
      }
      return text;
   };

   // Exactly max_selection_depth() levels of names parse, one more does not.
   CHECK(parse_selection(nested(max_selection_depth())).ok());
   CHECK(parse_selection(chain(max_selection_depth())).ok());
   // Mixing both forms counts the same levels.
   CHECK(parse_selection(chain(64) + "(" + nested(64) + ")").ok());

   for(const std::string& text : {nested(max_selection_depth() + 1), chain(max_selection_depth() + 1),
                                   chain(64) + "(" + nested(65) + ")"}) {
      const Failure f = failure_of(text);
      CHECK(f.code == "invalid_policy");
      // The offset is where the first name too deep starts.
      CHECK(f.offset == std::optional<std::size_t>(2 * max_selection_depth()));
      CHECK_THAT(f.message, Catch::Contains("nested deeper than 128 levels"));
   }

   // Very deep text fails cleanly at the first level too deep (no stack exhaustion).
   std::string deep;
   for(int i = 0; i != 100000; ++i) {
      deep += "a(";
   }
   CHECK(failure_of(deep).offset == std::optional<std::size_t>(2 * max_selection_depth()));
   CHECK(failure_of(chain(100000)).offset == std::optional<std::size_t>(2 * max_selection_depth()));
}

TEST_CASE("selection: text longer than max_selection_bytes() is rejected", "[selection]") {
   std::string text = "a";
   while(text.size() <= max_selection_bytes()) {
      text += ",a";
   }
   const Failure f = failure_of(text);
   CHECK(f.code == "invalid_policy");
   CHECK(f.offset == std::optional<std::size_t>(0));
   // Just under the limit parses.
   std::string fits(max_selection_bytes(), 'a');
   CHECK(parse_selection(fits).ok());
}

TEST_CASE("selection: to_string prints the normalised text", "[selection]") {
   struct Case {
         const char* text;
         const char* printed;
   };
   const Case cases[] = {
      {"a", "a"},
      {" a , b ", "a,b"},
      {"a/b/c(x)", "a(b(c(x)))"},
      {"a / b ( c , d )", "a(b(c,d))"},
      {"*", "*"},
      {"* ( x )", "*(x)"},
      {"r [ t = x | y ] ( a )", "r[t=x|y](a)"},
      {"r[t=]", "r[t=]"},
      {"r[t= | x ]", "r[t=|x]"},
      {R"(a\,b)", R"(a\,b)"},
      {R"(\*)", R"(\*)"},
      {R"(\,\/\(\)\*\[\]\=\|\\)", R"(\,\/\(\)\*\[\]\=\|\\)"},
      {R"(r[k\==v\||\]])", R"(r[k\==v\||\]])"},
      {"first name", "first name"},
      // to_string does not merge: that is normalize's job.
      {"a,a", "a,a"},
      {"a(b),a(c)", "a(b),a(c)"},
   };
   for(const Case& c : cases) {
      INFO(c.text);
      CHECK(printed(c.text) == c.printed);
   }
}

TEST_CASE("selection: printing and parsing again gives the same tree and text", "[selection]") {
   const char* texts[] = {
      "a",
      "a,b(c,d(e)),f",
      "a/b/c(x)",
      "*,*(x),a(*)",
      "r[t=x|y](a),r[t=]",
      "custom_fields[id=360001234|360005678](id,value)",
      R"(\,\/\(\)\*\[\]\=\|\\)",
      R"(r[k\,\/=v\(\)|\*\[\]|\=\|\\](a\,b/c\*))",
      "first name( last name [ k k = v v ] )",
      "a\tb",
      "pr\xC3\xA9nom",
      R"(\*(\*))",
   };
   for(const char* text : texts) {
      INFO(text);
      const Selection first = parsed(text);
      const std::string once = to_string(first);
      const Selection second = parsed(once);
      CHECK(tree(second.rules) == tree(first.rules));
      CHECK(to_string(second) == once);
   }
}

TEST_CASE("selection: normalize merges rules for the same member and predicate", "[selection]") {
   struct Case {
         const char* text;
         const char* normalized;
   };
   const Case cases[] = {
      {"a(b),a(c)", "a(b,c)"},
      {"a,a(b)", "a"},
      {"a(b),a", "a"},
      {"a(b),a,a(c)", "a"},
      {"a,a", "a"},
      {"a(b),a(b)", "a(b)"},
      {"a/b,a/c", "a(b,c)"},
      {"a(b(x)),a(c),a(b(y))", "a(b(x,y),c)"},
      {"a(b(x)),a(b)", "a(b)"},
      {"a(b),x,a(c)", "a(b,c),x"},
      {"*(a),*(b)", "*(a,b)"},
      {"*,*(b)", "*"},
      // `\*` is a member named "*", not the wildcard.
      {R"(\*,*)", R"(\*,*)"},
      {R"(\*(a),\*(b))", R"(\*(a,b))"},
      // Predicates merge only when identical (key and values in the same order).
      {"r[t=x](a),r[t=x](b)", "r[t=x](a,b)"},
      {"r[t=x](a),r[t=x]", "r[t=x]"},
      {"r[t=x|y](a),r[t=x|y](b)", "r[t=x|y](a,b)"},
      {"r[t=x](a),r[t=y](b)", "r[t=x](a),r[t=y](b)"},
      {"r[t=x|y](a),r[t=y|x](b)", "r[t=x|y](a),r[t=y|x](b)"},
      {"r[t=x](a),r[u=x](b)", "r[t=x](a),r[u=x](b)"},
      {"r[t=x](a),r(b)", "r[t=x](a),r(b)"},
      {"r[t=x],r", "r[t=x],r"},
      {"r[t=x](a),r(b),r[t=x](c),r(d)", "r[t=x](a,c),r(b,d)"},
      // Length-prefixed target keys: these must not be confused.
      {"r[t=a|b](x),r[t=a\\|b](y)", "r[t=a|b](x),r[t=a\\|b](y)"},
      {"r[ab=c](x),r[a=bc](y)", "r[ab=c](x),r[a=bc](y)"},
   };
   for(const Case& c : cases) {
      INFO(c.text);
      CHECK(normalized(c.text) == c.normalized);
   }
}

TEST_CASE("selection: normalize keeps first-occurrence order and is idempotent", "[selection]") {
   const Selection once = normalize(parsed("c(z),a,b(y),c(x),a(q),b(w)"));
   CHECK(to_string(once) == "c(z,x),a,b(y,w)");
   CHECK(to_string(normalize(once)) == to_string(once));
}

TEST_CASE("selection: the canonical form takes order away and nothing else", "[selection]") {
   auto canonical_text = [](std::string_view text) {
      auto parsed = parse_selection(text);
      REQUIRE(parsed.ok());
      return to_string(canonical(std::move(parsed).value()));
   };
   CHECK(canonical_text("b,a(y,x),c[k=2|1|2](z)") == "a(x,y),b,c[k=1|2](z)");
   CHECK(canonical_text("a(x),c,a(y)") == canonical_text("c,a(y,x)"));
   CHECK(canonical_text("r[t=b](x),r[t=a](y)") == "r[t=a](y),r[t=b](x)");
   // Values that differ stay apart; a whole rule still absorbs a sub-selection.
   CHECK(canonical_text("r[t=a|b](x),r[t=b|a](y)") == "r[t=a|b](x,y)");
   CHECK(canonical_text("a(b),a") == "a");
   CHECK(canonical_text("*,a(x)") == canonical_text("a(x),*"));
}

}  // namespace leastdata::test
