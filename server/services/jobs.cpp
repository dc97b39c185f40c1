// Multi-stage jobs (DESIGN §10): bare numeric IDs, a kind and an opaque cursor.
#include "services/jobs.hpp"

#include "envelope.hpp"
#include "http/names.hpp"
#include "tenants.hpp"

#include "leastdata/crypto.hpp"
#include "leastdata/job_ids.hpp"

#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

// What a job holds besides its kind and times: {"ids":{...},"cursor":...|null}.
json job_contents(const Call& call, const Job& j) {
   return json::parse(j.clear_contents ? *j.clear_contents
                                       : envelope::open_string(call.data_key(),
                                                               tenants::job_context(call.tenant_id(), j.id),
                                                               j.contents));
}

namespace {

// Job kinds: [a-z0-9_.-]{1,64}
bool valid_job_kind(std::string_view s) {
   return names::matches(s, 1, 64, [](char c) { return names::lower_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

// Opaque cursors: [A-Za-z0-9_\-=.:]{0,256}
bool valid_cursor(std::string_view s) {
   return names::matches(s, 0, 256, [](char c) {
      return names::alnum(c) || c == '_' || c == '-' || c == '=' || c == '.' || c == ':';
   });
}

bool valid_job_id(std::string_view s) {
   return names::matches(s, 1, 64, [](char c) { return names::alnum(c) || c == '_' || c == '-'; });
}

[[noreturn]] void personal_data(const std::string& message) {
   throw ApiError(ErrorCode::personal_data, message + " (jobs hold only numeric ids and an opaque cursor)");
}

std::string random_id(std::string_view prefix) {
   std::array<std::uint8_t, 16> raw{};
   crypto::random_bytes(raw);
   return std::string(prefix) + crypto::base64url_encode(raw);
}

// A job ID (the core's one rule, job_ids.hpp) in canonical form: integers as unsigned.
std::optional<json> normalise_id(const json& v) {
   if(!leastdata::is_job_id(v)) {
      return std::nullopt;
   }
   return v.is_string() ? v : json(v.get<std::uint64_t>());
}

Blob seal_job_contents(const Call& call, const std::string& job_id, const json& contents) {
   return envelope::seal(call.data_key(), tenants::job_context(call.tenant_id(), job_id), contents.dump());
}

json job_json(const Job& j, const json& contents) {
   return {{"id", j.id},
           {"kind", j.kind},
           {"status", j.status},
           {"ids", contents["ids"]},
           {"cursor", contents["cursor"]},
           {"created_at", format_time(j.created_at)},
           {"updated_at", format_time(j.updated_at)},
           {"stopped_at", time_or_null(j.stopped_at)},
           {"delete_at", format_time(j.delete_at())}};
}

// Validates `ids` (an object of ticket/user/organization arrays of positive integer
// ids) into `into`, replacing the categories it names.
void merge_ids(const json& ids, json& into) {
   if(!ids.is_object()) {
      personal_data("ids must be an object of ticket, user and organization id arrays");
   }
   for(const auto& [category, list] : ids.items()) {
      if(category != "ticket" && category != "user" && category != "organization") {
         personal_data("ids may only hold ticket, user and organization");
      }
      if(!list.is_array()) {
         personal_data("ids." + category + " must be an array");
      }
      json normalised = json::array();
      for(const auto& v : list) {
         auto id = normalise_id(v);
         if(!id) {
            personal_data("ids." + category + " may only hold positive integers (or digit strings)");
         }
         normalised.push_back(std::move(*id));
      }
      into[category] = std::move(normalised);
   }
   std::size_t total = 0;
   for(const auto& [category, list] : into.items()) {
      total += list.size();
   }
   if(total > leastdata::max_job_ids()) {
      // The core's code for the core's limit: the browser module refuses the same set with it.
      throw ApiError(ErrorCode::size_limit, "a job holds at most " + std::to_string(leastdata::max_job_ids()) + " ids");
   }
}

std::optional<std::string> cursor_of(const json& body) {
   const json& c = body["cursor"];
   if(c.is_null()) {
      return std::nullopt;
   }
   if(!c.is_string() || !valid_cursor(c.get_ref<const std::string&>())) {
      personal_data("cursor must be an opaque string of [A-Za-z0-9_-=.:], at most 256 characters");
   }
   return c.get<std::string>();
}

}  // namespace

namespace handlers {

Reply create_job(Call& call) {
   const json body = parse_body(call);
   for(const auto& [key, value] : body.items()) {
      if(key != "kind" && key != "ids" && key != "cursor") {
         personal_data("the body has a member other than kind, ids and cursor");
      }
   }
   if(!body.contains("kind")) {
      bad_request("kind is required");
   }
   if(!body["kind"].is_string() || !valid_job_kind(body["kind"].get_ref<const std::string&>())) {
      personal_data("kind must be 1-64 characters of [a-z0-9_.-]");
   }
   json ids = {{"ticket", json::array()}, {"user", json::array()}, {"organization", json::array()}};
   if(body.contains("ids")) {
      merge_ids(body["ids"], ids);
   }
   const auto cursor = body.contains("cursor") ? cursor_of(body) : std::nullopt;
   const json contents = {{"ids", std::move(ids)}, {"cursor", cursor ? json(*cursor) : json(nullptr)}};
   Job j;
   j.id = random_id("job_");
   j.kind = body["kind"].get<std::string>();
   j.contents = seal_job_contents(call, j.id, contents);
   j.status = "running";
   j.created_at = call.now;
   j.updated_at = call.now;
   call.ep.store.create_job(call.tenant_id(), j);
   Reply r = json_reply(201, job_json(j, contents));
   r.headers.emplace_back("Location", "/v1/jobs/" + j.id);
   return r;
}

const std::string& job_id(const Call& call) {
   if(!valid_job_id(call.params[0])) {
      not_found("job");
   }
   return call.params[0];
}

Reply get_job(Call& call) {
   const auto j = call.ep.store.job(call.tenant_id(), job_id(call), call.now);
   if(!j) {
      not_found("job");
   }
   return json_reply(200, job_json(*j, job_contents(call, *j)));
}

Reply patch_job(Call& call) {
   const std::string& id = job_id(call);
   const json body = parse_body(call);
   for(const auto& [key, value] : body.items()) {
      if(key == "kind") {
         bad_request("the kind of a job cannot change");
      }
      if(key != "ids" && key != "cursor") {
         personal_data("the body has a member other than ids and cursor");
      }
   }
   // Read, merge and write in one transaction: two concurrent PATCHes both land.
   Job updated;
   json contents;
   const auto outcome = call.ep.store.update_job(call.tenant_id(), id, call.now, [&](Job& j) {
      contents = job_contents(call, j);
      if(body.contains("ids")) {
         merge_ids(body["ids"], contents["ids"]);
      }
      if(body.contains("cursor")) {
         const auto cursor = cursor_of(body);
         contents["cursor"] = cursor ? json(*cursor) : json(nullptr);
      }
      j.contents = seal_job_contents(call, j.id, contents);
      j.updated_at = call.now;
   }, updated);
   if(outcome == WriteOutcome::not_found) {
      not_found("job");
   }
   if(outcome == WriteOutcome::conflict) {
      throw ApiError(ErrorCode::job_stopped, "a stopped job cannot change; start a new one");
   }
   return json_reply(200, job_json(updated, contents));
}

Reply complete_job(Call& call) {
   const std::string& id = job_id(call);
   if(!call.ep.store.delete_job(call.tenant_id(), id, call.now)) {
      not_found("job");
   }
   return json_reply(200, {{"id", id}, {"status", "completed"}, {"deleted", true}});
}

Reply stop_job(Call& call) {
   const std::string& id = job_id(call);
   if(!call.ep.store.stop_job(call.tenant_id(), id, call.now)) {
      not_found("job");
   }
   const auto j = call.ep.store.job(call.tenant_id(), id, call.now);
   if(!j) {
      not_found("job");
   }
   return json_reply(200, job_json(*j, job_contents(call, *j)));
}

}  // namespace handlers

}  // namespace leastdata::server
