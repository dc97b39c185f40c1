// The router: finds the route of a request in the route table (routes.cpp), runs the checks
// the route's flags ask for - token, tenant state, rate limit, session, role, content type -
// in the order docs/endpoint.md gives, calls the route's handler, and turns every failure
// into a JSON error reply. Handlers (services/) never see a request that failed a check.
#pragma once

#include "http/call.hpp"
#include "http/rate_limiter.hpp"

#include <string>
#include <vector>

namespace leastdata::server {

// Who may call a route. tenant: a valid JWT (it proves the tenant), no user needed: the
// sign-in routes. agent, admin: a user; with sign-in with Zendesk the user and role of the
// session.
enum class Access { public_, tenant, agent, admin };

// What a route takes: no body, an optional JSON one, or a JSON one.
enum class Body { none, optional_json, json_required };

// What a route allows beyond its access.
namespace route_flag {
// A tenant whose subscription lapsed may still use it: it can always ask what is stored
// about it, and ask for its deletion.
inline constexpr unsigned open_while_lapsed = 1;
// Calling it does not count as use of an uninstalled app (which reactivates the tenant).
inline constexpr unsigned not_activity = 2;
// The route acts for the installation, not for the calling agent (shared tokens).
inline constexpr unsigned installation_wide = 4;
}  // namespace route_flag

using Handler = Reply (*)(Call&);

struct Route {
      const char* method;
      const char* pattern;  // "/v1/settings/{app}": a {name} is one non-empty segment
      Access access;
      Body body;
      Handler handler;
      unsigned flags = 0;  // route_flag
};

/// The route table (routes.cpp).
const std::vector<Route>& routes();

class Router final {
   public:
      Router(Endpoint& endpoint, const Clock& clock, double requests_per_minute, double auth_failures_per_minute);

      /// Answers one request; never throws.
      Reply dispatch(const httplib::Request& req);

   private:
      void authorise(const Route& route, Call& call);
      Identity authenticate(const Call& call);

      Endpoint& m_endpoint;
      const Clock& m_clock;
      RateLimiter m_limiter;
      RateLimiter m_auth_failures;
};

}  // namespace leastdata::server
