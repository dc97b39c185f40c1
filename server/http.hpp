// The HTTP API of DESIGN §7 on cpp-httplib, in layers: connections (connections.hpp) → the
// router (http/router.hpp) → one service per resource (services/) → the store. This file
// hands httplib every request and its own refusals. The API: routing (404 vs 405), authentication and
// roles, content types and body limits, validation, JSON errors
// {"error":{"code","message"}}, per-tenant rate limiting and request logs. The route
// table and every behaviour decision are documented in docs/endpoint.md and
// docs/openapi.yaml.
#pragma once

#include "auth.hpp"
#include "certificates.hpp"
#include "clock.hpp"
#include "keys.hpp"
#include "sessions.hpp"
#include "store/store.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace leastdata::server {

struct HttpConfig {
      std::string region = "eu-central-1";
      std::size_t max_body = 1024 * 1024;         // every request body
      std::size_t max_settings_body = 64 * 1024;  // PUT /v1/settings/{app}
      std::size_t max_token_value = 8 * 1024;     // bytes of a token's value
      double rate_limit_per_minute = 600;         // per tenant, per instance
      // Failed authentications per minute, per source address and per claimed issuer, per
      // instance: past it further failures get 429 instead of 401; valid tokens always pass.
      double auth_failures_per_minute = 30;
};

class Api final {
   public:
      /// `sessions`: sign-in with Zendesk decides users and roles (--identity zendesk); null:
      /// the JWT's claims do (--identity claims).
      Api(Store& store, const Clock& clock, const Authenticator& auth, CertificateIssuer& issuer,
          const SessionService* sessions, HttpConfig config);
      ~Api();
      Api(const Api&) = delete;
      Api& operator=(const Api&) = delete;

      /// Registers the routes and handlers on `server` (payload limit included).
      void install(httplib::Server& server);

   private:
      class Impl;
      std::unique_ptr<Impl> m_impl;
};

}  // namespace leastdata::server
