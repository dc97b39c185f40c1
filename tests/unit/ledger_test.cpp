// The access ledger of DESIGN §2.4: exact counts and paths for each filter call, checked
// both against hand-written expectations and against an independent walk of the output.
#include "test_support.hpp"

#include <leastdata/ledger.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace leastdata::test {
namespace {

using Paths = std::vector<std::pair<std::string, std::uint64_t>>;

// Counts every scalar of a JSON text by ledger path, in document order (first-seen).
void walk(const nlohmann::ordered_json& value, const std::string& path, Paths& out) {
   if(value.is_object()) {
      for(const auto& [name, member] : value.items()) {
         walk(member, path.empty() ? name : path + "." + name, out);
      }
   } else if(value.is_array()) {
      for(const auto& element : value) {
         walk(element, path + "[]", out);
      }
   } else {
      for(auto& [p, count] : out) {
         if(p == path) {
            ++count;
            return;
         }
      }
      out.emplace_back(path, 1);
   }
}

Paths paths_of_output(const std::string& output) {
   Paths paths;
   walk(nlohmann::ordered_json::parse(output), "", paths);
   return paths;
}

// fields_dropped is the sum of dropped_paths, none of which is zero.
std::uint64_t dropped_sum(const Ledger& ledger) {
   std::uint64_t sum = 0;
   for(const auto& [path, count] : ledger.dropped_paths) {
      CHECK(count > 0);
      sum += count;
   }
   return sum;
}

// The ledger's invariants: bytes_in/bytes_out are the sizes, fields_kept is the sum of
// kept_paths, and kept_paths is exactly what the output holds, in first-seen order.
void check_invariants(const std::string& input, const Outcome& o) {
   REQUIRE(o.ok);
   CHECK(o.ledger.bytes_in == input.size());
   CHECK(o.ledger.bytes_out == o.output.size());
   std::uint64_t sum = 0;
   for(const auto& [path, count] : o.ledger.kept_paths) {
      CHECK(count > 0);
      sum += count;
   }
   CHECK(o.ledger.fields_kept == sum);
   CHECK(o.ledger.fields_dropped == dropped_sum(o.ledger));
   CHECK(o.ledger.kept_paths == paths_of_output(o.output));
}

struct Expected {
      const char* selection;
      const char* input;
      const char* output;
      std::uint64_t fields_kept;
      std::uint64_t fields_dropped;
      Paths kept_paths;
};

void check_expected(const Expected& e) {
   INFO("selection: " << e.selection);
   INFO("input:     " << e.input);
   const Outcome o = run(select(e.selection), e.input);
   REQUIRE(o.ok);
   CHECK(o.output == e.output);
   CHECK(o.ledger.bytes_in == std::string_view(e.input).size());
   CHECK(o.ledger.bytes_out == std::string_view(e.output).size());
   CHECK(o.ledger.fields_kept == e.fields_kept);
   CHECK(o.ledger.fields_dropped == e.fields_dropped);
   CHECK(o.ledger.kept_paths == e.kept_paths);
   CHECK(o.ledger.fields_dropped == dropped_sum(o.ledger));
}

}  // namespace

TEST_CASE("ledger: counts and paths of simple projections", "[ledger]") {
   const Expected cases[] = {
      {"a(b),c", R"({"a":{"b":1,"x":2},"c":[1,null,"s"],"d":{"e":{"f":1}}})", R"({"a":{"b":1},"c":[1,null,"s"]})", 4, 2,
       {{"a.b", 1}, {"c[]", 3}}},
      // A removed member counts once, whatever its subtree.
      {"a", R"({"a":1,"b":{"c":{"d":[1,2,3]}},"e":[1,2]})", R"({"a":1})", 1, 2, {{"a", 1}}},
      // A member named by a sub-selection but holding a scalar is removed.
      {"a(x),b(y)", R"({"a":1,"b":"s"})", R"({})", 0, 2, {}},
      // Removed array elements count once each.
      {"a(b)", R"({"a":[1,{"b":2},"x",[3,{"b":4}]]})", R"({"a":[{"b":2},[{"b":4}]]})", 2, 3,
       {{"a[].b", 1}, {"a[][].b", 1}}},
      {"r[t=x](a)", R"({"r":[{"t":"x","a":1},{"t":"y"},3]})", R"({"r":[{"a":1}]})", 1, 3, {{"r[].a", 1}}},
      // null counts as a kept scalar.
      {"a(x)", R"({"a":null})", R"({"a":null})", 1, 0, {{"a", 1}}},
      {"a(x)", R"({"a":[null,1]})", R"({"a":[null]})", 1, 1, {{"a[]", 1}}},
      // Kept empty containers contribute no path.
      {"a,b", R"({"a":{},"b":[],"c":{}})", R"({"a":{},"b":[]})", 0, 1, {}},
      {"a(x)", R"({"a":{"y":1}})", R"({"a":{}})", 0, 1, {}},
      {"a", R"({"a":[[],{},[[]]]})", R"({"a":[[],{},[[]]]})", 0, 0, {}},
      // A whole-kept subtree counts each scalar at its own path, in first-seen order.
      {"a", R"({"a":{"b":[1,2,{"c":null}],"d":"s"}})", R"({"a":{"b":[1,2,{"c":null}],"d":"s"}})", 4, 0,
       {{"a.b[]", 2}, {"a.b[].c", 1}, {"a.d", 1}}},
      {"*", R"({"z":1,"a":2,"m":[{"q":1,"p":2},{"p":3,"r":4}]})", R"({"z":1,"a":2,"m":[{"q":1,"p":2},{"p":3,"r":4}]})", 6, 0,
       {{"z", 1}, {"a", 1}, {"m[].q", 1}, {"m[].p", 2}, {"m[].r", 1}}},
      // Paths use decoded member names.
      {"a(b)", R"({"\u0061":{"\u0062":1,"c":2}})", R"({"\u0061":{"\u0062":1}})", 1, 1, {{"a.b", 1}}},
      {"*", R"({"q\"x":1,"s\\t":2})", R"({"q\"x":1,"s\\t":2})", 2, 0, {{"q\"x", 1}, {"s\\t", 1}}},
      // Nested arrays add one `[]` per level.
      {"a", R"({"a":[[1,[2]],3]})", R"({"a":[[1,[2]],3]})", 3, 0, {{"a[][]", 1}, {"a[][][]", 1}, {"a[]", 1}}},
   };
   for(const Expected& e : cases) {
      check_expected(e);
   }
}

TEST_CASE("ledger: top-level arrays start their paths with []", "[ledger]") {
   const Expected cases[] = {
      {"id", R"([{"id":1,"x":2},{"id":3},5])", R"([{"id":1},{"id":3}])", 2, 2, {{"[].id", 2}}},
      {"id", R"([[{"id":1}],[[{"id":2}]]])", R"([[{"id":1}],[[{"id":2}]]])", 2, 0, {{"[][].id", 1}, {"[][][].id", 1}}},
      {"a", R"([1,"a",null])", R"([null])", 1, 2, {{"[]", 1}}},
      {"a", R"([])", R"([])", 0, 0, {}},
      {"a", R"([{},{"b":1}])", R"([{},{}])", 0, 1, {}},
   };
   for(const Expected& e : cases) {
      check_expected(e);
   }
}

TEST_CASE("ledger: top-level scalars", "[ledger]") {
   // A dropped top-level scalar: the output's `null` stands in for it and is not a kept field.
   const Expected dropped[] = {
      {"a", R"("secret")", "null", 0, 1, {}},
      {"a", "12345", "null", 0, 1, {}},
      {"*", " true ", "null", 0, 1, {}},
   };
   for(const Expected& e : dropped) {
      check_expected(e);
   }
   // A top-level null is kept, at the empty path.
   check_expected({"a", " null ", "null", 1, 0, {{"", 1}}});
}

TEST_CASE("ledger: a Zendesk payload with resources", "[ledger][zendesk]") {
   const Policy policy = compile_or_fail(R"~({"version":1,"resources":{
      "ticket":"id,subject,description,assignee_id,requester_id,custom_fields[id=360001234|360005678](id,value)",
      "user":"id,name,email"}})~");
   const std::string input =
      R"({"ticket":{"url":"u","id":35436,"subject":"s","description":"d","status":"open","requester_id":1,)"
      R"("assignee_id":2,"tags":["a","b"],"via":{"channel":"web"},"custom_fields":[{"id":27642,"value":"745"},)"
      R"({"id":360001234,"value":"gold"},{"id":360005678,"value":null},{"id":1,"value":[1,2]}]},)"
      R"("users":[{"id":1,"name":"n","email":"e","phone":"p"}],"next_page":null,"count":1,"facets":{}})";
   const Outcome o = run(policy, input);
   REQUIRE(o.ok);
   CHECK(o.output ==
         R"({"ticket":{"id":35436,"subject":"s","description":"d","requester_id":1,"assignee_id":2,)"
         R"("custom_fields":[{"id":360001234,"value":"gold"},{"id":360005678,"value":null}]},)"
         R"("users":[{"id":1,"name":"n","email":"e"}],"next_page":null,"count":1})");
   CHECK(o.ledger.bytes_in == input.size());
   CHECK(o.ledger.bytes_out == o.output.size());
   CHECK(o.ledger.fields_kept == 14);
   // url, status, tags, via, two custom_fields elements, phone, facets.
   CHECK(o.ledger.fields_dropped == 8);
   CHECK(o.ledger.kept_paths == Paths{{"ticket.id", 1},
                                      {"ticket.subject", 1},
                                      {"ticket.description", 1},
                                      {"ticket.requester_id", 1},
                                      {"ticket.assignee_id", 1},
                                      {"ticket.custom_fields[].id", 2},
                                      {"ticket.custom_fields[].value", 2},
                                      {"users[].id", 1},
                                      {"users[].name", 1},
                                      {"users[].email", 1},
                                      {"next_page", 1},
                                      {"count", 1}});
   check_invariants(input, o);
   CHECK(o.ledger.to_json() ==
         "{\"bytes_in\":" + std::to_string(input.size()) + ",\"bytes_out\":" + std::to_string(o.output.size()) +
            R"(,"fields_kept":14,"fields_dropped":8,"kept_paths":{"ticket.id":1,"ticket.subject":1,"ticket.description":1,)"
            R"("ticket.requester_id":1,"ticket.assignee_id":1,"ticket.custom_fields[].id":2,"ticket.custom_fields[].value":2,)"
            R"("users[].id":1,"users[].name":1,"users[].email":1,"next_page":1,"count":1},)"
            R"("dropped_paths":{"ticket.url":1,"ticket.status":1,"ticket.tags":1,"ticket.via":1,"ticket.custom_fields[]":2,)"
            R"("users[].phone":1,"facets":1},"redacted":{},"unmatched":["facets"]})");
}

TEST_CASE("ledger: dropped_paths names each removed member and element by path, in input order", "[ledger]") {
   struct Case {
         const char* selection;
         const char* input;
         Paths dropped;
   };
   const Case cases[] = {
      // A removed member is one entry, at its own path, whatever its subtree.
      {"a", R"({"a":1,"b":{"c":{"d":[1,2,3]}},"e":[1,2]})", {{"b", 1}, {"e", 1}}},
      // Removed elements count at their array's path; nested arrays add a step.
      {"a(b)", R"({"a":[1,{"b":2,"z":0},"x",[3,{"b":4}]]})", {{"a[]", 2}, {"a[].z", 1}, {"a[][]", 1}}},
      // Elements a predicate rejects, and a member named by a sub-selection holding a scalar.
      {"r[t=x](a),s(x)", R"({"r":[{"t":"x","a":1,"b":2},{"t":"y"},{"t":"x","b":3}],"s":5})",
       {{"r[].t", 2}, {"r[].b", 2}, {"r[]", 1}, {"s", 1}}},
      // A top-level array: paths start with [].
      {"id", R"([{"id":1,"x":2},3,{"x":4}])", {{"[].x", 2}, {"[]", 1}}},
      // A top-level scalar replaced by null is the empty path.
      {"a", R"("text")", {{"", 1}}},
      // Names are decoded, as in kept_paths.
      {"a", R"({"\u0062":1,"a":2})", {{"b", 1}}},
      {"*", R"({"a":{"x":1},"b":[1]})", {}},
   };
   for(const Case& c : cases) {
      INFO("selection: " << c.selection);
      INFO("input:     " << c.input);
      const Outcome o = run(select(c.selection), c.input);
      REQUIRE(o.ok);
      CHECK(o.ledger.dropped_paths == c.dropped);
      CHECK(o.ledger.fields_dropped == dropped_sum(o.ledger));
   }
}

TEST_CASE("ledger: paths are text: steps that spell the same path are one entry", "[ledger]") {
   // A member named "a.b" and member b of a; a member named "" and its parent's members.
   const Outcome o = run(select("*"), R"({"a.b":1,"a":{"b":2},"":{"c":3},"c":4})");
   REQUIRE(o.ok);
   CHECK(o.ledger.kept_paths == Paths{{"a.b", 2}, {"c", 2}});
   CHECK(o.ledger.fields_kept == 4);
   const Outcome d = run(select("x"), R"({"id":1,"":{"id":2},"z":{"q":1}})");
   REQUIRE(d.ok);
   CHECK(d.ledger.dropped_paths == Paths{{"id", 1}, {"", 1}, {"z", 1}});
   const Outcome nested = run(select("*(x)"), R"({"id":{"x":1,"y":2},"":{"id":{"y":3}}})");
   REQUIRE(nested.ok);
   CHECK(nested.ledger.dropped_paths == Paths{{"id.y", 1}, {"id", 1}});
   CHECK(nested.ledger.fields_dropped == 2);
   // A member named "[]" is not an array step, whichever comes first.
   for(const auto* input : {R"({"x":[{"a":{"[]":1}},{"a":[2]}]})", R"({"x":[{"a":[2]},{"a":{"[]":1}}]})"}) {
      const Outcome both = run(select("*"), input);
      REQUIRE(both.ok);
      CHECK(both.ledger.fields_kept == 2);
      CHECK(both.ledger.kept_paths.size() == 2);
      CHECK(std::find(both.ledger.kept_paths.begin(), both.ledger.kept_paths.end(), Paths::value_type{"x[].a.[]", 1}) !=
            both.ledger.kept_paths.end());
      CHECK(std::find(both.ledger.kept_paths.begin(), both.ledger.kept_paths.end(), Paths::value_type{"x[].a[]", 1}) !=
            both.ledger.kept_paths.end());
   }
}

TEST_CASE("ledger: redacted counts what the redaction rules rewrote, by detector, never values", "[ledger][redact]") {
   const Policy p = compile_or_fail(R"({"version":1,"resources":{"ticket":"id,description"},
      "redact":{"rules":[{"path":"tickets[].description","detect":["email","phone","credit_card"],"action":"mask"}]}})");
   const Outcome o = run(p, R"({"tickets":[
      {"id":1,"description":"Card 4111 1111 1111 1111, mail jane@example.com or ann@example.org"},
      {"id":2,"description":"Call +44 20 7946 0958"},
      {"id":3,"description":"nothing here"}]})");
   REQUIRE(o.ok);
   CHECK(o.ledger.redacted == Paths{{"credit_card", 1}, {"email", 2}, {"phone", 1}});
   const std::string json = o.ledger.to_json();
   CHECK_THAT(json, Catch::Contains(R"("redacted":{"credit_card":1,"email":2,"phone":1})"));
   for(const char* value : {"jane", "4111", "7946"}) {
      CHECK(json.find(value) == std::string::npos);
   }
   // Without redaction rules nothing is rewritten.
   CHECK(run(select("*"), R"({"d":"jane@example.com"})").ledger.redacted.empty());
}

TEST_CASE("ledger: invariants hold across many selections and inputs", "[ledger]") {
   struct Run {
         const char* selection;
         const char* input;
   };
   const Run runs[] = {
      {"a", R"({"a":{"x":1,"y":[1,{"z":null}]},"b":0})"},
      {"a(x)", R"({"a":[[{"x":1,"y":2},3],[],[[{"x":5}]]]})"},
      {"r[t=x](a),r(b)", R"({"r":[{"t":"x","a":1,"b":2,"c":3},{"t":"y","a":1,"b":2}]})"},
      {"r[t=x],r(b)", R"({"r":[{"t":"x","a":1,"b":2,"c":3},{"t":"y","a":1,"b":2},5,null]})"},
      {"*(x)", R"({"a":{"x":1,"y":2},"b":3,"c":null,"d":[{"x":1},2]})"},
      {"a,*(x)", R"({"a":{"x":1,"y":2},"b":{"x":3,"z":4}})"},
      {"a", R"([{"a":1,"b":2},{"b":3},1,"s",null,true,[{"a":4,"c":5}],[]])"},
      {"*", R"({"k":[[[[1,2],[3]],[]],{"m":{"n":[null,false,"s"]}}]})"},
      {"a/b/c", R"({"a":{"b":{"c":[1,{"d":2}],"e":3},"f":4},"g":5})"},
      {"results[result_type=ticket](id),results[result_type=user](name)",
       R"({"results":[{"id":1,"result_type":"ticket"},{"name":"n","id":2,"result_type":"user"},{"result_type":"x"}]})"},
   };
   for(const Run& r : runs) {
      INFO("selection: " << r.selection);
      INFO("input:     " << r.input);
      check_invariants(r.input, run(select(r.selection), r.input));
   }
}

TEST_CASE("ledger: each call replaces the ledger it is given", "[ledger]") {
   const Policy p = select("a");
   Ledger ledger;
   WipedBuffer out;
   const std::string first = R"({"a":[1,2,3],"b":1})";
   const std::string second = R"({"c":1})";
   auto call = [&](const std::string& input) {
      return filter(p, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), out,
                    &ledger);
   };
   REQUIRE(call(first).ok());
   CHECK(ledger.fields_kept == 3);
   CHECK(ledger.fields_dropped == 1);
   REQUIRE(call(second).ok());
   CHECK(ledger.bytes_in == second.size());
   CHECK(ledger.bytes_out == 2);
   CHECK(ledger.fields_kept == 0);
   CHECK(ledger.fields_dropped == 1);
   CHECK(ledger.kept_paths.empty());
}

TEST_CASE("ledger: asking for no ledger changes nothing in the output", "[ledger]") {
   const Policy p = select("a(b),c");
   const std::string input = R"({"a":{"b":1,"x":2},"c":[1,null,"s"]})";
   WipedBuffer out;
   REQUIRE(filter(p, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), out)
              .ok());
   CHECK(std::string(out.begin(), out.end()) == run(p, input).output);
}

TEST_CASE("ledger: to_json format", "[ledger]") {
   CHECK(Ledger{}.to_json() ==
         R"({"bytes_in":0,"bytes_out":0,"fields_kept":0,"fields_dropped":0,"kept_paths":{},"dropped_paths":{},"redacted":{},"unmatched":[]})");

   const Outcome o = run(select("a(b),c"), R"({"a":{"b":1,"x":2},"c":[1,null,"s"],"d":{"e":{"f":1}}})");
   REQUIRE(o.ok);
   CHECK(o.ledger.to_json() ==
         R"({"bytes_in":54,"bytes_out":30,"fields_kept":4,"fields_dropped":2,"kept_paths":{"a.b":1,"c[]":3},)"
         R"("dropped_paths":{"a.x":1,"d":1},"redacted":{},"unmatched":["d"]})");

   Ledger ledger;
   ledger.bytes_in = std::numeric_limits<std::uint64_t>::max();
   ledger.bytes_out = 1;
   ledger.fields_kept = 7;
   ledger.fields_dropped = 0;
   ledger.kept_paths = {{"z", 1}, {"a", 2}, {"q\"x\\y\n\x01", 3}, {"", 1}, {"\xC3\xA9\x7F/", 1}};
   // Quotes and backslashes are escaped, control characters written as \u00XX, UTF-8 as is.
   CHECK(ledger.to_json() ==
         R"({"bytes_in":18446744073709551615,"bytes_out":1,"fields_kept":7,"fields_dropped":0,)"
         R"("kept_paths":{"z":1,"a":2,"q\"x\\y\u000a\u0001":3,"":1,)" "\"\xC3\xA9\x7F/\":1},\"dropped_paths\":{},\"redacted\":{},\"unmatched\":[]}");
}

TEST_CASE("ledger: to_json writes lone surrogates back as escapes", "[ledger]") {
   // An escaped lone surrogate decodes to bytes that are not UTF-8; in the ledger it is
   // written back as the escape, so distinct names stay distinct paths and the JSON stays UTF-8.
   const std::string input = R"({"\ud800":1,"a\uDC00b":2,"c\ud83d\ude00":3})";
   const Outcome o = run(select("*"), input);
   REQUIRE(o.ok);
   CHECK(o.output == input);
   CHECK(o.ledger.fields_kept == 3);
   CHECK(o.ledger.to_json() == "{\"bytes_in\":" + std::to_string(input.size()) + ",\"bytes_out\":" +
                                  std::to_string(input.size()) +
                                  R"(,"fields_kept":3,"fields_dropped":0,"kept_paths":{"\ud800":1,"a\udc00b":1,)"
                                  "\"c\xF0\x9F\x98\x80\":1},\"dropped_paths\":{},\"redacted\":{},\"unmatched\":[]}");
}

}  // namespace leastdata::test

namespace leastdata::test {
namespace {

// The wasm module asks for the paths as JSON text (Ledger::paths_as_json), written straight
// from the path trie; the text must be the one the vectors give, escapes included.
TEST_CASE("ledger: paths written as JSON text are the vectors' text", "[ledger]") {
   struct Case {
         const char* selection;
         const char* input;
         bool ambiguous;  // then the vectors are filled, and the flag cleared
   };
   const Case cases[] = {
      {"tickets(id,custom_fields[id=1](value))",
       R"({"tickets":[{"id":1,"x":"a","custom_fields":[{"id":1,"value":2},{"id":3,"value":4}]},{"id":2,"y":[1]}],"users":[]})",
       false},
      {"*", R"({"q\"b":1,"back\\s":{"t\tab":2},"caf\u00e9":3,"\ud800":4,"\u001f":[5],"東京":{"😀":6}})", false},
      {"a", R"([{"a":1,"b":2},3,{"b":[4]}])", false},
      {"a", R"("text")", false},
      {"*", R"({"a.b":1,"a":{"b":2},"":{"c":3},"c":4})", true},
   };
   for(const Case& c : cases) {
      INFO("input: " << c.input);
      const Policy policy = select(c.selection);
      const Outcome vectors = run(policy, c.input);
      REQUIRE(vectors.ok);
      Ledger text;
      text.paths_as_json = true;
      WipedBuffer out;
      REQUIRE(filter(policy, {reinterpret_cast<const std::uint8_t*>(c.input), std::strlen(c.input)}, out, &text).ok());
      CHECK(text.paths_as_json == !c.ambiguous);
      CHECK(text.kept_paths.empty() == !c.ambiguous);
      CHECK(text.to_json() == vectors.ledger.to_json());
      CHECK(text.fields_kept == vectors.ledger.fields_kept);
      CHECK(text.fields_dropped == vectors.ledger.fields_dropped);
   }
}

}  // namespace
}  // namespace leastdata::test

namespace leastdata::test {
namespace {

// The path trie remembers, per step, the plan's answer for the plan node it last met
// (PathCounter::member_plan): elements that predicates send through different plan nodes
// alternate under one step, and each must get its own node's answer.
TEST_CASE("ledger: members under one path step, projected through alternating plan nodes", "[ledger]") {
   const Outcome o = run(select("r[t=x](a),r[t=y](b)"),
                         R"({"r":[{"t":"x","a":1,"b":2},{"t":"y","a":3,"b":4},{"t":"x","a":5,"b":6},{"t":"y","a":7,"b":8}]})");
   REQUIRE(o.ok);
   CHECK(o.output == R"({"r":[{"a":1},{"b":4},{"a":5},{"b":8}]})");
   CHECK(o.ledger.kept_paths == Paths{{"r[].a", 2}, {"r[].b", 2}});
   CHECK(o.ledger.dropped_paths == Paths{{"r[].t", 4}, {"r[].b", 2}, {"r[].a", 2}});
}

}  // namespace
}  // namespace leastdata::test
