// Policy documents (DESIGN §2): what a valid document is, every way one is rejected as
// `invalid_policy`, limits and their ceilings, the ZAF allow-list, redaction rules, and the
// expansion of Zendesk resources (§2.2) into selections.
#include "test_support.hpp"

#include <leastdata/policy.hpp>

#include <string>
#include <vector>

namespace leastdata::test {
namespace {

struct Rejection {
      std::string code;
      std::optional<std::size_t> offset;
      std::string message;
};

Rejection rejection_of(std::string_view doc) {
   auto policy = Policy::compile(doc);
   if(policy) {
      FAIL("policy compiled but should not: " << doc);
   }
   return {std::string(policy.error().code_name()), policy.error().offset(), policy.error().message()};
}

void check_rejected(std::string_view doc, std::string_view message_part) {
   INFO("policy: " << doc);
   const Rejection r = rejection_of(doc);
   CHECK(r.code == "invalid_policy");
   CHECK_THAT(r.message, Catch::Contains(std::string(message_part)));
}

std::string with_zaf(std::string_view zaf_json) {
   return std::string(R"({"version":1,"select":"a","zaf":)") + std::string(zaf_json) + "}";
}

std::string with_redact(std::string_view redact_json) {
   return std::string(R"({"version":1,"select":"a","redact":)") + std::string(redact_json) + "}";
}

std::string with_limits(std::string_view limits_json) {
   return std::string(R"({"version":1,"select":"a","limits":)") + std::string(limits_json) + "}";
}

const std::string pagination = pagination_text();

}  // namespace

// ---- the document -----------------------------------------------------------------------

TEST_CASE("policy: a minimal document compiles", "[policy]") {
   const Policy p = compile_or_fail(R"({"version":1,"select":"id"})");
   CHECK(p.name().empty());
   CHECK(p.normalized_selection() == "id");
   CHECK(p.zaf_paths().empty());
   CHECK(p.redact_rules().empty());
   CHECK(p.limits().max_depth == 64);
   CHECK(p.limits().max_input_bytes == std::size_t{64} << 20);
}

TEST_CASE("policy: the example of DESIGN §2 compiles", "[policy]") {
   const Policy p = compile_or_fail(R"~({
     "version": 1,
     "name": "ticket-sidebar",
     "resources": {
       "ticket": "id,subject,description,assignee_id,requester_id,custom_fields[id=360001234|360005678](id,value)",
       "user": "id,name,email"
     },
     "select": "ticket_fields(id,title)",
     "zaf": ["ticket.id", "ticket.subject", "ticket.requester.name", "ticket.customField:custom_field_360001234"],
     "redact": { "rules": [ { "path": "ticket.description", "detect": ["email", "credit_card"], "action": "mask" } ] },
     "limits": { "max_depth": 64, "max_input_bytes": 67108864 }
   })~");
   CHECK(p.name() == "ticket-sidebar");
   const std::string t = "id,subject,description,assignee_id,requester_id,custom_fields[id=360001234|360005678](id,value)";
   CHECK(p.normalized_selection() == "ticket(" + t + "),tickets(" + t + "),results[result_type=ticket](" + t +
                                        "),user(id,name,email),users(id,name,email),results[result_type=user](id,name,email)," +
                                        pagination + ",ticket_fields(id,title)");
   CHECK(p.zaf_paths() == std::vector<std::string>{"ticket.id", "ticket.subject", "ticket.requester.name",
                                                   "ticket.customField:custom_field_360001234"});
   REQUIRE(p.redact_rules().size() == 1);
   CHECK(p.redact_rules()[0].path == "ticket.description");
   CHECK(p.redact_rules()[0].detect ==
         redact::DetectorSet().with(redact::Detector::email).with(redact::Detector::credit_card));
   CHECK(p.redact_rules()[0].action == redact::Action::mask);
   CHECK(p.limits().max_depth == 64);
   CHECK(p.limits().max_input_bytes == 67108864);
}

TEST_CASE("policy: version is required and must be the integer 1", "[policy]") {
   check_rejected(R"({"select":"a"})", "version is required");
   for(const char* version : {"1.0", "\"1\"", "2", "0", "-1", "true", "null", "[1]", "{}", "1e0", "10"}) {
      check_rejected(std::string(R"({"version":)") + version + R"(,"select":"a"})", "version must be 1");
   }
   CHECK(Policy::compile(R"({"version":1,"select":"a"})").ok());
}

TEST_CASE("policy: at least one of select and resources is required", "[policy]") {
   check_rejected(R"({"version":1})", "at least one of select and resources");
   check_rejected(R"({"version":1,"name":"x","zaf":[],"limits":{}})", "at least one of select and resources");
   CHECK(Policy::compile(R"({"version":1,"select":"a"})").ok());
   CHECK(Policy::compile(R"({"version":1,"resources":{"user":"id"}})").ok());
   CHECK(Policy::compile(R"({"version":1,"resources":{"user":"id"},"select":"a"})").ok());
}

TEST_CASE("policy: unknown top-level members are rejected", "[policy]") {
   for(const char* key : {"selection", "Select", "VERSION", "resource", "limit", "", "extra"}) {
      check_rejected(std::string(R"({"version":1,"select":"a",")") + key + R"(":1})", "unknown member");
   }
}

TEST_CASE("policy: the document must be one JSON object", "[policy]") {
   check_rejected("[1]", "must be a JSON object");
   check_rejected("\"x\"", "must be a JSON object");
   check_rejected("null", "must be a JSON object");
   check_rejected("", "not valid JSON");
   check_rejected(R"({"version":1,"select":"a")", "not valid JSON");
   check_rejected(R"({"version":1,"select":'a'})", "not valid JSON");
   check_rejected(R"({"version":1,"select":"a",})", "not valid JSON");
   const Rejection garbage = rejection_of(R"({"version":1,"select":"a"} x)");
   CHECK(garbage.code == "invalid_policy");
   CHECK(garbage.offset == std::optional<std::size_t>(27));
   // nlohmann's lexer stops at a NUL byte; what follows must not be ignored (found by fuzzing).
   const Rejection nul = rejection_of(std::string_view("{\"version\":1,\"select\":\"a\"}\0x", 28));
   CHECK(nul.code == "invalid_policy");
   CHECK(nul.offset == std::optional<std::size_t>(26));
   // nlohmann skips a byte order mark; a policy is RFC 8259 text without one, as payloads are
   // (found by fuzzing).
   const Rejection bom = rejection_of("\xEF\xBB\xBF{\"version\":1,\"select\":\"a\"}");
   CHECK(bom.code == "invalid_policy");
   CHECK(bom.offset == std::optional<std::size_t>(0));
   CHECK(bom.message.find("byte order mark") != std::string::npos);
}

TEST_CASE("policy: duplicate members anywhere in the document are rejected", "[policy]") {
   check_rejected(R"({"version":1,"select":"a","select":"b"})", "duplicate member \"select\"");
   check_rejected(R"({"version":1,"version":1,"select":"a"})", "duplicate member \"version\"");
   check_rejected(R"({"version":1,"resources":{"ticket":"id","ticket":"subject"}})", "duplicate member \"ticket\"");
   check_rejected(R"({"version":1,"select":"a","limits":{"max_depth":8,"max_depth":9}})", "duplicate member \"max_depth\"");
   check_rejected(R"({"version":1,"select":"a","redact":{"rules":[{"path":"a","path":"b","detect":["email"],"action":"mask"}]}})",
                  "duplicate member \"path\"");
   // Escapes do not hide a duplicate.
   check_rejected(R"({"version":1,"select":"a","\u0073elect":"b"})", "duplicate member \"select\"");
   // The same name in different objects is fine.
   CHECK(Policy::compile(R"({"version":1,"name":"x","resources":{"user":"name"}})").ok());
}

TEST_CASE("policy: documents larger than max_policy_bytes() are rejected", "[policy]") {
   STATIC_REQUIRE(max_policy_bytes() == std::size_t{1} << 20);
   const std::string head = R"({"version":1,"select":"a","name":")";
   const std::string tail = "\"}";
   const std::string fits = head + std::string(max_policy_bytes() - head.size() - tail.size(), 'n') + tail;
   REQUIRE(fits.size() == max_policy_bytes());
   CHECK(Policy::compile(fits).ok());
   const std::string too_big = head + std::string(max_policy_bytes() - head.size() - tail.size() + 1, 'n') + tail;
   check_rejected(too_big, "larger than");
}

TEST_CASE("policy: name is an optional string", "[policy]") {
   CHECK(compile_or_fail(R"({"version":1,"select":"a","name":"ticket-sidebar"})").name() == "ticket-sidebar");
   CHECK(compile_or_fail(R"({"version":1,"select":"a","name":""})").name().empty());
   check_rejected(R"({"version":1,"select":"a","name":1})", "name must be a string");
   check_rejected(R"({"version":1,"select":"a","name":null})", "name must be a string");
}

// ---- selections in the document -----------------------------------------------------------

TEST_CASE("policy: select must be a selection string", "[policy]") {
   for(const char* value : {"1", "null", "[\"a\"]", "{}", "true"}) {
      check_rejected(std::string(R"({"version":1,"select":)") + value + "}", "select must be a selection string");
   }
}

TEST_CASE("policy: a malformed select is rejected with the offset into its text", "[policy]") {
   struct Case {
         const char* doc;
         std::size_t offset;
         const char* message;
   };
   const Case cases[] = {
      {R"({"version":1,"select":"a,,b"})", 2, "select: expected a member name or '*'"},
      {R"({"version":1,"select":""})", 0, "select: expected a member name or '*'"},
      {R"({"version":1,"select":"id,subject(x"})", 12, "select: expected ')'"},
      {R"({"version":1,"select":"a\\q"})", 1, "select: '\\' escapes only"},
      {R"~({"version":1,"select":"a)"})~", 1, "select: unbalanced ')'"},
      {R"({"version":1,"select":"r[k=v"})", 5, "select: expected ']' to close the predicate"},
      // The offset counts bytes of the selection text (after JSON unescaping), not of the document.
      {R"({"version":1,"select":"\u0061\u0062,,b"})", 3, "select: expected a member name or '*'"},
      {"{\"version\":1,\"select\":\"\xC3\xA9,,b\"}", 3, "select: expected a member name or '*'"},
   };
   for(const Case& c : cases) {
      INFO(c.doc);
      const Rejection r = rejection_of(c.doc);
      CHECK(r.code == "invalid_policy");
      CHECK(r.offset == std::optional<std::size_t>(c.offset));
      CHECK_THAT(r.message, Catch::StartsWith(c.message));
   }
}

TEST_CASE("policy: a malformed resource selection names the resource", "[policy]") {
   struct Case {
         const char* doc;
         std::size_t offset;
         const char* message;
   };
   const Case cases[] = {
      {R"({"version":1,"resources":{"user":"id,(x"}})", 3, "resources.user: expected a member name or '*'"},
      {R"({"version":1,"resources":{"ticket":""}})", 0, "resources.ticket: expected a member name or '*'"},
      {R"~({"version":1,"resources":{"organization":"id,name)"}})~", 7, "resources.organization: unbalanced ')'"},
      {R"({"version":1,"resources":{"comment":"body,author_id(x"}})", 16, "resources.comment: expected ')'"},
      {R"({"version":1,"resources":{"ticket":"id","user":"a*b"}})", 1, "resources.user: expected ',' or end of selection"},
   };
   for(const Case& c : cases) {
      INFO(c.doc);
      const Rejection r = rejection_of(c.doc);
      CHECK(r.code == "invalid_policy");
      CHECK(r.offset == std::optional<std::size_t>(c.offset));
      CHECK_THAT(r.message, Catch::StartsWith(c.message));
   }
   check_rejected(R"({"version":1,"resources":{"ticket":1}})", "resources.ticket must be a selection string");
   check_rejected(R"({"version":1,"resources":{"ticket":null}})", "resources.ticket must be a selection string");
}

TEST_CASE("policy: resources must be an object of known resource names", "[policy]") {
   for(const char* name : {"article", "tickets", "Ticket", "users", "groups", "", "search", "ticket_events", "audits"}) {
      check_rejected(std::string(R"({"version":1,"resources":{")") + name + R"(":"id"}})", "unknown resource");
   }
   check_rejected(R"({"version":1,"resources":[]})", "resources must be an object");
   check_rejected(R"({"version":1,"resources":"ticket"})", "resources must be an object");
   check_rejected(R"({"version":1,"resources":null})", "resources must be an object");
}

TEST_CASE("policy: too many rules competing for one member are rejected", "[policy]") {
   auto rules = [](int n) {
      std::string text;
      for(int i = 0; i != n; ++i) {
         if(i != 0) {
            text += ',';
         }
         text += "a[k=" + std::to_string(i) + "]";
      }
      return text;
   };
   CHECK(Policy::compile(std::string(R"({"version":1,"select":")") + rules(64) + "\"}").ok());
   check_rejected(std::string(R"({"version":1,"select":")") + rules(65) + "\"}", "more than 64 rules");
   // A wildcard competes for every member.
   check_rejected(std::string(R"({"version":1,"select":")") + rules(64) + ",*\"}", "more than 64 rules");
}

// ---- resources (DESIGN §2.2) ----------------------------------------------------------

TEST_CASE("policy: each resource expands to its envelopes plus the pagination envelope", "[policy]") {
   struct Case {
         const char* resource;
         const char* expansion;
   };
   const Case cases[] = {
      {"ticket", "ticket(id,subject),tickets(id,subject),results[result_type=ticket](id,subject)"},
      {"user", "user(id,subject),users(id,subject),results[result_type=user](id,subject)"},
      {"organization",
       "organization(id,subject),organizations(id,subject),results[result_type=organization](id,subject)"},
      {"comment", "comment(id,subject),comments(id,subject)"},
      {"audit", "audit(id,subject),audits(id,subject)"},
      {"group", "group(id,subject),groups(id,subject),results[result_type=group](id,subject)"},
      {"ticket_field", "ticket_field(id,subject),ticket_fields(id,subject)"},
      {"user_field", "user_field(id,subject),user_fields(id,subject)"},
      {"organization_field", "organization_field(id,subject),organization_fields(id,subject)"},
      {"identity", "identity(id,subject),identities(id,subject)"},
      {"ticket_event", "ticket_events(id,subject)"},
      {"job_status", "job_status(id,subject),job_statuses(id,subject)"},
      {"satisfaction_rating", "satisfaction_rating(id,subject),satisfaction_ratings(id,subject)"},
   };
   for(const Case& c : cases) {
      INFO(c.resource);
      const Policy p =
         compile_or_fail(std::string(R"({"version":1,"resources":{")") + c.resource + R"(":"id,subject"}})");
      CHECK(p.normalized_selection() == std::string(c.expansion) + "," + pagination);
   }
}

TEST_CASE("policy: resource selections are normalised and may use the whole language", "[policy]") {
   CHECK(compile_or_fail(R"({"version":1,"resources":{"user":" id , photo/content_url , *(x) "}})").normalized_selection() ==
         std::string("user(id,photo(content_url),*(x)),users(id,photo(content_url),*(x)),"
                     "results[result_type=user](id,photo(content_url),*(x)),") +
            pagination);
   CHECK(compile_or_fail(R"({"version":1,"resources":{"comment":"*"}})").normalized_selection() ==
         std::string("comment(*),comments(*),") + pagination);
}

TEST_CASE("policy: several resources, and select merged with them", "[policy]") {
   const Policy p = compile_or_fail(
      R"({"version":1,"resources":{"ticket":"id","user":"id,name"},"select":"tickets(status),meta(has_more),extra"})");
   // `tickets(status)` merges into the resource's rule; `meta` stays whole (a whole rule wins).
   CHECK(p.normalized_selection() ==
         std::string("ticket(id),tickets(id,status),results[result_type=ticket](id),user(id,name),users(id,name),"
                     "results[result_type=user](id,name),") +
            pagination + ",extra");
}

TEST_CASE("policy: the effective selection follows the document's order", "[policy]") {
   const Policy p = compile_or_fail(R"~({"version":1,"select":"x,user(name)","resources":{"user":"id","comment":"body"}})~");
   CHECK(p.normalized_selection() ==
         std::string("x,user(name,id),users(id),results[result_type=user](id),comment(body),comments(body),") + pagination);
}

TEST_CASE("policy: an empty resources object still keeps the pagination envelope", "[policy]") {
   CHECK(compile_or_fail(R"({"version":1,"resources":{}})").normalized_selection() == pagination);
}

TEST_CASE("policy: the pagination envelope is kept whole only when resources are used", "[policy]") {
   const std::string envelope =
      R"({"next_page":"https://x.zendesk.com/api/v2/tickets.json?page=2","previous_page":null,"count":1234,)"
      R"("meta":{"has_more":true,"after_cursor":"xA","before_cursor":"xB"},"links":{"prev":"p","next":"n"},)"
      R"("after_url":"https://x/a","before_url":"https://x/b","after_cursor":"MTU3NjYxMzUzOS4wfHw0Njd8","before_cursor":null,)"
      R"("end_of_stream":false,"end_time":1601357503,"facets":{"type":{"ticket":3}},"sort_by":"id","tickets":[]})";
   const std::string kept =
      R"({"next_page":"https://x.zendesk.com/api/v2/tickets.json?page=2","previous_page":null,"count":1234,)"
      R"("meta":{"has_more":true,"after_cursor":"xA","before_cursor":"xB"},"links":{"prev":"p","next":"n"},)"
      R"("after_url":"https://x/a","before_url":"https://x/b","after_cursor":"MTU3NjYxMzUzOS4wfHw0Njd8","before_cursor":null,)"
      R"("end_of_stream":false,"end_time":1601357503,"tickets":[]})";
   CHECK(filtered(compile_or_fail(R"({"version":1,"resources":{"ticket":"id"}})"), envelope) == kept);
   // With select only, nothing is kept that the selection does not name.
   CHECK(filtered(compile_or_fail(R"~({"version":1,"select":"tickets(id)"})~"), envelope) == R"({"tickets":[]})");
}

TEST_CASE("policy: search results keep only elements of the listed resource types", "[policy]") {
   const Policy p = compile_or_fail(R"({"version":1,"resources":{"ticket":"id,result_type","user":"name"}})");
   CHECK(filtered(p, R"({"results":[{"id":1,"result_type":"ticket","subject":"s"},{"id":2,"result_type":"user","name":"N"},)"
                     R"({"id":3,"result_type":"organization","name":"O"},{"id":4,"result_type":"article"},{"id":5}],"count":5})") ==
         R"({"results":[{"id":1,"result_type":"ticket"},{"name":"N"}],"count":5})");
}

// ---- limits -------------------------------------------------------------------------------

TEST_CASE("policy: limits default to 64 levels and 64 MiB", "[policy]") {
   const Limits defaults;
   CHECK(defaults.max_depth == 64);
   CHECK(defaults.max_input_bytes == 67108864);
   const Policy p = compile_or_fail(with_limits("{}"));
   CHECK(p.limits().max_depth == 64);
   CHECK(p.limits().max_input_bytes == 67108864);
   const Policy only_depth = compile_or_fail(with_limits(R"({"max_depth":8})"));
   CHECK(only_depth.limits().max_depth == 8);
   CHECK(only_depth.limits().max_input_bytes == 67108864);
   const Policy only_size = compile_or_fail(with_limits(R"({"max_input_bytes":1000})"));
   CHECK(only_size.limits().max_depth == 64);
   CHECK(only_size.limits().max_input_bytes == 1000);
}

TEST_CASE("policy: limits accept 1 up to their ceilings", "[policy]") {
   STATIC_REQUIRE(max_depth_ceiling() == 1024);
   STATIC_REQUIRE(max_input_bytes_ceiling() == std::size_t{512} << 20);
   const Policy low = compile_or_fail(with_limits(R"({"max_depth":1,"max_input_bytes":1})"));
   CHECK(low.limits().max_depth == 1);
   CHECK(low.limits().max_input_bytes == 1);
   const Policy high = compile_or_fail(with_limits(
      "{\"max_depth\":" + std::to_string(max_depth_ceiling()) + ",\"max_input_bytes\":" +
      std::to_string(max_input_bytes_ceiling()) + "}"));
   CHECK(high.limits().max_depth == max_depth_ceiling());
   CHECK(high.limits().max_input_bytes == max_input_bytes_ceiling());
}

TEST_CASE("policy: limits outside their range, or not integers, are rejected", "[policy]") {
   const std::string depth_message = "limits.max_depth must be an integer from 1 to 1024";
   const std::string size_message = "limits.max_input_bytes must be an integer from 1 to 536870912";
   check_rejected(with_limits("{\"max_depth\":" + std::to_string(max_depth_ceiling() + 1) + "}"), depth_message);
   for(const std::string value : {"0", "-1", "-64", "1.5", "64.0", "6.4e1", "\"8\"", "null", "true", "[8]",
                                  "18446744073709551616"}) {
      check_rejected(with_limits("{\"max_depth\":" + value + "}"), depth_message);
      check_rejected(with_limits("{\"max_input_bytes\":" + value + "}"), size_message);
   }
   check_rejected(with_limits("{\"max_input_bytes\":" + std::to_string(max_input_bytes_ceiling() + 1) + "}"),
                  size_message);
   check_rejected(with_limits("{\"max_input_bytes\":18446744073709551615}"), size_message);
}

TEST_CASE("policy: limits must be an object of known limits", "[policy]") {
   check_rejected(with_limits(R"({"max_size":10})"), "limits: unknown member \"max_size\"");
   check_rejected(with_limits(R"({"max_depth":8,"depth":8})"), "limits: unknown member \"depth\"");
   check_rejected(with_limits("[]"), "limits must be an object");
   check_rejected(with_limits("64"), "limits must be an object");
}

// ---- zaf ----------------------------------------------------------------------------------

TEST_CASE("policy: zaf entries must be dot-separated printable ASCII paths", "[policy]") {
   for(const char* entry : {"\"\"", "\".\"", "\".a\"", "\"a.\"", "\"a..b\"", "\"a b\"", "\"a\\tb\"", "\"\\u00e9\"",
                            "\"ticket.\\u007f\"", "1", "null", "[\"a\"]"}) {
      check_rejected(with_zaf(std::string("[") + entry + "]"), "is not a ZAF path");
   }
   check_rejected(with_zaf("\"ticket.id\""), "zaf must be an array");
   check_rejected(with_zaf("{}"), "zaf must be an array");
   const Policy p = compile_or_fail(with_zaf(R"(["a","ticket.*","*","ticket.customField:custom_field_1","x-y_z.~!"])"));
   CHECK(p.zaf_paths().size() == 5);
   CHECK(compile_or_fail(with_zaf("[]")).zaf_paths().empty());
}

TEST_CASE("policy: allows_zaf_path matches whole segments, `*` exactly one", "[policy]") {
   const Policy p = compile_or_fail(with_zaf(
      R"(["ticket.id","ticket.subject","ticket.requester.name","ticket.customField:custom_field_360001234",)"
      R"("ticket.*.email","currentUser.*","*.brand"])"));
   const char* allowed[] = {
      "ticket.id",
      "ticket.subject",
      "ticket.requester.name",
      "ticket.customField:custom_field_360001234",
      "ticket.requester.email",
      "ticket.assignee.email",
      "ticket.*.email",
      "currentUser.name",
      "currentUser.email",
      "ticket.brand",
      "account.brand",
   };
   for(const char* path : allowed) {
      INFO(path);
      CHECK(p.allows_zaf_path(path));
   }
   const char* denied[] = {
      "",
      "ticket",
      "ticket.",
      ".ticket.id",
      "ticket..id",
      "ticket.id.",
      "ticket.id.x",
      "ticket.i",
      "ticket.ids",
      "Ticket.id",
      "ticket.ID",
      "ticket.requester",
      "ticket.requester.name.first",
      "ticket.requester.nam",
      "ticket.customField:custom_field_36000123",
      "ticket.customField:custom_field_3600012345",
      "ticket.customField:custom_field_360005678",
      "ticket.customField",
      "ticket.email",
      "ticket.requester.email.address",
      "ticket.a.b.email",
      "currentUser",
      "currentUser.",
      "currentUser.a.b",
      "brand",
      "a.b.brand",
      ".brand",
      "ticket.subject ",
      " ticket.subject",
   };
   for(const char* path : denied) {
      INFO(path);
      CHECK_FALSE(p.allows_zaf_path(path));
   }
}

TEST_CASE("policy: without zaf entries no ZAF path is allowed", "[policy]") {
   const Policy p = compile_or_fail(R"({"version":1,"select":"a"})");
   CHECK_FALSE(p.allows_zaf_path("ticket.id"));
   CHECK_FALSE(p.allows_zaf_path(""));
   const Policy star = compile_or_fail(with_zaf(R"(["*"])"));
   CHECK(star.allows_zaf_path("ticket"));
   CHECK_FALSE(star.allows_zaf_path("ticket.id"));
   CHECK_FALSE(star.allows_zaf_path(""));
}

// ---- redact -------------------------------------------------------------------------------

TEST_CASE("policy: redact rules with every detector and action are accepted", "[policy]") {
   const Policy p = compile_or_fail(with_redact(
      R"({"rules":[{"path":"tickets[].description","detect":["email","phone","credit_card","iban","ip","url_secret","jwt"],"action":"remove"},)"
      R"({"action":"label","detect":["email"],"path":"a"},)"
      R"({"path":"b","detect":["phone"],"action":"mask"},)"
      R"({"path":"c","detect":["jwt","ip"],"action":"pseudonym"}]})"));
   REQUIRE(p.redact_rules().size() == 4);
   CHECK(p.redact_rules()[0].path == "tickets[].description");
   CHECK(p.redact_rules()[0].detect == redact::DetectorSet::all());
   CHECK(p.redact_rules()[0].action == redact::Action::remove);
   CHECK(p.redact_rules()[1].path == "a");
   CHECK(p.redact_rules()[1].action == redact::Action::label);
   CHECK(p.redact_rules()[2].action == redact::Action::mask);
   CHECK(p.redact_rules()[3].detect == redact::DetectorSet().with(redact::Detector::jwt).with(redact::Detector::ip));
   CHECK(p.redact_rules()[3].action == redact::Action::pseudonym);
   CHECK(compile_or_fail(with_redact(R"({"rules":[]})")).redact_rules().empty());
}

TEST_CASE("policy: malformed redact rules are rejected", "[policy]") {
   struct Case {
         const char* redact;
         const char* message;
   };
   const Case cases[] = {
      {R"([])", "redact must be an object"},
      {R"("email")", "redact must be an object"},
      {R"({})", "redact.rules must be an array"},
      {R"({"rules":{}})", "redact.rules must be an array"},
      {R"({"rules":[],"mode":"x"})", "redact: unknown member \"mode\""},
      {R"({"rules":["a"]})", "each rule must be an object"},
      {R"({"rules":[{"path":"a","detect":["ssn"],"action":"mask"}]})", "unknown detector \"ssn\""},
      {R"({"rules":[{"path":"a","detect":["Email"],"action":"mask"}]})", "unknown detector \"Email\""},
      {R"({"rules":[{"path":"a","detect":[1],"action":"mask"}]})", "unknown detector 1"},
      {R"({"rules":[{"path":"a","detect":["email"],"action":"hide"}]})", "invalid member \"action\""},
      {R"({"rules":[{"path":"a","detect":["email"],"action":"MASK"}]})", "invalid member \"action\""},
      {R"({"rules":[{"path":"a","detect":[],"action":"mask"}]})", "invalid member \"detect\""},
      {R"({"rules":[{"path":"a","detect":"email","action":"mask"}]})", "invalid member \"detect\""},
      {R"({"rules":[{"path":"","detect":["email"],"action":"mask"}]})", "invalid member \"path\""},
      {R"({"rules":[{"path":1,"detect":["email"],"action":"mask"}]})", "invalid member \"path\""},
      {R"({"rules":[{"path":"a","detect":["email"],"action":"mask","when":1}]})", "invalid member \"when\""},
      {R"({"rules":[{"detect":["email"],"action":"mask"}]})", "each rule needs path, detect and action"},
      {R"({"rules":[{"path":"a","action":"mask"}]})", "each rule needs path, detect and action"},
      {R"({"rules":[{"path":"a","detect":["email"]}]})", "each rule needs path, detect and action"},
      {R"({"rules":[{}]})", "each rule needs path, detect and action"},
   };
   for(const Case& c : cases) {
      check_rejected(with_redact(c.redact), c.message);
   }
}

// ---- compiled policies ---------------------------------------------------------------------

TEST_CASE("policy: a compiled policy can be copied and moved; copies share behaviour", "[policy]") {
   Policy original = compile_or_fail(R"~({"version":1,"select":"r[t=x](a),r(b)"})~");
   const std::string input = R"({"r":[{"t":"x","a":1,"b":2,"c":3},{"t":"y","a":1,"b":2}]})";
   const std::string expected = R"({"r":[{"a":1,"b":2},{"b":2}]})";
   const Policy copy = original;
   CHECK(filtered(copy, input) == expected);
   const Policy moved = std::move(original);
   CHECK(filtered(moved, input) == expected);
   CHECK(filtered(copy, input) == expected);
   CHECK(moved.normalized_selection() == "r[t=x](a),r(b)");
}

}  // namespace leastdata::test
