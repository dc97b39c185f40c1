// The calling agent's registration (PUT /v1/agents/me).
#include "http/call.hpp"
#include "envelope.hpp"
#include "tenants.hpp"
#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace handlers {

Reply put_agent(Call& call) {
   if(!call.req.body.empty() && !parse_body(call).empty()) {
      bad_request("the agent is the caller (their session, or the token's claims); send no body or {}");
   }
   const Identity& who = *call.who;
   Agent agent;
   agent.agent_id = who.agent_id;
   agent.role = who.role;
   agent.registered_at = call.now;
   agent.updated_at = call.now;
   if(who.email) {
      agent.email = envelope::seal(call.data_key(), tenants::email_context(call.tenant_id(), who.agent_id), *who.email);
   }
   const auto outcome = call.ep.store.put_agent(call.tenant_id(), agent);
   Millis registered_at = call.now;
   for(const Agent& a : call.ep.store.agents(call.tenant_id())) {
      if(a.agent_id == who.agent_id) {
         registered_at = a.registered_at;
      }
   }
   return json_reply(outcome == WriteOutcome::created ? 201 : 200,
                     {{"agent",
                       {{"id", who.agent_id},
                        {"email", who.email ? json(*who.email) : json(nullptr)},
                        {"role", who.role},
                        {"registered_at", format_time(registered_at)},
                        {"updated_at", format_time(call.now)}}}});
}

}  // namespace handlers

}  // namespace leastdata::server
