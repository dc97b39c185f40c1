// Sign-in with Zendesk (sessions.hpp): starting it, finishing it with Zendesk's code, signing out.
#include "http/call.hpp"
#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace handlers {

Reply start_sign_in(Call& call) {
   const SignInStart start = call.ep.sessions->start(*call.who);
   return json_reply(200, {{"authorize_url", start.authorize_url}, {"state", start.state}});
}

Reply sign_in(Call& call) {
   const json body = parse_body(call);
   for(const auto& [key, value] : body.items()) {
      if(key != "state" && key != "code") {
         bad_request("the body has a member other than state and code");
      }
   }
   if(!body.value("state", json()).is_string() || !body.value("code", json()).is_string()) {
      bad_request("state and code are required strings");
   }
   const SignedIn in = call.ep.sessions->sign_in(*call.who, body["state"].get<std::string>(),
                                           body["code"].get<std::string>(), call.now);
   return json_reply(201, {{"session", in.credential},
                           {"expires_at", format_time(in.session.expires_at)},
                           {"agent", {{"id", in.session.agent_id},
                                      {"email", in.email.empty() ? json(nullptr) : json(in.email)},
                                      {"role", in.session.role}}}});
}

Reply sign_out(Call& call) {
   if(call.ep.sessions == nullptr) {
      not_found("session");
   }
   call.ep.sessions->sign_out(*call.who, call.req.get_header_value(SessionService::k_header));
   return Reply{204, "", {}};
}

}  // namespace handlers

}  // namespace leastdata::server
