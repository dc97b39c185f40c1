// See router.hpp. The order of checks is docs/endpoint.md's "Order of checks".
#include "http/router.hpp"

#include "http.hpp"
#include "log.hpp"
#include "services/lifecycle.hpp"
#include "store/sql.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>

namespace leastdata::server {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
   std::vector<std::string_view> out;
   if(path.empty() || path[0] != '/') {
      return out;
   }
   path.remove_prefix(1);
   for(;;) {
      const auto slash = path.find('/');
      out.push_back(path.substr(0, slash));
      if(slash == std::string_view::npos) {
         return out;
      }
      path.remove_prefix(slash + 1);
   }
}

bool path_matches(const Route& route, const std::vector<std::string_view>& parts, std::vector<std::string>& params) {
   const auto segments = split_path(route.pattern);
   if(segments.size() != parts.size()) {
      return false;
   }
   params.clear();
   for(std::size_t i = 0; i < parts.size(); ++i) {
      if(!segments[i].empty() && segments[i].front() == '{') {
         if(parts[i].empty()) {
            return false;
         }
         params.emplace_back(parts[i]);
      } else if(segments[i] != parts[i]) {
         return false;
      }
   }
   return true;
}

void check_content_type(const Route& route, const httplib::Request& req) {
   if(route.body == Body::none || (route.body == Body::optional_json && req.body.empty())) {
      return;
   }
   std::string type = req.get_header_value("Content-Type");
   std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
   const std::string_view expected = "application/json";
   if(type.rfind(expected, 0) != 0 ||
      (type.size() > expected.size() && type[expected.size()] != ';' && type[expected.size()] != ' ')) {
      throw ApiError(ErrorCode::unsupported_media_type, "send Content-Type: application/json");
   }
}

Reply error_reply(int status, ErrorCode code, const std::string& message) {
   return Reply{status, ApiError::body(code, message), {}};
}

ApiError too_many_failures(long wait) {
   return ApiError(ErrorCode::rate_limited, "too many failed authentications; retry after " + std::to_string(wait) + " s")
      .with_header("Retry-After", std::to_string(wait))
      .with_log_detail("authentication failures limited");
}

}  // namespace

Router::Router(Endpoint& endpoint, const Clock& clock, double requests_per_minute, double auth_failures_per_minute) :
   m_endpoint(endpoint), m_clock(clock), m_limiter(requests_per_minute), m_auth_failures(auth_failures_per_minute) {}

Reply Router::dispatch(const httplib::Request& req) {
   const auto started = std::chrono::steady_clock::now();
   const auto parts = split_path(req.path);
   const Route* route = nullptr;
   std::vector<std::string> params;
   std::string allowed;
   for(const Route& r : routes()) {
      std::vector<std::string> p;
      if(!path_matches(r, parts, p)) {
         continue;
      }
      const std::string_view method = r.method;
      if(method == req.method || (req.method == "HEAD" && method == "GET")) {
         route = &r;
         params = std::move(p);
         break;
      }
      allowed += (allowed.empty() ? "" : ", ") + std::string(method);
   }
   const std::string pattern = route ? route->pattern : "?";

   Reply reply;
   std::string log_detail;
   try {
      if(route == nullptr) {
         if(allowed.empty()) {
            throw ApiError(ErrorCode::not_found, "no such route");
         }
         reply.headers.emplace_back("Allow", allowed);
         throw ApiError(ErrorCode::method_not_allowed, "allowed: " + allowed);
      }
      Call call{req, m_endpoint, std::move(params), std::nullopt, m_clock.now(), route->flags};
      if(route->access != Access::public_) {
         authorise(*route, call);
      }
      check_content_type(*route, req);
      reply = route->handler(call);
   } catch(const ApiError& e) {
      log_detail = e.log_detail();
      auto headers = std::move(reply.headers);
      reply = Reply{e.status(), e.body(), std::move(headers)};
      reply.headers.insert(reply.headers.end(), e.headers().begin(), e.headers().end());
      if(e.status() == 401) {
         reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"leastdata\"");
      }
   } catch(const QuotaExceeded& e) {
      reply = error_reply(403, ErrorCode::quota_exceeded,
                          std::string(e.what()) +
                             "; nothing was written. Delete what is no longer needed, or ask the operator to raise it "
                             "(--quota)");
   } catch(const IntegrityError& e) {
      log::error("integrity_error", {{"route", pattern}, {"detail", e.what()}});
      reply = error_reply(500, ErrorCode::internal_error, "stored data could not be decrypted");
   } catch(const sql::StorageFull& e) {
      // Not 503: another instance or a retry in a moment would not help, an operator must.
      log::error("storage_full", {{"route", pattern}, {"detail", e.what()}});
      reply = error_reply(507, ErrorCode::insufficient_storage, "the database's disk is full; nothing was written");
   } catch(const sql::DatabaseError& e) {
      log::error("database_error", {{"route", pattern}, {"detail", e.what()}});
      reply = error_reply(503, ErrorCode::unavailable, "the database is unavailable");
   } catch(const std::exception& e) {
      log::error("internal_error", {{"route", pattern}, {"detail", e.what()}});
      reply = error_reply(500, ErrorCode::internal_error, "internal error");
   }

   const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
   nlohmann::json fields{{"method", req.method},
                         {"route", route ? route->pattern : "unmatched"},
                         {"status", reply.status},
                         {"duration_ms", ms.count()}};
   if(!log_detail.empty()) {
      fields["detail"] = log_detail;
   }
   log::info("request", fields);
   return reply;
}

// Failed authentications are limited per source address and per claimed issuer. Only
// failures are held back: requests through Zendesk's proxy all come from Zendesk's addresses,
// and failures in a tenant's name must not lock its real agents out, so a valid token always
// passes. Past either limit a failure is 429 instead of 401.
Identity Router::authenticate(const Call& call) {
   const std::string header = call.req.get_header_value("Authorization");
   try {
      return m_endpoint.auth.authenticate(header);
   } catch(const ApiError&) {
      const long by_source = m_auth_failures.take("addr:" + call.req.remote_addr, call.now);
      const std::string issuer = Authenticator::claimed_issuer(header);
      const long by_issuer = issuer.empty() ? 0 : m_auth_failures.take("iss:" + issuer, call.now);
      if(by_source > 0 || by_issuer > 0) {
         throw too_many_failures(std::max(by_source, by_issuer));
      }
      throw;
   }
}

void Router::authorise(const Route& route, Call& call) {
   Identity who = authenticate(call);
   if(who.tenant.status == "inactive") {
      if(who.tenant.inactive_reason.value_or("") == "subscription_lapsed") {
         if((route.flags & route_flag::open_while_lapsed) == 0 && route.access != Access::tenant) {
            throw ApiError(ErrorCode::tenant_inactive,
                           "the subscription has lapsed; the operator must reactivate it (the report and deletion "
                           "stay open)");
         }
      } else if((route.flags & route_flag::not_activity) == 0) {
         lifecycle::reactivate(m_endpoint.store, who.tenant, call.now);
      }
   }
   if(const long wait = m_limiter.take(who.tenant.id, call.now); wait > 0) {
      throw ApiError(ErrorCode::rate_limited, "too many requests; retry after " + std::to_string(wait) + " s")
         .with_header("Retry-After", std::to_string(wait));
   }
   const SessionService* sessions = m_endpoint.sessions;
   if(sessions != nullptr && route.access != Access::tenant) {
      // The user is the session's, as Zendesk said; what the JWT claims about the user (sub,
      // role, email) is ignored.
      const std::string credential = call.req.get_header_value(SessionService::k_header);
      if(credential.empty()) {
         throw ApiError(ErrorCode::session_required,
                        "sign in with Zendesk first (POST /v1/sessions/start), then send the session in " +
                           std::string(SessionService::k_header));
      }
      sessions->resolve(who, credential, call.now);
   } else if(sessions == nullptr && route.access == Access::tenant) {
      throw ApiError(ErrorCode::not_found, "sign-in with Zendesk is not enabled on this endpoint (serve --identity zendesk)");
   }
   if(route.access == Access::admin && !who.is_admin()) {
      throw ApiError(ErrorCode::forbidden, "this operation needs role admin");
   }
   call.who = std::move(who);
}

}  // namespace leastdata::server
