// What a route's handler works with: the request and its verified caller (`Call`), the
// endpoint's parts (`Endpoint`), and what it answers (`Reply`). Handlers live in services/,
// one file per resource; the router (router.hpp) calls them once the route's checks passed.
#pragma once

#include "access.hpp"
#include "api_error.hpp"
#include "auth.hpp"
#include "certificates.hpp"
#include "clock.hpp"
#include "sessions.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace httplib {
struct Request;
}

namespace leastdata::server {

struct HttpConfig;

/// The parts of the endpoint the services use.
struct Endpoint {
      Store& store;
      const Authenticator& auth;
      CertificateIssuer& issuer;
      const SessionService* sessions;  // null: users and roles from the JWT claims (--identity claims)
      const HttpConfig& config;
      AccessService& access;
};

struct Call {
      const httplib::Request& req;
      Endpoint& ep;
      std::vector<std::string> params;  // the route's {placeholders}, in order
      std::optional<Identity> who;      // set for every route that is not public
      Millis now = 0;
      unsigned flags = 0;               // the route's (router.hpp, route_flag)

      const std::string& tenant_id() const { return who->tenant.id; }
      const DataKey& data_key() const { return *who->data_key; }
};

struct Reply {
      int status = 200;
      std::string body;
      std::vector<std::pair<std::string, std::string>> headers;
      std::string content_type = "application/json";
};

inline Reply json_reply(int status, const nlohmann::json& body) {
   return Reply{status, body.dump(), {}};
}

/// The body as a strict JSON object (400 invalid_json, 400 invalid_request otherwise).
nlohmann::json parse_body(const Call& call);

[[noreturn]] inline void bad_request(const std::string& message) {
   throw ApiError(ErrorCode::invalid_request, message);
}

[[noreturn]] inline void not_found(const std::string& what) {
   throw ApiError(ErrorCode::not_found, what + " not found");
}

/// The route's app name parameter, checked (valid_app).
const std::string& app_param(const Call& call);

nlohmann::json time_or_null(const std::optional<Millis>& at);

}  // namespace leastdata::server
