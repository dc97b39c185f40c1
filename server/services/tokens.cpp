// Tokens: each agent's own (/v1/tokens) and the installation's shared ones (/v1/shared-tokens).
#include "envelope.hpp"
#include "http.hpp"
#include "http/call.hpp"
#include "http/names.hpp"
#include "http/router.hpp"
#include "tenants.hpp"

#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace {

// Token names: [A-Za-z0-9_.-]{1,64}
bool valid_token_name(std::string_view s) {
   return names::matches(s, 1, 64, [](char c) { return names::alnum(c) || c == '_' || c == '.' || c == '-'; });
}

const std::string& token_name(const Call& call) {
   if(!valid_token_name(call.params[0])) {
      bad_request("a token name is 1-64 characters of [A-Za-z0-9_.-]");
   }
   return call.params[0];
}

Reply get(Call& call, const std::optional<std::string>& owner) {
   const std::string& name = token_name(call);
   const auto t = call.ep.store.token(call.tenant_id(), owner, name, call.now);
   if(!t) {
      not_found("token");
   }
   std::string row;
   json out = {{"name", name},
               {"value", envelope::open_string(call.data_key(), tenants::token_context(call.tenant_id(), owner, name, row),
                                               t->value)}};
   if(t->expires_at) {
      out["expires_at"] = format_time(*t->expires_at);
   }
   return json_reply(200, out);
}

Reply put(Call& call, const std::optional<std::string>& owner) {
   const std::string& name = token_name(call);
   const json body = parse_body(call);
   for(const auto& [key, value] : body.items()) {
      if(key != "value" && key != "expires_at") {
         bad_request("the body has a member a token does not have; a token is {\"value\":...,\"expires_at\"?:...}");
      }
   }
   if(!body.contains("value") || !body["value"].is_string() || body["value"].get_ref<const std::string&>().empty()) {
      bad_request("value must be a non-empty string");
   }
   const std::string& value = body["value"].get_ref<const std::string&>();
   if(value.size() > call.ep.config.max_token_value) {
      throw ApiError(ErrorCode::payload_too_large,
                     "a token value is limited to " + std::to_string(call.ep.config.max_token_value) + " bytes");
   }
   std::optional<Millis> expires_at;
   if(body.contains("expires_at") && !body["expires_at"].is_null()) {
      if(!body["expires_at"].is_string()) {
         bad_request("expires_at must be an RFC 3339 time");
      }
      expires_at = parse_time(body["expires_at"].get_ref<const std::string&>());
      if(!expires_at) {
         bad_request("expires_at must be an RFC 3339 time");
      }
      if(*expires_at <= call.now) {
         bad_request("expires_at is in the past");
      }
   }
   std::string row;
   Token t;
   t.agent_id = owner;
   t.name = name;
   t.value = envelope::seal(call.data_key(), tenants::token_context(call.tenant_id(), owner, name, row), value);
   t.expires_at = expires_at;
   t.updated_at = call.now;
   const auto outcome = call.ep.store.put_token(call.tenant_id(), t);
   json out = {{"name", name}, {"updated_at", format_time(call.now)}};
   if(expires_at) {
      out["expires_at"] = format_time(*expires_at);
   }
   return json_reply(outcome == WriteOutcome::created ? 201 : 200, out);
}

Reply remove(Call& call, const std::optional<std::string>& owner) {
   const std::string& name = token_name(call);
   if(!call.ep.store.delete_token(call.tenant_id(), owner, name, call.now)) {
      not_found("token");
   }
   return Reply{204, "", {}};
}

// /v1/tokens: the caller's own; /v1/shared-tokens (route_flag::installation_wide): nobody's.
std::optional<std::string> owner_of(const Call& call) {
   if((call.flags & route_flag::installation_wide) != 0) {
      return std::nullopt;
   }
   return call.who->agent_id;
}

}  // namespace

namespace handlers {

Reply get_token(Call& call) {
   return get(call, owner_of(call));
}

Reply put_token(Call& call) {
   return put(call, owner_of(call));
}

Reply delete_token(Call& call) {
   return remove(call, owner_of(call));
}

}  // namespace handlers

}  // namespace leastdata::server
