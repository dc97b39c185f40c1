// Settings, one versioned document per app (docs/endpoint.md, "Settings").
#include "envelope.hpp"
#include "http.hpp"
#include "http/call.hpp"
#include "services/exact_numbers.hpp"
#include "tenants.hpp"

#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace {

std::string etag(std::int64_t version) {
   std::string tag(1, '"');
   tag += std::to_string(version);
   tag += '"';
   return tag;
}

Reply settings_reply(int status, const json& settings, std::int64_t version, Millis updated_at) {
   Reply r = json_reply(status, {{"settings", settings}, {"version", version}, {"updated_at", format_time(updated_at)}});
   r.headers.emplace_back("ETag", etag(version));
   return r;
}

std::optional<std::int64_t> if_match(const Call& call) {
   if(!call.req.has_header("If-Match")) {
      return std::nullopt;
   }
   std::string v = call.req.get_header_value("If-Match");
   if(v == "*") {
      return -1;
   }
   if(v.size() >= 2 && v.front() == '"' && v.back() == '"') {
      v = v.substr(1, v.size() - 2);
   }
   if(v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
      bad_request("If-Match must be \"*\" or the ETag of the settings");
   }
   return std::stoll(v);
}

}  // namespace

namespace handlers {

Reply get_settings(Call& call) {
   const std::string& app = app_param(call);
   const auto s = call.ep.store.settings(call.tenant_id(), app);
   if(!s) {
      not_found("settings");
   }
   const std::string text =
      envelope::open_string(call.data_key(), tenants::settings_context(call.tenant_id(), app), s->body);
   return settings_reply(200, json::parse(text), s->version, s->updated_at);
}


Reply put_settings(Call& call) {
   const std::string& app = app_param(call);
   if(call.req.body.size() > call.ep.config.max_settings_body) {
      throw ApiError(ErrorCode::payload_too_large,
                     "settings are limited to " + std::to_string(call.ep.config.max_settings_body / 1024) + " KiB");
   }
   const json body = parse_body(call);
   if(body.size() != 1 || !body.contains("settings") || !body["settings"].is_object()) {
      bad_request("the body must be {\"settings\":{...}}");
   }
   if(!numbers_exact(call.req.body)) {
      throw ApiError(ErrorCode::inexact_number,
                     "a number in the settings cannot be stored exactly (numbers are kept as 64-bit integers or "
                     "IEEE-754 doubles, about 15 significant digits); send it as a string");
   }
   const auto condition = if_match(call);
   const std::string text = body["settings"].dump();
   const DataKey& key = call.data_key();  // read before the store's transaction starts
   const auto [outcome, version] = call.ep.store.put_settings(
      call.tenant_id(), app, [&] { return envelope::seal(key, tenants::settings_context(call.tenant_id(), app), text); },
      condition, call.now);
   if(outcome == WriteOutcome::conflict) {
      Reply r = json_reply(409, json::parse(ApiError::body(ErrorCode::version_conflict,
                                                       version == 0 ? "the settings do not exist yet"
                                                                    : "the settings have changed; current ETag " +
                                                                         etag(version))));
      if(version > 0) {
         r.headers.emplace_back("ETag", etag(version));
      }
      return r;
   }
   return settings_reply(outcome == WriteOutcome::created ? 201 : 200, body["settings"], version, call.now);
}

}  // namespace handlers

}  // namespace leastdata::server
