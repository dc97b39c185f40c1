// The API on cpp-httplib: every method and path goes to the router; httplib's own refusals
// and escaped exceptions get the JSON error format too.
#include "http.hpp"

#include "http/router.hpp"
#include "log.hpp"

#include <httplib.h>

namespace leastdata::server {

class Api::Impl final {
   public:
      Impl(Store& store, const Clock& clock, const Authenticator& auth, CertificateIssuer& issuer,
           const SessionService* sessions, HttpConfig config) :
         m_config(std::move(config)), m_access(store), m_endpoint{store, auth, issuer, sessions, m_config, m_access},
         m_router(m_endpoint, clock, m_config.rate_limit_per_minute, m_config.auth_failures_per_minute) {}

      void install(httplib::Server& server) {
         server.set_payload_max_length(m_config.max_body);
         const auto handler = [this](const httplib::Request& req, httplib::Response& res) { answer(m_router.dispatch(req), res); };
         server.Get(".*", handler);
         server.Put(".*", handler);
         server.Post(".*", handler);
         server.Patch(".*", handler);
         server.Delete(".*", handler);
         server.Options(".*", handler);
         // httplib's own refusals (oversized payload, malformed request line) get JSON too.
         server.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
            if(!res.body.empty()) {
               return httplib::Server::HandlerResponse::Unhandled;
            }
            const ErrorCode code = res.status == 413   ? ErrorCode::payload_too_large
                                   : res.status == 404 ? ErrorCode::not_found
                                                       : ErrorCode::invalid_request;
            const std::string message =
               res.status == 413 ? "the request body is too large" : "the request could not be processed";
            res.set_content(ApiError::body(code, message), "application/json");
            return httplib::Server::HandlerResponse::Handled;
         }));
         server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
            std::string detail = "unknown exception";
            try {
               std::rethrow_exception(error);
            } catch(const std::exception& e) {
               detail = e.what();
            } catch(...) {
            }
            log::error("internal_error", {{"route", "unhandled"}, {"detail", detail}});
            res.status = 500;
            res.set_content(ApiError::body(ErrorCode::internal_error, "internal error"), "application/json");
         });
      }

   private:
      static void answer(const Reply& reply, httplib::Response& res) {
         res.status = reply.status;
         for(const auto& [name, value] : reply.headers) {
            res.set_header(name, value);
         }
         if(res.get_header_value("Cache-Control").empty()) {
            res.set_header("Cache-Control", "no-store");
         }
         res.set_header("X-Content-Type-Options", "nosniff");
         if(reply.status != 204) {
            res.set_content(reply.body, reply.content_type);
         }
      }

      HttpConfig m_config;
      AccessService m_access;
      Endpoint m_endpoint;
      Router m_router;
};

Api::Api(Store& store, const Clock& clock, const Authenticator& auth, CertificateIssuer& issuer,
         const SessionService* sessions, HttpConfig config) :
   m_impl(std::make_unique<Impl>(store, clock, auth, issuer, sessions, std::move(config))) {}

Api::~Api() = default;

void Api::install(httplib::Server& server) {
   m_impl->install(server);
}

}  // namespace leastdata::server
