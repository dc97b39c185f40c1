// The public routes: health, the certificate keys, and the page Zendesk's sign-in returns to.
#include "http/call.hpp"
#include "http.hpp"
#include "log.hpp"
#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace handlers {

Reply healthz(Call& call) {
   try {
      call.ep.store.ping();
   } catch(const std::exception& e) {
      log::error("healthz_database", {{"detail", e.what()}});
      return json_reply(503, {{"status", "unavailable"}, {"region", call.ep.config.region}});
   }
   return json_reply(200, {{"status", "ok"}, {"region", call.ep.config.region}});
}

Reply keys(Call& call) {
   Reply r{200, call.ep.issuer.jwks(), {}};
   r.headers.emplace_back("Cache-Control", "public, max-age=300");
   return r;
}

Reply oauth_callback(Call& call) {
   if(call.ep.sessions == nullptr) {
      not_found("route");
   }
   Reply r{200, call.ep.sessions->callback_page(), {}, "text/html; charset=utf-8"};
   r.headers.emplace_back("Content-Security-Policy", SessionService::callback_csp());
   r.headers.emplace_back("Referrer-Policy", "no-referrer");
   return r;
}

}  // namespace handlers

}  // namespace leastdata::server
