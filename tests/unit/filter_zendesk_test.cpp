// The streaming filter on realistic Zendesk payloads (DESIGN §2.1, §2.2): a ticket, a ticket
// list with sideloads and cursor pagination, search results of several types, comments.
#include "test_support.hpp"

#include <string>
#include <string_view>

namespace leastdata::test {
namespace {

Policy resources_policy(std::string_view resources_json) {
   return compile_or_fail(std::string(R"({"version":1,"resources":)") + std::string(resources_json) + "}");
}

}  // namespace

TEST_CASE("filter: Zendesk ticket show payload", "[filter][zendesk]") {
   const Policy policy = compile_or_fail(R"~({
     "version": 1,
     "name": "ticket-sidebar",
     "resources": {
       "ticket": "id,subject,description,assignee_id,requester_id,custom_fields[id=360001234|360005678](id,value)",
       "user": "id,name,email"
     }
   })~");
   const std::string input = R"({
  "ticket": {
    "url": "https://example.zendesk.com/api/v2/tickets/35436.json",
    "id": 35436,
    "external_id": "ahg35h3jh",
    "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": null}},
    "created_at": "2009-07-20T22:55:29Z",
    "updated_at": "2011-05-05T10:38:52Z",
    "type": "incident",
    "subject": "Help, my printer is on fire!",
    "raw_subject": "{{dc.printer_on_fire}}",
    "description": "The fire is very colorful. Call me at +49 30 1234567.",
    "priority": "high",
    "status": "open",
    "recipient": "support@company.com",
    "requester_id": 20978392,
    "submitter_id": 76872,
    "assignee_id": 235323,
    "organization_id": 509974,
    "group_id": 98738,
    "collaborator_ids": [35334, 234],
    "follower_ids": [35334, 234],
    "email_cc_ids": [],
    "tags": ["enterprise", "other_tag"],
    "custom_fields": [
      {"id": 27642, "value": "745"},
      {"id": 360001234, "value": "gold"},
      {"id": 360005678, "value": null},
      {"id": 27648, "value": "yes"}
    ],
    "satisfaction_rating": {"id": 1234, "score": "good", "comment": "Great support!"},
    "sharing_agreement_ids": [84432],
    "brand_id": 1,
    "allow_channelback": false,
    "is_public": true
  }
})";
   CHECK(filtered(policy, input) ==
         R"({"ticket":{"id":35436,"subject":"Help, my printer is on fire!",)"
         R"("description":"The fire is very colorful. Call me at +49 30 1234567.","requester_id":20978392,)"
         R"("assignee_id":235323,"custom_fields":[{"id":360001234,"value":"gold"},{"id":360005678,"value":null}]}})");
}

TEST_CASE("filter: Zendesk ticket list with sideloaded users and cursor pagination", "[filter][zendesk]") {
   const Policy policy = resources_policy(R"({"ticket":"id,subject,status,requester_id,assignee_id","user":"id,name,email"})");
   const std::string input = R"({
  "tickets": [
    {"url": "https://example.zendesk.com/api/v2/tickets/1.json", "id": 1, "subject": "Cannot log in",
     "description": "My password is hunter2", "status": "open", "requester_id": 9000000000000000001,
     "assignee_id": 201, "tags": ["login"], "custom_fields": [{"id": 360001234, "value": "x"}],
     "via": {"channel": "email", "source": {"from": {"address": "jane@example.com", "name": "Jane"}}}},
    {"url": "https://example.zendesk.com/api/v2/tickets/2.json", "id": 2, "subject": "Refund",
     "description": "Card 4111 1111 1111 1111", "status": "pending", "requester_id": 102,
     "assignee_id": null, "tags": [], "custom_fields": []}
  ],
  "users": [
    {"id": 9000000000000000001, "url": "https://example.zendesk.com/api/v2/users/101.json", "name": "Jane Doe",
     "email": "jane@example.com", "phone": "+4930123456", "role": "end-user", "photo": null,
     "user_fields": {"vip": true}, "notes": "Prefers phone"},
    {"id": 201, "name": "Agent Smith", "email": "smith@company.com", "role": "agent", "photo": {"content_url": "https://x/p.png"}}
  ],
  "meta": {"has_more": true, "after_cursor": "eyJvIjoiaWQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0=", "before_cursor": "eyJvIjoiLWlkIn0="},
  "links": {"prev": "https://example.zendesk.com/api/v2/tickets.json?page%5Bbefore%5D=eyJvIjoiLWlkIn0%3D&page%5Bsize%5D=2",
            "next": "https://example.zendesk.com/api/v2/tickets.json?page%5Bafter%5D=eyJvIjoiaWQifQ%3D%3D&page%5Bsize%5D=2"}
})";
   CHECK(filtered(policy, input) ==
         R"({"tickets":[{"id":1,"subject":"Cannot log in","status":"open","requester_id":9000000000000000001,"assignee_id":201},)"
         R"({"id":2,"subject":"Refund","status":"pending","requester_id":102,"assignee_id":null}],)"
         R"("users":[{"id":9000000000000000001,"name":"Jane Doe","email":"jane@example.com"},)"
         R"({"id":201,"name":"Agent Smith","email":"smith@company.com"}],)"
         R"("meta":{"has_more":true,"after_cursor":"eyJvIjoiaWQiLCJ2IjoiYVFJQUFBQUFBQUFBIn0=","before_cursor":"eyJvIjoiLWlkIn0="},)"
         R"("links":{"prev":"https://example.zendesk.com/api/v2/tickets.json?page%5Bbefore%5D=eyJvIjoiLWlkIn0%3D&page%5Bsize%5D=2",)"
         R"("next":"https://example.zendesk.com/api/v2/tickets.json?page%5Bafter%5D=eyJvIjoiaWQifQ%3D%3D&page%5Bsize%5D=2"}})");
}

TEST_CASE("filter: Zendesk search results mixing tickets, users and organizations", "[filter][zendesk]") {
   const Policy policy =
      resources_policy(R"({"organization":"id,name","ticket":"id,subject,result_type","user":"id,name"})");
   const std::string input = R"({
  "results": [
    {"url": "https://example.zendesk.com/api/v2/tickets/35436.json", "id": 35436, "subject": "Printer on fire",
     "description": "Smoke everywhere", "status": "open", "result_type": "ticket"},
    {"url": "https://example.zendesk.com/api/v2/users/101.json", "id": 101, "name": "Jane Doe",
     "email": "jane@example.com", "result_type": "user"},
    {"url": "https://example.zendesk.com/api/v2/organizations/509974.json", "id": 509974, "name": "Acme",
     "details": "VIP customer", "notes": "", "domain_names": ["acme.example"], "result_type": "organization"},
    {"url": "https://example.zendesk.com/api/v2/help_center/articles/1.json", "id": 1, "title": "FAQ",
     "result_type": "article"},
    {"id": 77, "result_type": "group", "name": "Support"}
  ],
  "facets": null,
  "next_page": "https://example.zendesk.com/api/v2/search.json?page=2&query=printer",
  "previous_page": null,
  "count": 1234
})";
   CHECK(filtered(policy, input) ==
         R"({"results":[{"id":35436,"subject":"Printer on fire","result_type":"ticket"},{"id":101,"name":"Jane Doe"},)"
         R"({"id":509974,"name":"Acme"}],)"
         R"("next_page":"https://example.zendesk.com/api/v2/search.json?page=2&query=printer","previous_page":null,"count":1234})");
}

TEST_CASE("filter: Zendesk ticket comments", "[filter][zendesk]") {
   const Policy policy = resources_policy(R"~({"comment":"id,author_id,body,public,attachments(file_name,size)"})~");
   const std::string input = R"({
  "comments": [
    {"id": 1274, "type": "Comment", "author_id": 123123, "body": "Thanks for your help!",
     "html_body": "<p>Thanks for your help!</p>", "plain_body": "Thanks for your help!", "public": true,
     "attachments": [
       {"id": 498483, "file_name": "crash.log", "content_url": "https://company.zendesk.com/attachments/crash.log",
        "content_type": "text/plain", "size": 2532, "thumbnails": []}
     ],
     "audit_id": 432567, "via": {"channel": "web"}, "created_at": "2009-07-20T22:55:29Z",
     "metadata": {"system": {"ip_address": "1.2.3.4", "location": "Berlin"}}},
    {"id": 1275, "type": "VoiceComment", "author_id": 42, "body": "Call recording", "public": false,
     "attachments": [], "data": {"recording_url": "https://x/rec.mp3", "from": "+4930123456"}}
  ],
  "next_page": null,
  "previous_page": null,
  "count": 2
})";
   CHECK(filtered(policy, input) ==
         R"({"comments":[{"id":1274,"author_id":123123,"body":"Thanks for your help!","public":true,)"
         R"("attachments":[{"file_name":"crash.log","size":2532}]},)"
         R"({"id":1275,"author_id":42,"body":"Call recording","public":false,"attachments":[]}],)"
         R"("next_page":null,"previous_page":null,"count":2})");
   // The single-comment envelope too.
   CHECK(filtered(policy, R"({"comment":{"id":1,"body":"b","html_body":"<p>b</p>"}})") == R"({"comment":{"id":1,"body":"b"}})");
}

}  // namespace leastdata::test
