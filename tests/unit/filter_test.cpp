// What the streaming filter keeps (DESIGN §2.1): deny by default, whole-keeping and
// sub-selections, arrays, predicates, unions, wildcards, escapes, byte-exact output, top-level
// arrays and scalars, one compiled policy applied many times. Realistic Zendesk payloads are in
// filter_zendesk_test.cpp, errors in filter_errors_test.cpp, ledgers in ledger_test.cpp.
#include "test_support.hpp"

#include <string>
#include <vector>

namespace leastdata::test {
namespace {

struct Case {
      const char* selection;
      const char* input;
      const char* expected;
};

template <std::size_t N>
void check_cases(const Case (&cases)[N]) {
   for(const Case& c : cases) {
      INFO("selection: " << c.selection);
      INFO("input:     " << c.input);
      CHECK(filtered(c.selection, c.input) == c.expected);
   }
}

}  // namespace

TEST_CASE("filter: deny by default, members in input order", "[filter]") {
   const Case cases[] = {
      {"a", R"({"a":1,"b":2})", R"({"a":1})"},
      {"a", R"({"b":2})", R"({})"},
      {"a", R"({})", R"({})"},
      {"a", R"({"A":1,"a ":2," a":3,"aa":4})", R"({})"},
      // A name selects a member at its own level only.
      {"x", R"({"a":{"x":1},"b":[{"x":2}]})", R"({})"},
      // Output keeps the input's member order, not the selection's.
      {"b,a", R"({"a":1,"b":2,"c":3})", R"({"a":1,"b":2})"},
      {"c,a", R"({"c":1,"b":2,"a":3})", R"({"c":1,"a":3})"},
      {"z,y,x", R"({"x":1,"q":0,"y":2,"r":0,"z":3})", R"({"x":1,"y":2,"z":3})"},
      // Dropped members in between never leave stray commas.
      {"b", R"({"a":1,"b":2,"c":3})", R"({"b":2})"},
      {"c", R"({"a":1,"b":2,"c":3})", R"({"c":3})"},
      {"a,c", R"({"a":1,"b":2,"c":3})", R"({"a":1,"c":3})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: a rule without sub-selection keeps the value whole", "[filter]") {
   const Case cases[] = {
      {"a", R"({"a":{"x":1,"y":[1,{"z":null}]},"b":0})", R"({"a":{"x":1,"y":[1,{"z":null}]}})"},
      {"a", R"({"a":[1,"s",null,true,false,{"b":[]},[[]]]})", R"({"a":[1,"s",null,true,false,{"b":[]},[[]]]})"},
      {"a", R"({"a":"s"})", R"({"a":"s"})"},
      {"a", R"({"a":-1.5e-3})", R"({"a":-1.5e-3})"},
      {"a", R"({"a":true})", R"({"a":true})"},
      {"a", R"({"a":false})", R"({"a":false})"},
      {"a", R"({"a":null})", R"({"a":null})"},
      {"a", R"({"a":[]})", R"({"a":[]})"},
      {"a", R"({"a":{}})", R"({"a":{}})"},
      {"a", R"({"a":""})", R"({"a":""})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: a sub-selection recurses into objects, keeps null, drops other scalars", "[filter]") {
   const Case cases[] = {
      {"a(x)", R"({"a":{"x":1,"y":2}})", R"({"a":{"x":1}})"},
      {"a(x)", R"({"a":{"y":2}})", R"({"a":{}})"},
      {"a(x)", R"({"a":{}})", R"({"a":{}})"},
      {"a(x)", R"({"a":null})", R"({"a":null})"},
      {"a(x)", R"({"a":1})", R"({})"},
      {"a(x)", R"({"a":"x"})", R"({})"},
      {"a(x)", R"({"a":true})", R"({})"},
      {"a(x)", R"({"a":false})", R"({})"},
      {"a(x)", R"({"a":-0.5})", R"({})"},
      {"a(x),b", R"({"a":"s","b":1})", R"({"b":1})"},
      {"a,b(x)", R"({"a":1,"b":2})", R"({"a":1})"},
      {"a(x(y))", R"({"a":{"x":{"y":1,"z":2},"w":3}})", R"({"a":{"x":{"y":1}}})"},
      {"a(x(y))", R"({"a":{"x":5}})", R"({"a":{}})"},
      {"a(x(y))", R"({"a":{"x":null}})", R"({"a":{"x":null}})"},
      {"a/x/y", R"({"a":{"x":{"y":[1,2],"z":2}}})", R"({"a":{"x":{"y":[1,2]}}})"},
      {"a(x,y)", R"({"a":{"y":{"deep":[1]},"x":"s","z":0}})", R"({"a":{"y":{"deep":[1]},"x":"s"}})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: rules act on each array element", "[filter]") {
   const Case cases[] = {
      // Objects are projected, one by one.
      {"a(x)", R"({"a":[{"x":1,"y":2},{"y":3},{"x":4}]})", R"({"a":[{"x":1},{},{"x":4}]})"},
      // Scalars are dropped under a sub-selection, null is kept (processed as a value).
      {"a(x)", R"({"a":[1,"s",true,false,null,{"x":1}]})", R"({"a":[null,{"x":1}]})"},
      {"a(x)", R"({"a":[null]})", R"({"a":[null]})"},
      // A whole-keeping rule keeps every element.
      {"a", R"({"a":[1,"s",true,false,null,{"x":1}]})", R"({"a":[1,"s",true,false,null,{"x":1}]})"},
      // The array itself is kept, possibly empty.
      {"a(x)", R"({"a":[]})", R"({"a":[]})"},
      {"a(x)", R"({"a":[1,2,"three"]})", R"({"a":[]})"},
      // Nested arrays are processed element by element, and kept.
      {"a(x)", R"({"a":[[{"x":1,"y":2},3],[],[[{"x":5}]]]})", R"({"a":[[{"x":1}],[],[[{"x":5}]]]})"},
      {"a(x)", R"({"a":[[1,2]]})", R"({"a":[[]]})"},
      {"a(x)", R"({"a":[[null,1]]})", R"({"a":[[null]]})"},
      {"a(x(y))", R"({"a":[{"x":[{"y":1,"z":2},7,null,[{"y":3}]]}]})", R"({"a":[{"x":[{"y":1},null,[{"y":3}]]}]})"},
      {"a/x", R"({"a":[{"x":1,"y":2},[{"x":3,"z":4}]]})", R"({"a":[{"x":1},[{"x":3}]]})"},
      // Comma placement when leading elements are dropped.
      {"a(x)", R"({"a":[1,{"x":1},2,{"x":2},3]})", R"({"a":[{"x":1},{"x":2}]})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: predicates select array elements", "[filter]") {
   const Case cases[] = {
      {"r[t=x]", R"({"r":[{"t":"x","a":1},{"t":"y","a":2},{"a":3},{"t":"x"}]})", R"({"r":[{"t":"x","a":1},{"t":"x"}]})"},
      {"r[t=x](a)", R"({"r":[{"t":"x","a":1},{"t":"y","a":2},{"a":3},{"t":"x"}]})", R"({"r":[{"a":1},{}]})"},
      {"r[t=x|y](a)", R"({"r":[{"t":"x","a":1},{"t":"y","a":2},{"a":3},{"t":"x"}]})", R"({"r":[{"a":1},{"a":2},{}]})"},
      // The key may come after other members, containers and tricky strings.
      {"r[t=x](a)", R"({"r":[{"a":{"t":"y","n":[1,{"t":"q"}]},"s":"}\",]","t":"x"}]})",
       R"({"r":[{"a":{"t":"y","n":[1,{"t":"q"}]}}]})"},
      {"r[t=x](a)", R"({"r":[ { "a" : 1 , "t" : "x" } ]})", R"({"r":[{"a":1}]})"},
      // Only the element's own members count, not nested ones.
      {"r[t=x]", R"({"r":[{"o":{"t":"x"}},{"o":[{"t":"x"}]}]})", R"({"r":[]})"},
      // Elements that are not objects never match a predicate, null included; a nested
      // array is processed element by element (and kept, here empty).
      {"r[t=x]", R"({"r":[null,"x",1,true,["x"],{"t":"x"}]})", R"({"r":[[],{"t":"x"}]})"},
      {"r[t=x](a)", R"({"r":[null,{"t":"x","a":null}]})", R"({"r":[{"a":null}]})"},
      // A key whose value is a container matches nothing.
      {"r[t=x]", R"({"r":[{"t":{"x":1}},{"t":["x"]},{"t":{}},{"t":[]}]})", R"({"r":[]})"},
      // Missing key.
      {"r[t=]", R"({"r":[{},{"t":""},{"t":null}]})", R"({"r":[{"t":""}]})"},
      // Nested arrays: the predicate applies to each element at any depth.
      {"r[t=x](a)", R"({"r":[[{"t":"x","a":1}],[{"t":"y","a":2}]]})", R"({"r":[[{"a":1}],[]]})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: predicates apply to the value itself when it is not an array", "[filter]") {
   const Case cases[] = {
      {"r[t=x](a)", R"({"r":{"t":"x","a":1,"b":2}})", R"({"r":{"a":1}})"},
      {"r[t=x](a)", R"({"r":{"t":"y","a":1}})", R"({})"},
      {"r[t=x](a)", R"({"r":{"a":1}})", R"({})"},
      {"r[t=x]", R"({"r":{"t":"x","a":1}})", R"({"r":{"t":"x","a":1}})"},
      {"r[t=x]", R"({"r":"x"})", R"({})"},
      {"r[t=x]", R"({"r":null})", R"({})"},
      {"r[t=x](a)", R"({"r":null})", R"({})"},
      {"r[t=x]", R"({"r":[]})", R"({"r":[]})"},
      {"r[t=x](p[k=1](q))", R"({"r":{"t":"x","p":[{"k":1,"q":1,"z":0},{"k":2,"q":2}]}})", R"({"r":{"p":[{"q":1}]}})"},
      {"r[t=x](p[k=1](q))", R"({"r":{"t":"x","p":{"k":1,"q":1,"z":0}}})", R"({"r":{"p":{"q":1}}})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: predicate values compare by JSON text, strings decoded", "[filter]") {
   const Case cases[] = {
      // A number matches its exact text; a string matches its decoded contents.
      {"r[id=1]", R"({"r":[{"id":1},{"id":1.0},{"id":"1"},{"id":"1.0"},{"id":10},{"id":-1},{"id":1e0},{"id":true},{"id":" 1"}]})",
       R"({"r":[{"id":1},{"id":"1"}]})"},
      {"r[id=1.0]", R"({"r":[{"id":1},{"id":1.0},{"id":"1"},{"id":"1.0"}]})", R"({"r":[{"id":1.0},{"id":"1.0"}]})"},
      {"r[id=-1]", R"({"r":[{"id":1},{"id":-1}]})", R"({"r":[{"id":-1}]})"},
      {"r[id=1e2]", R"({"r":[{"id":100},{"id":1e2},{"id":1E2}]})", R"({"r":[{"id":1e2}]})"},
      {"r[id=12345678901234567890]", R"({"r":[{"id":12345678901234567890},{"id":12345678901234567891},{"id":12345678901234567890.0}]})",
       R"({"r":[{"id":12345678901234567890}]})"},
      {"r[id=1]", R"({"r":[{"id" : 1 ,"x":2},{"id":1}]})", R"({"r":[{"id":1,"x":2},{"id":1}]})"},
      {"r[f=true]", R"({"r":[{"f":true},{"f":"true"},{"f":false},{"f":1},{"f":"True"}]})", R"({"r":[{"f":true},{"f":"true"}]})"},
      {"r[f=false]", R"({"r":[{"f":true},{"f":false},{"f":0},{"f":null}]})", R"({"r":[{"f":false}]})"},
      {"r[f=null]", R"({"r":[{"f":null},{"f":"null"},{"f":false},{}]})", R"({"r":[{"f":null},{"f":"null"}]})"},
      {"r[f=]", R"({"r":[{"f":""},{"f":null},{"f":" "},{}]})", R"({"r":[{"f":""}]})"},
      // String contents are decoded before comparing; the output keeps the input text.
      {"r[t=ticket]", R"({"r":[{"t":"tick\u0065t"},{"t":"ticke"},{"t":"ticket "}]})", R"({"r":[{"t":"tick\u0065t"}]})"},
      {"r[t=a\"b]", R"({"r":[{"t":"a\"b"},{"t":"a\\\"b"}]})", R"({"r":[{"t":"a\"b"}]})"},
      {"r[t=a\\/b]", R"({"r":[{"t":"a\/b"},{"t":"a/b"}]})", R"({"r":[{"t":"a\/b"},{"t":"a/b"}]})"},
      {"r[t=\xC3\xA9t\xC3\xA9]", R"({"r":[{"t":"\u00e9t\u00E9"},{"t":"\u00c9t\u00e9"}]})", R"({"r":[{"t":"\u00e9t\u00E9"}]})"},
      {"r[t=\xF0\x9F\x98\x80]", R"({"r":[{"t":"\ud83d\ude00"},{"t":"\ud83d"}]})", R"({"r":[{"t":"\ud83d\ude00"}]})"},
      // The predicate key is decoded too.
      {"r[t=x]", R"({"r":[{"\u0074":"x"},{"\u0074\u0074":"x"}]})", R"({"r":[{"\u0074":"x"}]})"},
      // Escaped specials in the selection's key and values.
      {"r[k\\,1=a\\|b|c\\]]", R"({"r":[{"k,1":"a|b"},{"k,1":"a"},{"k,1":"c]"},{"k":"a|b"}]})", R"({"r":[{"k,1":"a|b"},{"k,1":"c]"}]})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: several rules for one member are a union", "[filter]") {
   const Case cases[] = {
      {"a(b),a(c)", R"({"a":{"b":1,"c":2,"d":3}})", R"({"a":{"b":1,"c":2}})"},
      {"a,a(b)", R"({"a":{"b":1,"c":2}})", R"({"a":{"b":1,"c":2}})"},
      {"a(b),a", R"({"a":{"b":1,"c":2}})", R"({"a":{"b":1,"c":2}})"},
      {"a(b),a(c)", R"({"a":[{"b":1,"c":2,"d":3},5,null]})", R"({"a":[{"b":1,"c":2},null]})"},
      {"a,a(b)", R"({"a":[{"b":1,"c":2},5]})", R"({"a":[{"b":1,"c":2},5]})"},
      {"a(b),a(c)", R"({"a":7})", R"({})"},
      {"a(b(x)),a(b(y))", R"({"a":{"b":{"x":1,"y":2,"z":3}}})", R"({"a":{"b":{"x":1,"y":2}}})"},
      // Under predicates each element gets the union of the rules whose predicates it matches.
      {"r[t=x](a),r(b)", R"({"r":[{"t":"x","a":1,"b":2,"c":3},{"t":"y","a":1,"b":2}]})", R"({"r":[{"a":1,"b":2},{"b":2}]})"},
      {"r[t=x],r(b)", R"({"r":[{"t":"x","a":1,"b":2,"c":3},{"t":"y","a":1,"b":2},5,null]})",
       R"({"r":[{"t":"x","a":1,"b":2,"c":3},{"b":2},null]})"},
      {"r[t=x](a),r",
       R"({"r":[{"t":"x","a":1,"b":2},{"t":"y","b":2},5]})", R"({"r":[{"t":"x","a":1,"b":2},{"t":"y","b":2},5]})"},
      {"r[t=x](a),r[u=y](b)",
       R"({"r":[{"t":"x","u":"y","a":1,"b":2,"c":3},{"t":"x","a":1,"b":2},{"u":"y","a":1,"b":2},{"a":1,"b":2}]})",
       R"({"r":[{"a":1,"b":2},{"a":1},{"b":2}]})"},
      {"r[t=x](a),r[t=x|y](b)", R"({"r":[{"t":"x","a":1,"b":2},{"t":"y","a":1,"b":2},{"t":"z","a":1,"b":2}]})",
       R"({"r":[{"a":1,"b":2},{"b":2}]})"},
      {"r[t=x](a(p)),r[u=y](a(q))", R"({"r":[{"t":"x","u":"y","a":{"p":1,"q":2,"z":3}},{"t":"x","a":{"p":1,"q":2}}]})",
       R"({"r":[{"a":{"p":1,"q":2}},{"a":{"p":1}}]})"},
      {"r[t=x](a(p)),r[u=y](a)", R"({"r":[{"t":"x","u":"y","a":{"p":1,"q":2}},{"t":"x","a":{"p":1,"q":2}}]})",
       R"({"r":[{"a":{"p":1,"q":2}},{"a":{"p":1}}]})"},
      // The same predicate union applied to the value itself.
      {"r[t=x](a),r[u=y](b)", R"({"r":{"t":"x","u":"y","a":1,"b":2,"c":3}})", R"({"r":{"a":1,"b":2}})"},
      {"r[t=x](a),r(b)", R"({"r":{"t":"y","a":1,"b":2}})", R"({"r":{"b":2}})"},
      {"r[t=x](a),r(b)", R"({"r":"s"})", R"({})"},
      {"r[t=x](a),r", R"({"r":"s"})", R"({"r":"s"})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: `*` names every member", "[filter]") {
   const Case cases[] = {
      {"*", R"({"a":1,"b":{"c":2},"d":[3]})", R"({"a":1,"b":{"c":2},"d":[3]})"},
      {"*", R"({})", R"({})"},
      {"*(x)", R"({"a":{"x":1,"y":2},"b":3,"c":null,"d":[{"x":1},2]})", R"({"a":{"x":1},"c":null,"d":[{"x":1}]})"},
      // A named rule and the wildcard are a union for the named member.
      {"a,*(x)", R"({"a":{"x":1,"y":2},"b":{"x":3,"z":4}})", R"({"a":{"x":1,"y":2},"b":{"x":3}})"},
      {"a(y),*(x)", R"({"a":{"x":1,"y":2,"z":0},"b":{"x":3,"y":4}})", R"({"a":{"x":1,"y":2},"b":{"x":3}})"},
      {"*(x),a", R"({"b":{"x":3,"z":4},"a":7})", R"({"b":{"x":3},"a":7})"},
      {"a/*/b", R"({"a":{"p":{"b":1,"c":2},"q":{"c":3},"r":4,"s":null}})", R"({"a":{"p":{"b":1},"q":{},"s":null}})"},
      {"*(*(x))", R"({"a":{"b":{"x":1,"y":2},"c":5},"d":6})", R"({"a":{"b":{"x":1}}})"},
      {"*[t=x](a)", R"({"p":{"t":"x","a":1},"q":{"t":"y","a":2},"s":[{"t":"x","a":3},{"a":4}]})", R"({"p":{"a":1},"s":[{"a":3}]})"},
      // `\*` is a member named "*".
      {"\\*", R"({"*":1,"a":2})", R"({"*":1})"},
      {"\\*(x)", R"({"*":{"x":1,"y":2},"a":{"x":3}})", R"({"*":{"x":1}})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: many named rules (binary search of member plans)", "[filter]") {
   const char* selection = "m01,m02,m03,m04,m05,m06,m07,m08,m09,m10,m11,m12(x)";
   const char* input =
      R"({"m12":{"x":1,"y":2},"zz":0,"m03":3,"m00":0,"m10":10,"m01":1,"m13":13,"m09":9,"a":0,"m05":[5],"m1":1,"m011":1})";
   CHECK(filtered(selection, input) == R"({"m12":{"x":1},"m03":3,"m10":10,"m01":1,"m09":9,"m05":[5]})");
   // The same with a wildcard catching every other name.
   CHECK(filtered(std::string(selection) + ",*(q)", input) ==
         R"({"m12":{"x":1},"m03":3,"m10":10,"m01":1,"m09":9,"m05":[5]})");
   CHECK(filtered(std::string(selection) + ",*", input) == input);
}

TEST_CASE("filter: objects with many kept members", "[filter]") {
   std::string input = "{";
   std::string expected = "{";
   for(int i = 0; i != 40; ++i) {
      const std::string member = "\"k" + std::to_string(i) + "\":" + std::to_string(i);
      input += (i == 0 ? "" : ",") + member;
      expected += (i == 0 ? "" : ",") + member;
   }
   input += "}";
   expected += "}";
   CHECK(filtered("*", input) == expected);
}

TEST_CASE("filter: escaped names in the selection match decoded member names", "[filter]") {
   const char specials[] = {',', '/', '(', ')', '*', '[', ']', '=', '|', '\\'};
   for(char special : specials) {
      const std::string selection = std::string("x\\") + special + "y";
      const std::string json_name = special == '\\' ? std::string("x\\\\y") : std::string("x") + special + "y";
      const std::string input = "{\"x\":0,\"" + json_name + "\":1,\"y\":2}";
      INFO(selection);
      CHECK(filtered(selection, input) == "{\"" + json_name + "\":1}");
   }
   CHECK(filtered("first name", R"({"first name":"A","firstname":"B"})") == R"({"first name":"A"})");
}

TEST_CASE("filter: escaped member names in the input are decoded before matching", "[filter]") {
   const Case cases[] = {
      {"a", R"({"\u0061":1,"b":2})", R"({"\u0061":1})"},
      {"ab", R"({"\u0061b":1,"a\u0062":2})", "ERROR duplicate_key@13"},
      {"a/b", R"({"a\/b":1})", R"({})"},
      {"a\\/b", R"({"a\/b":1,"a/b":2,"a":3})", "ERROR duplicate_key@10"},
      {"a\\/b", R"({"a\/b":1,"a":3})", R"({"a\/b":1})"},
      {"\xC3\xA9", R"({"\u00e9":1,"\u00c9":2})", R"({"\u00e9":1})"},
      {"\xC3\xA9", "{\"\xC3\xA9\":1}", "{\"\xC3\xA9\":1}"},
      {"\xF0\x9F\x98\x80", R"({"\ud83d\ude00":1,"\ud83d":2})", R"({"\ud83d\ude00":1})"},
      {"q\"", R"({"q\"":1,"q":2})", R"({"q\"":1})"},
      {"t\tb", R"({"t\tb":1,"tb":2})", R"({"t\tb":1})"},
      // Escaped names inside sub-selections and whole-kept values.
      {"a(b)", R"({"\u0061":{"\u0062":1,"c":2}})", R"({"\u0061":{"\u0062":1}})"},
      {"*(b)", R"({"x":{"\u0062":1,"c":2}})", R"({"x":{"\u0062":1}})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: output is compact; strings and numbers keep their exact bytes", "[filter]") {
   const Case cases[] = {
      {"a,b", " \n\t{ \"a\" : [ 1 , 2 ] ,\r\n \"b\" : { \"c\" : \"d e\" , \"f\" : [ ] , \"g\" : { } } } \n",
       R"({"a":[1,2],"b":{"c":"d e","f":[],"g":{}}})"},
      {"a", R"({"a":"\u00e9\n\"\\\/\b\f\r\t\u0000"})", R"({"a":"\u00e9\n\"\\\/\b\f\r\t\u0000"})"},
      {"a", "{\"a\":\"\xC3\xA9\xE6\xBC\xA2\xF0\x9F\x98\x80\x7F\"}", "{\"a\":\"\xC3\xA9\xE6\xBC\xA2\xF0\x9F\x98\x80\x7F\"}"},
      {"a", R"({"a":"\ud83d\ude00"})", R"({"a":"\ud83d\ude00"})"},
      {"a", R"({"a":1.0E+2})", R"({"a":1.0E+2})"},
      {"a", R"({"a":[-0,0.000,1e-7,-1.5E-300,100000000000000000000000000000e999]})",
       R"({"a":[-0,0.000,1e-7,-1.5E-300,100000000000000000000000000000e999]})"},
      {"id", R"({"id":12345678901234567890})", R"({"id":12345678901234567890})"},
      {"id", R"({"id":360001234567890123456})", R"({"id":360001234567890123456})"},
      {"a", "{\"a\":\"tab\\there\",\"b\":\"x\"}", "{\"a\":\"tab\\there\"}"},
      // Member names are copied as written, escapes included.
      {"a b", R"({ "a b" : 1 })", R"({"a b":1})"},
   };
   check_cases(cases);
}

TEST_CASE("filter: a 10,000-digit number is copied exactly", "[filter]") {
   std::string digits = "1";
   for(int i = 1; i != 10000; ++i) {
      digits.push_back(static_cast<char>('0' + (i * 7) % 10));
   }
   const std::string number = "-" + digits + "." + digits + "e-" + digits;
   CHECK(filtered("a", "{\"b\":" + number + ",\"a\":" + number + "}") == "{\"a\":" + number + "}");
   CHECK(filtered("r[n=" + digits + "](a)", "{\"r\":[{\"n\":" + digits + ",\"a\":1},{\"n\":" + digits + "0,\"a\":2}]}") ==
         R"({"r":[{"a":1}]})");
}

TEST_CASE("filter: long strings are copied exactly", "[filter]") {
   std::string text;
   for(int i = 0; i != 5000; ++i) {
      text += "abc\\u00e9\xC3\xA9 \\\"x\\\\";
   }
   CHECK(filtered("a", "{\"b\":\"" + text + "\",\"a\":\"" + text + "\"}") == "{\"a\":\"" + text + "\"}");
}

TEST_CASE("filter: a top-level array applies the whole selection to each element", "[filter]") {
   const Case cases[] = {
      {"a", R"([{"a":1,"b":2},{"b":3},1,"s",null,true,[{"a":4,"c":5}],[]])", R"([{"a":1},{},null,[{"a":4}],[]])"},
      {"a", R"([])", R"([])"},
      {"a", R"( [ ] )", R"([])"},
      {"*", R"([1,2,"x",false])", R"([])"},
      {"*", R"([{"x":1},[{"y":2}]])", R"([{"x":1},[{"y":2}]])"},
      {"r[t=x](a)", R"([{"r":[{"t":"x","a":1,"b":2},{"t":"y","a":2}]},{"r":{"t":"x","a":3}}])", R"([{"r":[{"a":1}]},{"r":{"a":3}}])"},
      {"a,b(c)", R"([{"b":{"c":1,"d":2},"a":[1]},{"b":5}])", R"([{"b":{"c":1},"a":[1]},{}])"},
      {"a", R"([[[]],[[{"a":1}]]])", R"([[[]],[[{"a":1}]]])"},
   };
   check_cases(cases);
}

TEST_CASE("filter: a top-level scalar that is not kept becomes null", "[filter]") {
   const Case cases[] = {
      {"a", "1", "null"},          {"a", "\"s\"", "null"}, {"a", "true", "null"},
      {"a", "false", "null"},      {"a", " 7 ", "null"},   {"*", "\"s\"", "null"},
      {"a", "12345678901234567890", "null"},
      // null itself is kept as null.
      {"a", "null", "null"},       {"a", " null\n", "null"},
      {"a", "{}", "{}"},
   };
   check_cases(cases);
}

TEST_CASE("filter: compile once, apply many times", "[filter]") {
   const Policy policy = select("r[t=x](a),r[u=y](b),r[t=x|z](c),r(d),s[k=1]");
   struct Run {
         const char* input;
         const char* expected;
   };
   const Run runs[] = {
      {R"({"r":[{"t":"x","a":1,"b":2,"c":3,"d":4}]})", R"({"r":[{"a":1,"c":3,"d":4}]})"},
      {R"({"r":[{"u":"y","a":1,"b":2,"c":3,"d":4}]})", R"({"r":[{"b":2,"d":4}]})"},
      {R"({"r":[{"t":"z","a":1,"b":2,"c":3,"d":4}]})", R"({"r":[{"c":3,"d":4}]})"},
      {R"({"r":[{"t":"x","u":"y","a":1,"b":2,"c":3,"d":4}]})", R"({"r":[{"a":1,"b":2,"c":3,"d":4}]})"},
      {R"({"r":[{"t":"q","a":1,"b":2,"c":3,"d":4}]})", R"({"r":[{"d":4}]})"},
      {R"({"r":{"t":"z","u":"y","a":1,"b":2,"c":3,"d":4}})", R"({"r":{"b":2,"c":3,"d":4}})"},
      {R"({"s":[{"k":1,"v":1},{"k":2}],"r":[]})", R"({"s":[{"k":1,"v":1}],"r":[]})"},
      {R"({"r":[1,null]})", R"({"r":[null]})"},
      {R"([{"r":{"t":"x","a":1}},{"r":{"u":"y","b":1}}])", R"([{"r":{"a":1}},{"r":{"b":1}}])"},
   };
   // The same compiled policy, in varying orders, gives the same answers every time
   // (plans for predicate combinations are built lazily on first use and then reused).
   for(int round = 0; round != 3; ++round) {
      for(std::size_t i = 0; i != std::size(runs); ++i) {
         const Run& r = runs[round == 1 ? std::size(runs) - 1 - i : i];
         INFO("round " << round << ": " << r.input);
         CHECK(filtered(policy, r.input) == r.expected);
      }
   }
   // An error in between does not disturb later calls.
   CHECK(filtered(policy, R"({"r":[{"t":"x","a":1,"a":2}]})") == "ERROR duplicate_key@21");
   CHECK(filtered(policy, runs[0].input) == runs[0].expected);
}

TEST_CASE("filter: compile once, apply many: thousands of predicate combinations", "[filter]") {
   // Each combination of matching predicates gets its own lazily built plan, within the
   // plan's bound (max_plan_nodes). What a combination keeps must not depend on how many
   // others the policy has seen: a call either gives the exact output or, once the bound
   // is reached, fails with invalid_policy. It never keeps less than it should.
   const std::string keys = "bcdefghijklmn";  // 13 predicate keys: 8191 non-empty combinations
   const std::string chain = "a(a(a(a(a(a(a(a(a(a(x))))))))))";
   std::string selection;
   for(char key : keys) {
      if(!selection.empty()) {
         selection += ',';
      }
      selection += std::string("r[") + key + "=1](" + chain + ")";
   }
   const Policy policy = select(selection);

   std::string value = R"({"x":1,"y":2})";
   std::string projected = R"({"x":1})";
   for(int level = 0; level != 9; ++level) {
      value = R"({"a":)" + value + R"(,"z":0})";
      projected = R"({"a":)" + projected + "}";
   }
   const std::uint32_t combinations = (1U << keys.size()) - 1;
   std::size_t wrong = 0;
   std::size_t exact = 0;
   std::size_t refused = 0;
   for(std::uint32_t first = 1; first <= combinations; first += 1024) {
      std::string input = R"({"r":[)";
      std::string expected = R"({"r":[)";
      for(std::uint32_t mask = first; mask < first + 1024 && mask <= combinations; ++mask) {
         if(mask != first) {
            input += ',';
            expected += ',';
         }
         input += '{';
         for(std::size_t k = 0; k != keys.size(); ++k) {
            if((mask >> k) & 1U) {
               input += std::string("\"") + keys[k] + "\":1,";
            }
         }
         input += "\"a\":" + value + "}";
         expected += "{\"a\":" + projected + "}";
      }
      input += "]}";
      expected += "]}";
      const std::string output = filtered(policy, input);
      if(output == expected) {
         ++exact;
      } else if(output.rfind("ERROR invalid_policy@", 0) == 0) {
         ++refused;
      } else {
         ++wrong;
         if(wrong == 1) {
            std::size_t empty = 0;
            for(std::size_t at = output.find("{}"); at != std::string::npos; at = output.find("{}", at + 2)) {
               ++empty;
            }
            FAIL_CHECK("combinations from " << first << ": " << empty << " elements came out as {}");
         }
      }
   }
   CHECK(wrong == 0);
   CHECK(exact >= 1);    // the first thousand combinations fit
   CHECK(refused >= 1);  // 8191 combinations of a 10-level chain do not
   // The policy still serves the combinations it has compiled.
   CHECK(filtered(policy, R"({"r":[{"b":1,"a":{"a":{"x":1,"y":2}}}]})") == R"({"r":[{"a":{"a":{}}}]})");
}

TEST_CASE("filter: a union of predicate rules with many rules for one member", "[filter]") {
   // r[k=1] and r[j=1] each bring 40 predicate rules for `a`; an element matching both
   // gets the union of all 80.
   std::string selection = "r[k=1](";
   for(int t = 0; t != 80; ++t) {
      if(t == 40) {
         selection += "),r[j=1](";
      } else if(t != 0) {
         selection += ',';
      }
      selection += "a[t=" + std::to_string(t) + "]";
   }
   selection += ")";
   const Policy policy = select(selection);
   CHECK(filtered(policy, R"({"r":{"k":1,"a":{"t":1,"u":2}}})") == R"({"r":{"a":{"t":1,"u":2}}})");
   CHECK(filtered(policy, R"({"r":{"j":1,"a":{"t":50}}})") == R"({"r":{"a":{"t":50}}})");
   CHECK(filtered(policy, R"({"r":{"k":1,"a":{"t":50}}})") == R"({"r":{}})");
   // An element matching both brings 80 rules for `a`, past max_rules_per_member(): the
   // call fails with invalid_policy at that element (never a silently smaller result),
   // whether `a` is an object or an array, and the policy keeps working.
   CHECK(filtered(policy, R"({"r":{"k":1,"j":1,"a":{"t":1}}})") == "ERROR invalid_policy@5");
   CHECK(filtered(policy, R"({"r":{"k":1,"j":1,"a":[{"t":1}]}})") == "ERROR invalid_policy@5");
   CHECK(filtered(policy, R"({"r":{"j":1,"a":{"t":50}}})") == R"({"r":{"a":{"t":50}}})");
}

TEST_CASE("filter: the output buffer is replaced, not appended to", "[filter]") {
   const Policy policy = select("a");
   WipedBuffer out(100, 'x');
   const std::string input = R"({"a":1,"b":2})";
   const Status status =
      filter(policy, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()), out);
   REQUIRE(status.ok());
   CHECK(std::string(out.begin(), out.end()) == R"({"a":1})");
}

TEST_CASE("filter: lone surrogate escapes are accepted and passed through unchanged", "[filter]") {
   const Case cases[] = {
      {"a", R"({"a":"\ud800"})", R"({"a":"\ud800"})"},
      {"a", R"({"a":"\udc00x\uDBFF"})", R"({"a":"\udc00x\uDBFF"})"},
      {"a", R"({"a":"\ude00\ud83d"})", R"({"a":"\ude00\ud83d"})"},
      {"*", R"({"\ud800":1})", R"({"\ud800":1})"},
      // A lone surrogate name never equals a valid name.
      {"a", R"({"\ud800":1,"a":2})", R"({"a":2})"},
      {"r[t=x]", R"({"r":[{"t":"\ud800"},{"t":"x"}]})", R"({"r":[{"t":"x"}]})"},
   };
   check_cases(cases);
}

}  // namespace leastdata::test
