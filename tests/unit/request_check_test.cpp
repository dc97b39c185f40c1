// Minimal access in the other direction (DESIGN §2.5): request entries, exact matching of
// hostile URLs, the patterns recorded for refusals, and request bodies checked against
// the policy's `write` selection without ever being trimmed.
#include "test_support.hpp"

#include <leastdata/request_check.hpp>
#include <leastdata/request_rules.hpp>

#include <string>
#include <vector>

namespace leastdata::test {
namespace {

RequestRules rules_of(std::initializer_list<std::string_view> entries) {
   RequestRules rules;
   for(std::string_view entry : entries) {
      Status status = rules.add(entry);
      if(!status) {
         FAIL("entry refused: " << entry << ": " << status.error().message());
      }
   }
   return rules;
}

struct EntryRejection {
      std::string entry;
      std::size_t offset;
      std::string message_part;
};

Status check(const Policy& policy, std::string_view method, std::string_view url) {
   return check_request(policy, method, url);
}

Status check(const Policy& policy, std::string_view method, std::string_view url, std::string_view body) {
   return check_request(policy, method, url,
                        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
}

const char* const sidebar_policy = R"~({
  "version": 1,
  "resources": { "ticket": "id,subject" },
  "requests": [
    "GET /api/v2/tickets/{id}.json",
    "GET /api/v2/search/export.json?query&filter[type]&page[size]&page[after]",
    "PUT /api/v2/tickets/{id}/comments/{id}/redact.json",
    "PUT /api/v2/tickets/{id}.json",
    "GET /api/v2/users/*/identities.json",
    "POST https://hooks.example.com/v1/notify"
  ],
  "write": { "resources": { "ticket": "status,custom_fields[id=360001234](id,value)" }, "select": "text" }
})~";

}  // namespace

// ---- entries ----------------------------------------------------------------------------

TEST_CASE("requests: well-formed entries are accepted and kept as given", "[requests]") {
   const RequestRules rules = rules_of({"GET /api/v2/tickets.json", "HEAD /a", "DELETE /api/v2/tickets/{id}/tags.json",
                                        "PATCH /a/{id}-{id}/b", "GET /x?a&page[size]", "POST https://h.example:8443/p"});
   CHECK(rules.entries().size() == 6);
   CHECK(rules.entries()[0] == "GET /api/v2/tickets.json");
   CHECK_FALSE(rules.empty());
   CHECK(RequestRules().empty());
}

TEST_CASE("requests: malformed entries are invalid_policy at the offending byte", "[requests]") {
   const EntryRejection cases[] = {
      {"/api/v2/tickets.json", 0, "expected METHOD PATH"},
      {"get /api/v2/tickets.json", 0, "method must be one of"},
      {"FETCH /a", 0, "method must be one of"},
      {"GET api/v2", 4, "must start with /"},
      {"GET http://h.example/a", 4, "must start with /"},
      {"GET https://H.example/a", 4, "absolute URL"},
      {"GET https:///a", 4, "absolute URL"},
      {"GET https://h.example", 4, "absolute URL"},
      {"GET https://h.example:/a", 4, "absolute URL"},
      {"GET https://h.example:80a/a", 4, "absolute URL"},
      {"GET https://h.example:123456/a", 4, "absolute URL"},
      {"GET /a//b", 7, "empty, . and .. segments"},
      {"GET /a/../b", 7, "empty, . and .. segments"},
      {"GET /a/./b", 7, "empty, . and .. segments"},
      {"GET /a/", 7, "empty, . and .. segments"},
      {"GET /a%2Fb", 6, "no escapes"},
      {"GET /a b", 6, "no escapes"},
      {"GET /caf\xC3\xA9", 8, "no escapes"},
      {"GET /a?", 7, "listed by name only"},
      {"GET /a?x=1", 7, "listed by name only"},
      {"GET /a?x&&y", 9, "listed by name only"},
      {"GET /a?x&x", 9, "listed twice"},
   };
   for(const EntryRejection& c : cases) {
      INFO(c.entry);
      RequestRules rules;
      Status status = rules.add(c.entry);
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().code() == ErrorCode::invalid_policy);
      CHECK(status.error().offset() == c.offset);
      CHECK_THAT(status.error().message(), Catch::Contains(c.message_part));
      CHECK(rules.empty());
   }
}

// ---- matching ---------------------------------------------------------------------------

TEST_CASE("requests: {id} is 1 to 20 digits inside a segment, * one whole segment", "[requests]") {
   const RequestRules rules = rules_of({"GET /api/v2/tickets/{id}.json", "GET /api/v2/users/*/identities.json"});
   CHECK(rules.allows("GET", "/api/v2/tickets/1.json"));
   CHECK(rules.allows("GET", "/api/v2/tickets/12345678901234567890.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/123456789012345678901.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/-1.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/1a.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/1.json/x"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/1"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets.json"));
   CHECK(rules.allows("GET", "/api/v2/users/me/identities.json"));
   CHECK(rules.allows("GET", "/api/v2/users/42/identities.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/users/1/2/identities.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/users//identities.json"));
}

TEST_CASE("requests: methods compare in upper case and must match the entry", "[requests]") {
   const RequestRules rules = rules_of({"PUT /api/v2/tickets/{id}.json"});
   CHECK(rules.allows("PUT", "/api/v2/tickets/7.json"));
   CHECK(rules.allows("put", "/api/v2/tickets/7.json"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/tickets/7.json"));
   CHECK_FALSE(rules.allows("POST", "/api/v2/tickets/7.json"));
   CHECK_FALSE(rules.allows("PUT ", "/api/v2/tickets/7.json"));
   CHECK_FALSE(rules.allows("", "/api/v2/tickets/7.json"));
}

TEST_CASE("requests: every query parameter must be listed, once", "[requests]") {
   const RequestRules rules = rules_of({"GET /api/v2/search/export.json?query&filter[type]&page[size]&page[after]"});
   CHECK(rules.allows("GET", "/api/v2/search/export.json"));
   CHECK(rules.allows("GET", "/api/v2/search/export.json?query=type%3Aticket%20requester%3Aa%40b.example&filter[type]=ticket"));
   CHECK(rules.allows("GET", "/api/v2/search/export.json?page%5Bsize%5D=100&page[after]=xyz&query"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a&include=users"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a&query=b"));          // which one counts?
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a&page%5Bsize%5D=1&page[size]=2"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a&"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?=a"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?qu%65ry=a&%zz=1"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a#x"));
   // Values must be written as encodeURIComponent writes them (found by fuzz_request).
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=type%3A\x9aicket"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a b"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a\r\nX:1"));
   CHECK_FALSE(rules.allows("GET", "/api/v2/search/export.json?query=a\\b"));
   CHECK(rules.allows("GET", "/api/v2/search/export.json?query=type%3Aticket%20requester%3Aa%40b.example"));
}

TEST_CASE("requests: hostile URLs match nothing", "[requests]") {
   const RequestRules rules =
      rules_of({"GET /api/v2/tickets/{id}.json", "GET /api/v2/tickets/*/comments.json", "POST https://hooks.example.com/v1/notify"});
   for(const char* url : {
          "/api/v2/tickets%2F1.json",            // an encoded separator
          "/api/v2/tickets/1%2ejson",            // any escape in the path
          "/api/v2/tickets/%31.json",
          "/api/v2/users/../tickets/1.json",     // dot segments
          "/api/v2/tickets/./1.json",
          "/api/v2//tickets/1.json",             // empty segments
          "//evil.example/api/v2/tickets/1.json",  // scheme-relative: another host
          "/api/v2/tickets/1.json#frag",
          "/api/v2/tickets/1.json/",
          "api/v2/tickets/1.json",
          "",
          "/",
          "http://hooks.example.com/v1/notify",  // not https
          "https://hooks.example.com.evil.example/v1/notify",
          "https://user@hooks.example.com/v1/notify",
          "https://hooks.example.com:80/v1/notify",
          "https://hooks.example.com",
          "javascript:alert(1)",
          "/api/v2/tickets/\xC3\xA9.json",        // non-ASCII
          "/api/v2/tickets/1.json\r\nX: y",
          "/api/v2/tickets/1 .json",
          "/api/v2/tickets/1.json\\..\\2.json",
       }) {
      INFO(url);
      CHECK_FALSE(rules.allows("GET", url));
      CHECK_FALSE(rules.allows("POST", url));
   }
   CHECK(rules.allows("GET", "/api/v2/tickets/1.json"));
   CHECK(rules.allows("POST", "https://hooks.example.com/v1/notify"));
   CHECK(rules.allows("POST", "HTTPS://Hooks.Example.COM/v1/notify"));
   CHECK(rules.allows("POST", "https://hooks.example.com:443/v1/notify"));
   CHECK_FALSE(rules.allows("POST", "/v1/notify"));  // the host is part of the entry
}

TEST_CASE("requests: an absolute URL to a Zendesk host is not a Zendesk path", "[requests]") {
   // Relative entries mean the app's own Zendesk, through ZAF; the same path on a named
   // host is another request (another account, or a look-alike), and nothing lists it.
   const RequestRules rules = rules_of({"GET /api/v2/tickets/{id}.json"});
   CHECK_FALSE(rules.allows("GET", "https://acme.zendesk.com/api/v2/tickets/1.json"));
}

TEST_CASE("requests: the recorded pattern holds no value of the request", "[requests]") {
   CHECK(RequestRules::pattern_of("put", "/api/v2/tickets/12345/comments/678/redact.json") ==
         "PUT /api/v2/tickets/{id}/comments/{id}/redact.json");
   CHECK(RequestRules::pattern_of("GET", "/api/v2/search/export.json?query=requester%3Ajane%40example.com&page[size]=5") ==
         "GET /api/v2/search/export.json?query&page[size]");
   CHECK(RequestRules::pattern_of("GET", "/api/v2/users/me.json") == "GET /api/v2/users/me.json");
   CHECK(RequestRules::pattern_of("GET", "https://Hooks.example.com/a/9") == "GET https://hooks.example.com/a/{id}");
   CHECK(RequestRules::pattern_of("GET", "/api/v2/users/jane%40example.com") == "GET (a URL that is not plainly one path)");
   CHECK(RequestRules::pattern_of("GET", "/a?x=secret#y") == "GET (a URL that is not plainly one path)");
   CHECK(RequestRules::pattern_of("GE T\x01", "/a") == "? /a");
}

// ---- whole requests against a policy ----------------------------------------------------

TEST_CASE("check_request: a policy without requests allows none", "[requests]") {
   const Policy p = select("id");
   const Status s = check(p, "GET", "/api/v2/tickets/1.json");
   REQUIRE_FALSE(s.ok());
   CHECK(s.error().code() == ErrorCode::request_not_allowed);
   CHECK(s.error().message() == "GET /api/v2/tickets/{id}.json is not in the policy's requests");
}

TEST_CASE("check_request: a refusal names the pattern, never a value", "[requests]") {
   const Policy p = compile_or_fail(sidebar_policy);
   const Status s = check(p, "DELETE", "/api/v2/tickets/4711.json");
   REQUIRE_FALSE(s.ok());
   CHECK(s.error().code() == ErrorCode::request_not_allowed);
   CHECK(s.error().message() == "DELETE /api/v2/tickets/{id}.json is not in the policy's requests");
   CHECK(error_code_name(ErrorCode::request_not_allowed) == "request_not_allowed");
   CHECK(error_code_name(ErrorCode::write_not_allowed) == "write_not_allowed");
}

TEST_CASE("check_request: a body inside the write selection passes unchanged", "[requests]") {
   const Policy p = compile_or_fail(sidebar_policy);
   CHECK(check(p, "PUT", "/api/v2/tickets/1.json", R"({"ticket":{"status":"solved"}})").ok());
   CHECK(check(p, "PUT", "/api/v2/tickets/1.json",
               R"({"ticket":{"status":"open","custom_fields":[{"id":360001234,"value":"gold"}]}})")
            .ok());
   CHECK(check(p, "PUT", "/api/v2/tickets/1.json", "{ \"ticket\" : {\n \"status\" : \"open\" } }").ok());  // whitespace
   CHECK(check(p, "PUT", "/api/v2/tickets/1/comments/2/redact.json", R"({"text":"4111 1111 1111 1111"})").ok());
   CHECK(check(p, "PUT", "/api/v2/tickets/1.json", R"({})").ok());
   CHECK(check(p, "GET", "/api/v2/tickets/1.json").ok());  // no body
}

TEST_CASE("check_request: a body reaching outside write is refused whole, naming the first path", "[requests]") {
   const Policy p = compile_or_fail(sidebar_policy);
   struct Case {
         const char* body;
         const char* message;
   };
   const Case cases[] = {
      {R"({"ticket":{"status":"open","assignee_id":5}})",
       "\"ticket.assignee_id\" is outside the policy's write selection; the body is refused whole, never trimmed"},
      {R"({"ticket":{"custom_fields":[{"id":360001234,"value":"a"},{"id":99,"value":"b"}]}})",
       "\"ticket.custom_fields[]\" is outside the policy's write selection"},
      {R"({"ticket":{"custom_fields":[{"id":360001234,"value":"a","extra":1}]}})",
       "\"ticket.custom_fields[].extra\" is outside the policy's write selection"},
      {R"({"ticket":{"status":"open"},"next_page":null})", "\"next_page\" is outside"},  // no pagination for writes
      {R"({"ticket":{"status":"open"},"tags":["a"],"x":{"y":1}})",
       "\"tags\" is outside the policy's write selection (and 1 more member(s) or element(s))"},
      {R"({"ticket":"closed"})", "\"ticket\" is outside"},
      {R"([{"ticket":{"status":"open"}},{"other":1}])", "\"[].other\" is outside"},
      {R"("text")", "the body's top-level value is outside"},
   };
   for(const Case& c : cases) {
      INFO(c.body);
      const Status s = check(p, "PUT", "/api/v2/tickets/1.json", c.body);
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().code() == ErrorCode::write_not_allowed);
      CHECK_THAT(s.error().message(), Catch::StartsWith(c.message));
      CHECK_FALSE(s.error().offset().has_value());
   }
}

TEST_CASE("check_request: a body never reveals its values in the refusal", "[requests]") {
   const Policy p = compile_or_fail(sidebar_policy);
   const Status s = check(p, "PUT", "/api/v2/tickets/1.json", R"({"ticket":{"comment":{"body":"jane@example.com"}}})");
   REQUIRE_FALSE(s.ok());
   CHECK(s.error().message().find("jane") == std::string::npos);
}

TEST_CASE("check_request: without a write selection every body is refused", "[requests]") {
   const Policy p = compile_or_fail(R"({"version":1,"select":"id","requests":["POST /api/v2/tickets.json"]})");
   const Status s = check(p, "POST", "/api/v2/tickets.json", "{}");
   REQUIRE_FALSE(s.ok());
   CHECK(s.error().code() == ErrorCode::write_not_allowed);
   CHECK_THAT(s.error().message(), Catch::Contains("no write selection"));
   CHECK(check(p, "POST", "/api/v2/tickets.json").ok());
}

TEST_CASE("check_request: a body that is not valid JSON keeps the filter's error and offset", "[requests]") {
   const Policy p = compile_or_fail(sidebar_policy);
   const Status truncated = check(p, "PUT", "/api/v2/tickets/1.json", R"({"ticket":{"status":"op)");
   REQUIRE_FALSE(truncated.ok());
   CHECK(truncated.error().code() == ErrorCode::invalid_json);
   CHECK(truncated.error().offset().has_value());
   const Status form = check(p, "PUT", "/api/v2/tickets/1.json", "ticket[status]=open");
   REQUIRE_FALSE(form.ok());
   CHECK(form.error().code() == ErrorCode::invalid_json);
   CHECK(form.error().offset() == 0u);
   const Status duplicate = check(p, "PUT", "/api/v2/tickets/1.json", R"({"ticket":{"status":"open","status":"solved"}})");
   REQUIRE_FALSE(duplicate.ok());
   CHECK(duplicate.error().code() == ErrorCode::duplicate_key);  // which status would Zendesk take?
   // The request itself is checked first: a refused request says so whatever its body.
   const Status both = check(p, "PUT", "/api/v2/users/1.json", "not json");
   REQUIRE_FALSE(both.ok());
   CHECK(both.error().code() == ErrorCode::request_not_allowed);
}

// ---- the document -----------------------------------------------------------------------

TEST_CASE("policy: requests and write are validated", "[requests][policy]") {
   struct Case {
         const char* doc;
         const char* message_part;
   };
   const Case cases[] = {
      {R"({"version":1,"select":"a","requests":"GET /a"})", "requests must be an array"},
      {R"({"version":1,"select":"a","requests":[1]})", "requests: 1 is not a"},
      {R"({"version":1,"select":"a","requests":["GET /a b"]})", "requests: GET /a b: a path segment"},
      {R"({"version":1,"select":"a","write":"status"})", "write must be an object"},
      {R"({"version":1,"select":"a","write":{}})", "write needs resources or select"},
      {R"({"version":1,"select":"a","write":{"fields":"a"}})", "write: unknown member \"fields\""},
      {R"({"version":1,"select":"a","write":{"resources":{"tickets":"id"}}})", "write.resources: unknown resource \"tickets\""},
      {R"({"version":1,"select":"a","write":{"select":"a("}})", "write.select: "},
      {R"~({"version":1,"select":"a","write":{"resources":{"ticket":"a)"}}})~", "write.resources.ticket: "},
   };
   for(const Case& c : cases) {
      INFO(c.doc);
      auto policy = Policy::compile(c.doc);
      REQUIRE_FALSE(policy.ok());
      CHECK(policy.error().code() == ErrorCode::invalid_policy);
      CHECK_THAT(policy.error().message(), Catch::Contains(c.message_part));
   }
   auto bad_entry = Policy::compile(R"({"version":1,"select":"a","requests":["GET /ok","GET /a%20b"]})");
   REQUIRE_FALSE(bad_entry.ok());
   CHECK(bad_entry.error().offset() == 6u);  // into the entry, as selection errors point into the selection
}

TEST_CASE("policy: the declaration is canonical and says what is allowed, in any order", "[requests][policy]") {
   const Policy a = compile_or_fail(R"({"version":1,"name":"n","resources":{"ticket":"id"},
      "requests":["PUT /b","GET /a","GET /a"],"zaf":["ticket.id","currentUser.id"],
      "write":{"select":"text"},"limits":{"max_depth":10}})");
   const Policy b = compile_or_fail(R"({"limits":{"max_depth":10},"write":{"select":"text"},"zaf":["currentUser.id","ticket.id"],
      "requests":["GET /a","PUT /b"],"resources":{"ticket":"id"},"name":"n","version":1})");
   CHECK(a.declaration() == b.declaration());
   CHECK(a.declaration() ==
         R"~({"limits":{"max_depth":10,"max_input_bytes":67108864},"name":"n","read":"after_cursor,after_url,before_cursor,)~"
         R"~(before_url,count,end_of_stream,end_time,links,meta,next_page,previous_page,results[result_type=ticket](id),)~"
         R"~(ticket(id),tickets(id)","redact":[],"requests":["GET /a","PUT /b"],"write":"text","zaf":["currentUser.id","ticket.id"]})~");
   // Order inside selections and predicates says nothing either.
   const Policy ordered = compile_or_fail(
      R"~({"version":1,"resources":{"ticket":"id,subject,custom_fields[id=1|2](id,value)"},"write":{"select":"b,a"}})~");
   const Policy reordered = compile_or_fail(
      R"~({"version":1,"resources":{"ticket":"custom_fields[id=2|1|2](value,id),subject,id"},"write":{"select":"a,b,a"}})~");
   CHECK(ordered.declaration() == reordered.declaration());
   CHECK(ordered.declaration() != compile_or_fail(R"({"version":1,"resources":{"ticket":"id,subject"}})").declaration());
   const Policy read_only = select("id");
   CHECK(read_only.declaration() ==
         R"({"limits":{"max_depth":64,"max_input_bytes":67108864},"name":"","read":"id","redact":[],"requests":[],"write":null,"zaf":[]})");
   const Policy redacting = compile_or_fail(
      R"({"version":1,"select":"d","redact":{"rules":[{"path":"d","detect":["phone","email"],"action":"mask"}]}})");
   CHECK_THAT(redacting.declaration(), Catch::Contains(R"("redact":[{"action":"mask","detect":["email","phone"],"path":"d"}])"));
}

// ---- the ledger's unmatched names (DESIGN §2.4) -------------------------------------------

TEST_CASE("ledger: unmatched lists top-level members no rule named, once each, in input order", "[ledger]") {
   const Policy p = compile_or_fail(R"({"version":1,"resources":{"ticket":"id"}})");
   const Outcome audit = run(p, R"({"audit":{"id":1,"events":[]},"next_page":null,"groups":[],"audit":2})");
   REQUIRE(audit.ok);
   CHECK(audit.output == R"({"next_page":null})");
   CHECK(audit.ledger.unmatched == std::vector<std::string>{"audit", "groups"});
   // Named members are matched even when their value is dropped; nested names never count.
   const Outcome named = run(p, R"({"ticket":5,"tickets":[{"id":1,"x":{"y":1}}]})");
   CHECK(named.ledger.unmatched.empty());
   // An array input has no top-level members.
   CHECK(run(p, R"([{"audit":1}])").ledger.unmatched.empty());
   std::string many = "{";
   for(int i = 0; i < 100; ++i) {
      many += (i == 0 ? "\"m" : ",\"m") + std::to_string(i) + "\":" + std::to_string(i);
   }
   many += "}";
   const Outcome capped = run(p, many);
   REQUIRE(capped.ok);
   CHECK(capped.ledger.unmatched.size() == max_unmatched_names());
   CHECK(capped.ledger.unmatched.front() == "m0");
   CHECK(capped.ledger.fields_dropped == 100);
}

}  // namespace leastdata::test
