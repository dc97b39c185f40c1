// The route table: every route of the API, its access, its body and its flags (router.hpp),
// and the handler that serves it (services/, one file per resource). A new route is a line
// here and a handler in its service.
#include "http/router.hpp"

namespace leastdata::server {

namespace handlers {
// services/public.cpp
Reply healthz(Call&);
Reply keys(Call&);
Reply oauth_callback(Call&);
// services/sign_in.cpp
Reply start_sign_in(Call&);
Reply sign_in(Call&);
Reply sign_out(Call&);
// services/agents.cpp
Reply put_agent(Call&);
// services/settings.cpp
Reply get_settings(Call&);
Reply put_settings(Call&);
// services/tokens.cpp
Reply get_token(Call&);
Reply put_token(Call&);
Reply delete_token(Call&);
// services/stats.cpp
Reply post_stats(Call&);
Reply get_stats(Call&);
// services/jobs.cpp
Reply create_job(Call&);
Reply get_job(Call&);
Reply patch_job(Call&);
Reply complete_job(Call&);
Reply stop_job(Call&);
// services/access_routes.cpp
Reply declare_policy(Call&);
Reply post_observed(Call&);
// services/report.cpp
Reply report(Call&);
// services/deletion.cpp
Reply deletion(Call&);
// services/lifecycle.cpp
Reply deactivate(Call&);
}  // namespace handlers

const std::vector<Route>& routes() {
   using namespace handlers;
   using namespace route_flag;
   constexpr Access public_ = Access::public_, tenant = Access::tenant, agent = Access::agent, admin = Access::admin;
   constexpr Body none = Body::none, optional_json = Body::optional_json, json = Body::json_required;
   static const std::vector<Route> table = {
      // services/public.cpp
      {"GET", "/healthz", public_, none, healthz},
      {"GET", "/.well-known/leastdata-keys.json", public_, none, handlers::keys},
      {"GET", "/v1/oauth/callback", public_, none, oauth_callback},
      // services/sign_in.cpp
      {"POST", "/v1/sessions/start", tenant, none, start_sign_in},
      {"POST", "/v1/sessions", tenant, json, sign_in},
      {"DELETE", "/v1/sessions/current", agent, none, sign_out},
      // services/agents.cpp, services/settings.cpp
      {"PUT", "/v1/agents/me", agent, optional_json, put_agent},
      {"GET", "/v1/settings/{app}", agent, none, get_settings},
      {"PUT", "/v1/settings/{app}", admin, json, put_settings},
      // services/tokens.cpp: an agent's own, and the installation's shared ones
      {"GET", "/v1/tokens/{name}", agent, none, get_token},
      {"PUT", "/v1/tokens/{name}", agent, json, put_token},
      {"DELETE", "/v1/tokens/{name}", agent, none, delete_token},
      {"GET", "/v1/shared-tokens/{name}", agent, none, get_token, installation_wide},
      {"PUT", "/v1/shared-tokens/{name}", admin, json, put_token, installation_wide},
      {"DELETE", "/v1/shared-tokens/{name}", admin, none, delete_token, installation_wide},
      // services/stats.cpp
      {"POST", "/v1/stats", agent, json, post_stats},
      {"GET", "/v1/stats", agent, none, get_stats},
      // services/jobs.cpp
      {"POST", "/v1/jobs", agent, json, create_job},
      {"GET", "/v1/jobs/{id}", agent, none, get_job},
      {"PATCH", "/v1/jobs/{id}", agent, json, patch_job},
      {"POST", "/v1/jobs/{id}/complete", agent, none, complete_job},
      {"POST", "/v1/jobs/{id}/stop", agent, none, stop_job},
      // services/access_routes.cpp: every signed-in user; each copy of an app declares what it
      // runs and reports what it read
      {"PUT", "/v1/access/policies/{app}", agent, json, declare_policy},
      {"POST", "/v1/access/observed", agent, json, post_observed},
      // services/report.cpp, deletion.cpp, lifecycle.cpp
      {"GET", "/v1/report", admin, none, report, open_while_lapsed},
      {"POST", "/v1/deletion", admin, json, deletion, open_while_lapsed},
      {"POST", "/v1/lifecycle/deactivate", admin, none, deactivate, not_activity},
   };
   return table;
}

}  // namespace leastdata::server
