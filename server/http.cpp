// Routes and handlers of the endpoint. Each handler validates everything it reads, works
// only on the tenant of the verified token, and answers JSON.
#include "http.hpp"

#include "access.hpp"
#include "api_error.hpp"
#include "app_name.hpp"
#include "log.hpp"
#include "store/sql.hpp"
#include "tenants.hpp"

#include "leastdata/crypto.hpp"
#include "leastdata/jcs.hpp"
#include "leastdata/job_ids.hpp"
#include "leastdata/policy.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <unordered_map>

namespace leastdata::server {

namespace {

using nlohmann::json;

constexpr std::int64_t k_max_safe_integer = (std::int64_t{1} << 53) - 1;
constexpr std::size_t k_max_counters = 256;

// ---- validation helpers -----------------------------------------------------------------

template <typename Allowed>
bool matches(std::string_view s, std::size_t min, std::size_t max, Allowed allowed) {
   return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), allowed);
}

bool lower_alnum(char c) {
   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool alnum(char c) {
   return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

// Token names: [A-Za-z0-9_.-]{1,64}
bool valid_token_name(std::string_view s) {
   return matches(s, 1, 64, [](char c) { return alnum(c) || c == '_' || c == '.' || c == '-'; });
}

// Statistic names: [a-z0-9_]{1,64}
bool valid_stat_name(std::string_view s) {
   return matches(s, 1, 64, [](char c) { return lower_alnum(c) || c == '_'; });
}

// Job kinds: [a-z0-9_.-]{1,64}
bool valid_job_kind(std::string_view s) {
   return matches(s, 1, 64, [](char c) { return lower_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

// Opaque cursors: [A-Za-z0-9_\-=.:]{0,256}
bool valid_cursor(std::string_view s) {
   return matches(s, 0, 256, [](char c) { return alnum(c) || c == '_' || c == '-' || c == '=' || c == '.' || c == ':'; });
}

bool valid_job_id(std::string_view s) {
   return matches(s, 1, 64, [](char c) { return alnum(c) || c == '_' || c == '-'; });
}

[[noreturn]] void bad_request(const std::string& message) {
   throw ApiError(400, "invalid_request", message);
}

[[noreturn]] void personal_data(const std::string& message) {
   throw ApiError(422, "personal_data", message + " (jobs hold only numeric ids and an opaque cursor)");
}

[[noreturn]] void invalid_stats(const std::string& message) {
   throw ApiError(422, "invalid_stats", message);
}

[[noreturn]] void not_found(const std::string& what) {
   throw ApiError(404, "not_found", what + " not found");
}

std::string random_id(std::string_view prefix) {
   std::array<std::uint8_t, 16> raw{};
   crypto::random_bytes(raw);
   return std::string(prefix) + crypto::base64url_encode(raw);
}

json time_or_null(const std::optional<Millis>& at) {
   return at ? json(format_time(*at)) : json(nullptr);
}

// A job ID (the core's one rule, job_ids.hpp) in canonical form: integers as unsigned.
std::optional<json> normalise_id(const json& v) {
   if(!leastdata::is_job_id(v)) {
      return std::nullopt;
   }
   return v.is_string() ? v : json(v.get<std::uint64_t>());
}

// ---- exact numbers ------------------------------------------------------------------------

// A JSON number's decimal value: sign, significant digits, and the power of ten of the
// first digit. Zero (whatever its sign or form) has no digits.
struct Decimal {
      bool negative = false;
      std::string digits;
      long exponent = 0;
      bool operator==(const Decimal&) const = default;
};

Decimal decimal_of(std::string_view number) {
   Decimal d;
   std::size_t i = 0;
   if(i < number.size() && number[i] == '-') {
      d.negative = true;
      ++i;
   }
   long point = 0;  // digits before the decimal point
   bool in_fraction = false;
   for(; i < number.size() && number[i] != 'e' && number[i] != 'E'; ++i) {
      if(number[i] == '.') {
         in_fraction = true;
         continue;
      }
      d.digits.push_back(number[i]);
      if(!in_fraction) {
         ++point;
      }
   }
   long exponent = 0;
   if(i < number.size()) {
      ++i;
      bool negative_exponent = false;
      if(i < number.size() && (number[i] == '+' || number[i] == '-')) {
         negative_exponent = number[i] == '-';
         ++i;
      }
      for(; i < number.size(); ++i) {
         exponent = std::min<long>(exponent * 10 + (number[i] - '0'), 1'000'000'000);  // far past any double
      }
      if(negative_exponent) {
         exponent = -exponent;
      }
   }
   const auto first = d.digits.find_first_not_of('0');
   if(first == std::string::npos) {
      return Decimal{};
   }
   d.exponent = exponent + point - static_cast<long>(first);
   d.digits.erase(0, first);
   d.digits.erase(d.digits.find_last_not_of('0') + 1);
   return d;
}

// Whether every number in the JSON text `text` (already validated) keeps its exact decimal
// value through the parse and print a stored document goes through. Numbers are kept as
// 64-bit integers or IEEE-754 doubles: 123456789012345678901234567890 would come back as
// 1.2345678901234568e+29, so it is refused rather than changed.
bool numbers_exact(std::string_view text) {
   for(std::size_t i = 0; i < text.size();) {
      const char c = text[i];
      if(c == '"') {
         for(++i; i < text.size() && text[i] != '"'; ++i) {
            if(text[i] == '\\') {
               ++i;
            }
         }
         ++i;
      } else if(c == '-' || (c >= '0' && c <= '9')) {
         const std::size_t start = i;
         while(i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '-' || text[i] == '+' ||
                                   text[i] == '.' || text[i] == 'e' || text[i] == 'E')) {
            ++i;
         }
         const std::string_view number = text.substr(start, i - start);
         if(!(decimal_of(number) == decimal_of(json::parse(number).dump()))) {
            return false;
         }
      } else {
         ++i;
      }
   }
   return true;
}

// ---- rate limiting --------------------------------------------------------------------

class RateLimiter final {
   public:
      explicit RateLimiter(double per_minute) : m_capacity(per_minute), m_rate(per_minute / 60000.0) {}

      /// 0 if allowed (and counted), else the seconds to wait.
      long take(const std::string& key, Millis now) {
         if(m_capacity <= 0) {
            return 0;
         }
         const std::lock_guard lock(m_mutex);
         if(m_buckets.size() > 100000) {
            m_buckets.clear();  // a full reset only ever lets requests through
         }
         auto [it, inserted] = m_buckets.try_emplace(key, Bucket{m_capacity, now});
         Bucket& b = it->second;
         b.tokens = std::min(m_capacity, b.tokens + static_cast<double>(std::max<Millis>(0, now - b.at)) * m_rate);
         b.at = now;
         if(b.tokens >= 1.0) {
            b.tokens -= 1.0;
            return 0;
         }
         return static_cast<long>(std::ceil((1.0 - b.tokens) / m_rate / 1000.0));
      }

   private:
      struct Bucket {
            double tokens;
            Millis at;
      };
      double m_capacity;
      double m_rate;  // tokens per millisecond
      std::mutex m_mutex;
      std::unordered_map<std::string, Bucket> m_buckets;
};

// ---- routing ----------------------------------------------------------------------------

// tenant: a valid JWT (it proves the tenant), no user needed: the sign-in routes.
// agent, admin: a user; with sign-in with Zendesk the user and role of the session.
enum class Access { public_, tenant, agent, admin };
enum class Body { none, optional_json, json_required };

struct Reply {
      int status = 200;
      std::string body;
      std::vector<std::pair<std::string, std::string>> headers;
      std::string content_type = "application/json";
};

Reply json_reply(int status, const json& body) {
   return Reply{status, body.dump(), {}};
}

std::string error_body(const std::string& code, const std::string& message) {
   // `replace`: an error reply must never fail to be written (dump throws on invalid UTF-8).
   return json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

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

}  // namespace

class Api::Impl final {
   public:
      Impl(Store& store, const Clock& clock, const Authenticator& auth, CertificateIssuer& issuer,
           const SessionService* sessions, HttpConfig config) :
         m_store(store), m_clock(clock), m_auth(auth), m_issuer(issuer), m_sessions(sessions),
         m_config(std::move(config)), m_access(store), m_limiter(m_config.rate_limit_per_minute),
         m_auth_failures(m_config.auth_failures_per_minute) {
         add("GET", "/healthz", Access::public_, Body::none, &Impl::healthz);
         add("GET", "/.well-known/leastdata-keys.json", Access::public_, Body::none, &Impl::keys);
         add("GET", "/v1/oauth/callback", Access::public_, Body::none, &Impl::oauth_callback);
         add("POST", "/v1/sessions/start", Access::tenant, Body::none, &Impl::start_sign_in);
         add("POST", "/v1/sessions", Access::tenant, Body::json_required, &Impl::sign_in);
         add("DELETE", "/v1/sessions/current", Access::agent, Body::none, &Impl::sign_out);
         add("PUT", "/v1/agents/me", Access::agent, Body::optional_json, &Impl::put_agent);
         add("GET", "/v1/settings/{app}", Access::agent, Body::none, &Impl::get_settings);
         add("PUT", "/v1/settings/{app}", Access::admin, Body::json_required, &Impl::put_settings);
         add("GET", "/v1/tokens/{name}", Access::agent, Body::none, &Impl::get_token);
         add("PUT", "/v1/tokens/{name}", Access::agent, Body::json_required, &Impl::put_token);
         add("DELETE", "/v1/tokens/{name}", Access::agent, Body::none, &Impl::delete_token);
         add("GET", "/v1/shared-tokens/{name}", Access::agent, Body::none, &Impl::get_token);
         add("PUT", "/v1/shared-tokens/{name}", Access::admin, Body::json_required, &Impl::put_token);
         add("DELETE", "/v1/shared-tokens/{name}", Access::admin, Body::none, &Impl::delete_token);
         add("POST", "/v1/stats", Access::agent, Body::json_required, &Impl::post_stats);
         add("GET", "/v1/stats", Access::agent, Body::none, &Impl::get_stats);
         add("POST", "/v1/jobs", Access::agent, Body::json_required, &Impl::create_job);
         add("GET", "/v1/jobs/{id}", Access::agent, Body::none, &Impl::get_job);
         add("PATCH", "/v1/jobs/{id}", Access::agent, Body::json_required, &Impl::patch_job);
         add("POST", "/v1/jobs/{id}/complete", Access::agent, Body::none, &Impl::complete_job);
         add("POST", "/v1/jobs/{id}/stop", Access::agent, Body::none, &Impl::stop_job);
         // Every signed-in user: each copy of an app declares what it runs and reports what it read.
         add("PUT", "/v1/access/policies/{app}", Access::agent, Body::json_required, &Impl::declare_policy);
         add("POST", "/v1/access/observed", Access::agent, Body::json_required, &Impl::post_observed);
         add("GET", "/v1/report", Access::admin, Body::none, &Impl::report);
         add("POST", "/v1/deletion", Access::admin, Body::json_required, &Impl::deletion);
         add("POST", "/v1/lifecycle/deactivate", Access::admin, Body::none, &Impl::deactivate);
      }

      void install(httplib::Server& server) {
         server.set_payload_max_length(m_config.max_body);
         const auto handler = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); };
         server.Get(".*", handler);
         server.Put(".*", handler);
         server.Post(".*", handler);
         server.Patch(".*", handler);
         server.Delete(".*", handler);
         server.Options(".*", handler);
         // httplib's own refusals (oversized payload, malformed request line) get JSON too.
         server.set_error_handler(httplib::Server::HandlerWithResponse(
            [](const httplib::Request&, httplib::Response& res) {
            if(!res.body.empty()) {
               return httplib::Server::HandlerResponse::Unhandled;
            }
            const std::string code = res.status == 413 ? "payload_too_large"
                                     : res.status == 404 ? "not_found"
                                                         : "invalid_request";
            const std::string message = res.status == 413 ? "the request body is too large"
                                                          : "the request could not be processed";
            res.set_content(error_body(code, message), "application/json");
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
            res.set_content(error_body("internal", "internal error"), "application/json");
         });
      }

   private:
      struct Call {
            const httplib::Request& req;
            std::vector<std::string> params;
            std::optional<Identity> who;
            Millis now = 0;
            bool shared = false;  // shared-token routes
      };

      using Handler = Reply (Impl::*)(Call&);

      struct Route {
            std::string method;
            std::string pattern;
            std::vector<std::string> segments;
            Access access;
            Body body;
            Handler handler;
      };

      void add(std::string method, std::string pattern, Access access, Body body, Handler handler) {
         std::vector<std::string> segments;
         for(const auto s : split_path(pattern)) {
            segments.emplace_back(s);
         }
         m_routes.push_back(Route{std::move(method), std::move(pattern), std::move(segments), access, body, handler});
      }

      static bool path_matches(const Route& route, const std::vector<std::string_view>& parts,
                               std::vector<std::string>& params) {
         if(route.segments.size() != parts.size()) {
            return false;
         }
         params.clear();
         for(std::size_t i = 0; i < parts.size(); ++i) {
            const auto& s = route.segments[i];
            if(!s.empty() && s.front() == '{') {
               if(parts[i].empty()) {
                  return false;
               }
               params.emplace_back(parts[i]);
            } else if(s != parts[i]) {
               return false;
            }
         }
         return true;
      }

      void dispatch(const httplib::Request& req, httplib::Response& res) {
         const auto started = std::chrono::steady_clock::now();
         const auto parts = split_path(req.path);
         const Route* route = nullptr;
         std::vector<std::string> params;
         std::string allowed;
         for(const Route& r : m_routes) {
            std::vector<std::string> p;
            if(!path_matches(r, parts, p)) {
               continue;
            }
            const bool head = req.method == "HEAD" && r.method == "GET";
            if(r.method == req.method || head) {
               route = &r;
               params = std::move(p);
               break;
            }
            allowed += (allowed.empty() ? "" : ", ") + r.method;
         }

         Reply reply;
         std::string log_detail;
         try {
            if(route == nullptr) {
               if(allowed.empty()) {
                  throw ApiError(404, "not_found", "no such route");
               }
               reply.headers.emplace_back("Allow", allowed);
               throw ApiError(405, "method_not_allowed", "allowed: " + allowed);
            }
            Call call{req, std::move(params), std::nullopt, m_clock.now(),
                      route->pattern.rfind("/v1/shared-tokens/", 0) == 0};
            if(route->access != Access::public_) {
               authorise(*route, call);
            }
            check_body(*route, req);
            reply = (this->*(route->handler))(call);
         } catch(const ApiError& e) {
            log_detail = e.log_detail();
            auto headers = std::move(reply.headers);
            reply = Reply{e.status(), error_body(e.code(), e.what()), std::move(headers)};
            reply.headers.insert(reply.headers.end(), e.headers().begin(), e.headers().end());
            if(e.status() == 401) {
               reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"leastdata\"");
            }
         } catch(const QuotaExceeded& e) {
            reply = Reply{403,
                          error_body("quota_exceeded", std::string(e.what()) +
                                                          "; nothing was written. Delete what is no longer needed, or "
                                                          "ask the operator to raise it (--quota)"),
                          {}};
         } catch(const IntegrityError& e) {
            log::error("integrity_error", {{"route", route ? route->pattern : "?"}, {"detail", e.what()}});
            reply = Reply{500, error_body("internal", "stored data could not be decrypted"), {}};
         } catch(const sql::StorageFull& e) {
            // Not 503: another instance or a retry in a moment would not help, an operator must.
            log::error("storage_full", {{"route", route ? route->pattern : "?"}, {"detail", e.what()}});
            reply = Reply{507, error_body("insufficient_storage", "the database's disk is full; nothing was written"), {}};
         } catch(const sql::DatabaseError& e) {
            log::error("database_error", {{"route", route ? route->pattern : "?"}, {"detail", e.what()}});
            reply = Reply{503, error_body("unavailable", "the database is unavailable"), {}};
         } catch(const std::exception& e) {
            log::error("internal_error", {{"route", route ? route->pattern : "?"}, {"detail", e.what()}});
            reply = Reply{500, error_body("internal", "internal error"), {}};
         }

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
         const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
         json fields{{"method", req.method},
                     {"route", route ? route->pattern : "unmatched"},
                     {"status", reply.status},
                     {"duration_ms", ms.count()}};
         if(!log_detail.empty()) {
            fields["detail"] = log_detail;
         }
         log::info("request", fields);
      }

      // Failed authentications are limited per source address and per claimed issuer. Only
      // failures are held back: requests through Zendesk's proxy all come from Zendesk's
      // addresses, and failures in a tenant's name must not lock its real agents out, so a
      // valid token always passes. Past either limit a failure is 429 instead of 401.
      Identity authenticate(const Call& call) {
         const std::string header = call.req.get_header_value("Authorization");
         try {
            return m_auth.authenticate(header);
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

      static ApiError too_many_failures(long wait) {
         return ApiError(429, "rate_limited", "too many failed authentications; retry after " + std::to_string(wait) + " s")
            .with_header("Retry-After", std::to_string(wait))
            .with_log_detail("authentication failures limited");
      }

      // Routes a tenant whose subscription lapsed may still use: it can always ask what is
      // stored about it, and ask for its deletion.
      static bool open_while_lapsed(const Route& route) {
         return route.pattern == "/v1/report" || route.pattern == "/v1/deletion" || route.access == Access::tenant;
      }

      void authorise(const Route& route, Call& call) {
         Identity who = authenticate(call);
         const bool deactivating = route.pattern == "/v1/lifecycle/deactivate";
         if(who.tenant.status == "inactive") {
            if(who.tenant.inactive_reason.value_or("") == "subscription_lapsed") {
               if(!open_while_lapsed(route)) {
                  throw ApiError(403, "tenant_inactive",
                                 "the subscription has lapsed; the operator must reactivate it (the report and "
                                 "deletion stay open)");
               }
            } else if(!deactivating) {
               // An uninstalled app that is used again has been reinstalled.
               m_store.set_tenant_status(who.tenant.id, "active", std::nullopt, std::nullopt, call.now);
               who.tenant.status = "active";
               who.tenant.inactive_reason.reset();
               who.tenant.inactive_since.reset();
               log::info("tenant_reactivated");
            }
         }
         if(const long wait = m_limiter.take(who.tenant.id, call.now); wait > 0) {
            throw ApiError(429, "rate_limited", "too many requests; retry after " + std::to_string(wait) + " s")
               .with_header("Retry-After", std::to_string(wait));
         }
         if(m_sessions != nullptr && route.access != Access::tenant) {
            // The user is the session's, as Zendesk said; what the JWT claims about the user
            // (sub, role, email) is ignored.
            const std::string credential = call.req.get_header_value(SessionService::k_header);
            if(credential.empty()) {
               throw ApiError(401, "session_required",
                              "sign in with Zendesk first (POST /v1/sessions/start), then send the session in " +
                                 std::string(SessionService::k_header));
            }
            m_sessions->resolve(who, credential, call.now);
         } else if(m_sessions == nullptr && route.access == Access::tenant) {
            throw ApiError(404, "not_found", "sign-in with Zendesk is not enabled on this endpoint (serve --identity zendesk)");
         }
         if(route.access == Access::admin && !who.is_admin()) {
            throw ApiError(403, "forbidden", "this operation needs role admin");
         }
         call.who = std::move(who);
      }

      void check_body(const Route& route, const httplib::Request& req) const {
         if(route.body == Body::none || (route.body == Body::optional_json && req.body.empty())) {
            return;
         }
         std::string type = req.get_header_value("Content-Type");
         std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
         const std::string_view expected = "application/json";
         if(type.rfind(expected, 0) != 0 ||
            (type.size() > expected.size() && type[expected.size()] != ';' && type[expected.size()] != ' ')) {
            throw ApiError(415, "unsupported_media_type", "send Content-Type: application/json");
         }
      }

      static json parse_body(const Call& call) {
         auto value = jcs::parse(call.req.body);
         if(!value) {
            // The parser's own message can quote the input (even bytes that are not UTF-8,
            // which no JSON reply could carry): name the fault by its code instead.
            std::string message = "the body is not valid JSON (" + std::string(value.error().code_name()) + ")";
            if(value.error().offset()) {
               message += " at byte " + std::to_string(*value.error().offset());
            }
            throw ApiError(400, "invalid_json", message);
         }
         if(!value.value().is_object()) {
            bad_request("the body must be a JSON object");
         }
         return std::move(value).value();
      }

      static const DataKey& data_key(const Call& call) { return *call.who->data_key; }

      const std::string& tenant_id(const Call& call) const { return call.who->tenant.id; }

      // ---- public -------------------------------------------------------------------------

      Reply healthz(Call&) {
         try {
            m_store.ping();
         } catch(const std::exception& e) {
            log::error("healthz_database", {{"detail", e.what()}});
            return json_reply(503, {{"status", "unavailable"}, {"region", m_config.region}});
         }
         return json_reply(200, {{"status", "ok"}, {"region", m_config.region}});
      }

      Reply keys(Call&) {
         Reply r{200, m_issuer.jwks(), {}};
         r.headers.emplace_back("Cache-Control", "public, max-age=300");
         return r;
      }

      // ---- sign-in with Zendesk (sessions.hpp) ---------------------------------------------

      Reply oauth_callback(Call&) {
         if(m_sessions == nullptr) {
            not_found("route");
         }
         Reply r{200, m_sessions->callback_page(), {}, "text/html; charset=utf-8"};
         r.headers.emplace_back("Content-Security-Policy", SessionService::callback_csp());
         r.headers.emplace_back("Referrer-Policy", "no-referrer");
         return r;
      }

      Reply start_sign_in(Call& call) {
         const SignInStart start = m_sessions->start(*call.who);
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
         const SignedIn in = m_sessions->sign_in(*call.who, body["state"].get<std::string>(),
                                                 body["code"].get<std::string>(), call.now);
         return json_reply(201, {{"session", in.credential},
                                 {"expires_at", format_time(in.session.expires_at)},
                                 {"agent", {{"id", in.session.agent_id},
                                            {"email", in.email.empty() ? json(nullptr) : json(in.email)},
                                            {"role", in.session.role}}}});
      }

      Reply sign_out(Call& call) {
         if(m_sessions == nullptr) {
            not_found("session");
         }
         m_sessions->sign_out(*call.who, call.req.get_header_value(SessionService::k_header));
         return Reply{204, "", {}};
      }

      // ---- agents -------------------------------------------------------------------------

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
            agent.email = envelope::seal(data_key(call), tenants::email_context(tenant_id(call), who.agent_id), *who.email);
         }
         const auto outcome = m_store.put_agent(tenant_id(call), agent);
         Millis registered_at = call.now;
         for(const Agent& a : m_store.agents(tenant_id(call))) {
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

      // ---- settings -----------------------------------------------------------------------

      static const std::string& app_param(const Call& call) {
         if(!valid_app(call.params[0])) {
            bad_request("an app name is 1-64 characters of [a-z0-9_-], starting with a letter or digit");
         }
         return call.params[0];
      }

      static std::string etag(std::int64_t version) {
         std::string tag(1, '"');
         tag += std::to_string(version);
         tag += '"';
         return tag;
      }

      Reply settings_reply(int status, const json& settings, std::int64_t version, Millis updated_at) {
         Reply r = json_reply(status, {{"settings", settings}, {"version", version}, {"updated_at", format_time(updated_at)}});
         r.headers.emplace_back("ETag", etag(version));
         return r;
      }

      Reply get_settings(Call& call) {
         const std::string& app = app_param(call);
         const auto s = m_store.settings(tenant_id(call), app);
         if(!s) {
            not_found("settings");
         }
         const std::string text =
            envelope::open_string(data_key(call), tenants::settings_context(tenant_id(call), app), s->body);
         return settings_reply(200, json::parse(text), s->version, s->updated_at);
      }

      // If-Match: "*", "<version>" (an ETag) or a bare version number.
      static std::optional<std::int64_t> if_match(const Call& call) {
         if(!call.req.has_header("If-Match")) {
            return std::nullopt;
         }
         std::string v = call.req.get_header_value("If-Match");
         if(v == "*") {
            return -1;
         }
         if(v.size() >= 2 && v.front() == '"' && v.back() == '"') {
            v = v.substr(1, v.size() - 2);
         }
         if(v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos) {
            bad_request("If-Match must be \"*\" or the ETag of the settings");
         }
         return std::stoll(v);
      }

      Reply put_settings(Call& call) {
         const std::string& app = app_param(call);
         if(call.req.body.size() > m_config.max_settings_body) {
            throw ApiError(413, "payload_too_large",
                           "settings are limited to " + std::to_string(m_config.max_settings_body / 1024) + " KiB");
         }
         const json body = parse_body(call);
         if(body.size() != 1 || !body.contains("settings") || !body["settings"].is_object()) {
            bad_request("the body must be {\"settings\":{...}}");
         }
         if(!numbers_exact(call.req.body)) {
            throw ApiError(422, "inexact_number",
                           "a number in the settings cannot be stored exactly (numbers are kept as 64-bit integers or "
                           "IEEE-754 doubles, about 15 significant digits); send it as a string");
         }
         const auto condition = if_match(call);
         const std::string text = body["settings"].dump();
         const DataKey& key = data_key(call);  // read before the store's transaction starts
         const auto [outcome, version] = m_store.put_settings(
            tenant_id(call), app, [&] { return envelope::seal(key, tenants::settings_context(tenant_id(call), app), text); },
            condition, call.now);
         if(outcome == WriteOutcome::conflict) {
            Reply r = json_reply(409, json::parse(error_body("version_conflict",
                                                             version == 0 ? "the settings do not exist yet"
                                                                          : "the settings have changed; current ETag " +
                                                                               etag(version))));
            if(version > 0) {
               r.headers.emplace_back("ETag", etag(version));
            }
            return r;
         }
         return settings_reply(outcome == WriteOutcome::created ? 201 : 200, body["settings"], version, call.now);
      }

      // ---- tokens -------------------------------------------------------------------------

      std::optional<std::string> token_owner(const Call& call) const {
         return call.shared ? std::nullopt : std::optional<std::string>(call.who->agent_id);
      }

      static const std::string& token_name(const Call& call) {
         if(!valid_token_name(call.params[0])) {
            bad_request("a token name is 1-64 characters of [A-Za-z0-9_.-]");
         }
         return call.params[0];
      }

      Reply get_token(Call& call) {
         const std::string& name = token_name(call);
         const auto owner = token_owner(call);
         const auto t = m_store.token(tenant_id(call), owner, name, call.now);
         if(!t) {
            not_found("token");
         }
         std::string row;
         json out = {{"name", name},
                     {"value", envelope::open_string(data_key(call), tenants::token_context(tenant_id(call), owner, name, row),
                                                     t->value)}};
         if(t->expires_at) {
            out["expires_at"] = format_time(*t->expires_at);
         }
         return json_reply(200, out);
      }

      Reply put_token(Call& call) {
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
         if(value.size() > m_config.max_token_value) {
            throw ApiError(413, "payload_too_large",
                           "a token value is limited to " + std::to_string(m_config.max_token_value) + " bytes");
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
         const auto owner = token_owner(call);
         std::string row;
         Token t;
         t.agent_id = owner;
         t.name = name;
         t.value = envelope::seal(data_key(call), tenants::token_context(tenant_id(call), owner, name, row), value);
         t.expires_at = expires_at;
         t.updated_at = call.now;
         const auto outcome = m_store.put_token(tenant_id(call), t);
         json out = {{"name", name}, {"updated_at", format_time(call.now)}};
         if(expires_at) {
            out["expires_at"] = format_time(*expires_at);
         }
         return json_reply(outcome == WriteOutcome::created ? 201 : 200, out);
      }

      Reply delete_token(Call& call) {
         const std::string& name = token_name(call);
         if(!m_store.delete_token(tenant_id(call), token_owner(call), name, call.now)) {
            not_found("token");
         }
         return Reply{204, "", {}};
      }

      // ---- statistics ---------------------------------------------------------------------

      Reply post_stats(Call& call) {
         const json body = parse_body(call);
         for(const auto& [key, value] : body.items()) {
            if(key != "app" && key != "counters") {
               invalid_stats("the body has a member stats do not have; the body is {\"app\":...,\"counters\":{...}}");
            }
         }
         if(!body.contains("app") || !body["app"].is_string() || !valid_app(body["app"].get_ref<const std::string&>())) {
            invalid_stats("app must be 1-64 characters of [a-z0-9_-], starting with a letter or digit");
         }
         if(!body.contains("counters") || !body["counters"].is_object() || body["counters"].empty() ||
            body["counters"].size() > k_max_counters) {
            invalid_stats("counters must be an object with 1 to " + std::to_string(k_max_counters) + " members");
         }
         std::vector<std::pair<std::string, std::int64_t>> counters;
         for(const auto& [name, value] : body["counters"].items()) {
            if(!valid_stat_name(name)) {
               invalid_stats("counter names are 1-64 characters of [a-z0-9_]");
            }
            std::int64_t n = -1;
            if(value.is_number_unsigned()) {
               n = value.get<std::uint64_t>() <= static_cast<std::uint64_t>(k_max_safe_integer)
                      ? static_cast<std::int64_t>(value.get<std::uint64_t>())
                      : -1;
            } else if(value.is_number_integer()) {
               n = value.get<std::int64_t>();
            }
            if(n < 0 || n > k_max_safe_integer) {
               invalid_stats("every counter must be a non-negative integer below 2^53");
            }
            counters.emplace_back(name, n);
         }
         const std::string& app = body["app"].get_ref<const std::string&>();
         const std::string day = format_day(call.now);
         m_store.add_stats(tenant_id(call), app, day, counters);
         return json_reply(200, {{"app", app}, {"day", day}, {"accepted", counters.size()}});
      }

      Reply get_stats(Call& call) {
         const std::string app = call.req.get_param_value("app");
         if(!valid_app(app)) {
            bad_request("query parameter app is required (1-64 characters of [a-z0-9_-])");
         }
         const std::string from = call.req.get_param_value("from");
         const std::string to = call.req.get_param_value("to");
         if((!from.empty() && !parse_day(from)) || (!to.empty() && !parse_day(to))) {
            bad_request("from and to are days, YYYY-MM-DD");
         }
         json days = json::array();
         std::string current;
         for(const StatCounter& c : m_store.stats(tenant_id(call), app, from, to)) {
            if(c.day != current) {
               days.push_back({{"day", c.day}, {"counters", json::object()}});
               current = c.day;
            }
            days.back()["counters"][c.name] = c.value;
         }
         return json_reply(200, {{"app", app}, {"days", std::move(days)}});
      }

      // ---- jobs ---------------------------------------------------------------------------

      // What a job holds besides its kind and times: {"ids":{...},"cursor":...|null}.
      json job_contents(const Call& call, const Job& j) const {
         return json::parse(j.clear_contents ? *j.clear_contents
                                             : envelope::open_string(data_key(call),
                                                                     tenants::job_context(tenant_id(call), j.id),
                                                                     j.contents));
      }

      Blob seal_job_contents(const Call& call, const std::string& job_id, const json& contents) const {
         return envelope::seal(data_key(call), tenants::job_context(tenant_id(call), job_id), contents.dump());
      }

      static json job_json(const Job& j, const json& contents) {
         return {{"id", j.id},
                 {"kind", j.kind},
                 {"status", j.status},
                 {"ids", contents["ids"]},
                 {"cursor", contents["cursor"]},
                 {"created_at", format_time(j.created_at)},
                 {"updated_at", format_time(j.updated_at)},
                 {"stopped_at", time_or_null(j.stopped_at)},
                 {"delete_at", format_time(j.delete_at())}};
      }

      // Validates `ids` (an object of ticket/user/organization arrays of positive integer
      // ids) into `into`, replacing the categories it names.
      static void merge_ids(const json& ids, json& into) {
         if(!ids.is_object()) {
            personal_data("ids must be an object of ticket, user and organization id arrays");
         }
         for(const auto& [category, list] : ids.items()) {
            if(category != "ticket" && category != "user" && category != "organization") {
               personal_data("ids may only hold ticket, user and organization");
            }
            if(!list.is_array()) {
               personal_data("ids." + category + " must be an array");
            }
            json normalised = json::array();
            for(const auto& v : list) {
               auto id = normalise_id(v);
               if(!id) {
                  personal_data("ids." + category + " may only hold positive integers (or digit strings)");
               }
               normalised.push_back(std::move(*id));
            }
            into[category] = std::move(normalised);
         }
         std::size_t total = 0;
         for(const auto& [category, list] : into.items()) {
            total += list.size();
         }
         if(total > leastdata::max_job_ids()) {
            throw ApiError(413, "payload_too_large",
                           "a job holds at most " + std::to_string(leastdata::max_job_ids()) + " ids");
         }
      }

      static std::optional<std::string> cursor_of(const json& body) {
         const json& c = body["cursor"];
         if(c.is_null()) {
            return std::nullopt;
         }
         if(!c.is_string() || !valid_cursor(c.get_ref<const std::string&>())) {
            personal_data("cursor must be an opaque string of [A-Za-z0-9_-=.:], at most 256 characters");
         }
         return c.get<std::string>();
      }

      Reply create_job(Call& call) {
         const json body = parse_body(call);
         for(const auto& [key, value] : body.items()) {
            if(key != "kind" && key != "ids" && key != "cursor") {
               personal_data("the body has a member other than kind, ids and cursor");
            }
         }
         if(!body.contains("kind")) {
            bad_request("kind is required");
         }
         if(!body["kind"].is_string() || !valid_job_kind(body["kind"].get_ref<const std::string&>())) {
            personal_data("kind must be 1-64 characters of [a-z0-9_.-]");
         }
         json ids = {{"ticket", json::array()}, {"user", json::array()}, {"organization", json::array()}};
         if(body.contains("ids")) {
            merge_ids(body["ids"], ids);
         }
         const auto cursor = body.contains("cursor") ? cursor_of(body) : std::nullopt;
         const json contents = {{"ids", std::move(ids)}, {"cursor", cursor ? json(*cursor) : json(nullptr)}};
         Job j;
         j.id = random_id("job_");
         j.kind = body["kind"].get<std::string>();
         j.contents = seal_job_contents(call, j.id, contents);
         j.status = "running";
         j.created_at = call.now;
         j.updated_at = call.now;
         m_store.create_job(tenant_id(call), j);
         Reply r = json_reply(201, job_json(j, contents));
         r.headers.emplace_back("Location", "/v1/jobs/" + j.id);
         return r;
      }

      static const std::string& job_id(const Call& call) {
         if(!valid_job_id(call.params[0])) {
            not_found("job");
         }
         return call.params[0];
      }

      Reply get_job(Call& call) {
         const auto j = m_store.job(tenant_id(call), job_id(call), call.now);
         if(!j) {
            not_found("job");
         }
         return json_reply(200, job_json(*j, job_contents(call, *j)));
      }

      Reply patch_job(Call& call) {
         const std::string& id = job_id(call);
         const json body = parse_body(call);
         for(const auto& [key, value] : body.items()) {
            if(key == "kind") {
               bad_request("the kind of a job cannot change");
            }
            if(key != "ids" && key != "cursor") {
               personal_data("the body has a member other than ids and cursor");
            }
         }
         // Read, merge and write in one transaction: two concurrent PATCHes both land.
         Job updated;
         json contents;
         const auto outcome = m_store.update_job(tenant_id(call), id, call.now, [&](Job& j) {
            contents = job_contents(call, j);
            if(body.contains("ids")) {
               merge_ids(body["ids"], contents["ids"]);
            }
            if(body.contains("cursor")) {
               const auto cursor = cursor_of(body);
               contents["cursor"] = cursor ? json(*cursor) : json(nullptr);
            }
            j.contents = seal_job_contents(call, j.id, contents);
            j.updated_at = call.now;
         }, updated);
         if(outcome == WriteOutcome::not_found) {
            not_found("job");
         }
         if(outcome == WriteOutcome::conflict) {
            throw ApiError(409, "job_stopped", "a stopped job cannot change; start a new one");
         }
         return json_reply(200, job_json(updated, contents));
      }

      Reply complete_job(Call& call) {
         const std::string& id = job_id(call);
         if(!m_store.delete_job(tenant_id(call), id, call.now)) {
            not_found("job");
         }
         return json_reply(200, {{"id", id}, {"status", "completed"}, {"deleted", true}});
      }

      Reply stop_job(Call& call) {
         const std::string& id = job_id(call);
         if(!m_store.stop_job(tenant_id(call), id, call.now)) {
            not_found("job");
         }
         const auto j = m_store.job(tenant_id(call), id, call.now);
         if(!j) {
            not_found("job");
         }
         return json_reply(200, job_json(*j, job_contents(call, *j)));
      }

      // ---- declared and observed access (access.hpp) ----------------------------------------

      Reply declare_policy(Call& call) {
         const std::string& app = app_param(call);
         if(call.req.body.size() > max_policy_bytes()) {
            throw ApiError(413, "payload_too_large",
                           "a policy document is limited to " + std::to_string(max_policy_bytes()) + " bytes");
         }
         parse_body(call);  // strict JSON (400 invalid_json), as every body; the core reads the text itself
         return json_reply(200, m_access.declare(*call.who, app, call.req.body, call.now));
      }

      Reply post_observed(Call& call) {
         return json_reply(200, m_access.observe(*call.who, parse_body(call), call.now));
      }

      // ---- report, deletion, lifecycle ----------------------------------------------------

      Reply report(Call& call) {
         const Tenant& t = call.who->tenant;
         const auto due = t.deletion_due_at();
         const json until = time_or_null(due);
         const DataKey& key = data_key(call);
         const auto tenant_key = m_store.tenant_key(t.id);

         json agents = json::array();
         for(const Agent& a : m_store.agents(t.id)) {
            agents.push_back({{"id", a.agent_id},
                              {"email", a.email ? json(envelope::open_string(key, tenants::email_context(t.id, a.agent_id),
                                                                             *a.email))
                                                : json(nullptr)},
                              {"role", a.role},
                              {"registered_at", format_time(a.registered_at)},
                              {"updated_at", format_time(a.updated_at)},
                              {"retained_until", until}});
         }
         json tokens = json::array();
         json shared = json::array();
         for(const Token& tok : m_store.tokens(t.id, call.now)) {
            std::optional<Millis> retained = tok.expires_at;
            if(due && (!retained || *due < *retained)) {
               retained = due;
            }
            json item = {{"name", tok.name},
                         {"expires_at", time_or_null(tok.expires_at)},
                         {"updated_at", format_time(tok.updated_at)},
                         {"retained_until", time_or_null(retained)}};
            if(tok.agent_id) {
               item["agent_id"] = *tok.agent_id;
               tokens.push_back(std::move(item));
            } else {
               shared.push_back(std::move(item));
            }
         }
         json settings = json::array();
         for(const Settings& s : m_store.all_settings(t.id)) {
            settings.push_back({{"app", s.app},
                                {"version", s.version},
                                {"updated_at", format_time(s.updated_at)},
                                {"size_bytes", s.body.size() - envelope::header_size() - crypto::aes256_gcm_overhead()},
                                {"retained_until", until}});
         }
         json stats = json::array();
         std::int64_t stats_rows = 0;
         for(const StatCounter& c : m_store.stats(t.id, "", "", "")) {
            if(stats.empty() || stats.back()["app"] != c.app || stats.back()["day"] != c.day) {
               stats.push_back({{"app", c.app}, {"day", c.day}, {"counters", json::object()}, {"retained_until", until}});
            }
            stats.back()["counters"][c.name] = c.value;
            ++stats_rows;
         }
         json sessions = json::array();
         for(const Session& x : m_store.sessions(t.id, call.now)) {
            sessions.push_back({{"agent_id", x.agent_id},
                                {"role", x.role},
                                {"created_at", format_time(x.created_at)},
                                {"checked_at", format_time(x.checked_at)},
                                {"retained_until", format_time(x.expires_at)}});
         }
         json jobs = json::array();
         for(const Job& j : m_store.jobs(t.id, call.now)) {
            const json contents = job_contents(call, j);
            json counts = json::object();
            for(const auto& [category, list] : contents["ids"].items()) {
               counts[category] = list.size();
            }
            Millis retained = j.delete_at();
            if(due && *due < retained) {
               retained = *due;
            }
            jobs.push_back({{"id", j.id},
                            {"kind", j.kind},
                            {"status", j.status},
                            {"id_counts", counts},
                            {"has_cursor", !contents["cursor"].is_null()},
                            {"created_at", format_time(j.created_at)},
                            {"updated_at", format_time(j.updated_at)},
                            {"retained_until", format_time(retained)}});
         }

         AccessService::Report access = m_access.report(*call.who, call.now);

         const auto category = [](const char* stored, json encrypted, json items, std::size_t count = SIZE_MAX) {
            const std::size_t n = count == SIZE_MAX ? items.size() : count;
            return json{{"stored", stored}, {"encrypted", std::move(encrypted)}, {"count", n}, {"items", std::move(items)}};
         };
         json out = {
            {"subdomain", t.subdomain},
            {"generated_at", format_time(call.now)},
            {"storage_region", m_config.region},
            {"tenant",
             {{"status", t.status},
              {"inactive_reason", t.inactive_reason ? json(*t.inactive_reason) : json(nullptr)},
              {"inactive_since", time_or_null(t.inactive_since)},
              {"deletion_due_at", until},
              {"created_at", format_time(t.created_at)},
              {"stored",
               {{"subdomain", "the Zendesk subdomain, in clear: it identifies the tenant"},
                {"jwt_secret", "the HS256 shared secret, encrypted under the tenant data key (value never shown)"},
                {"data_key", "the tenant data key (AES-256), wrapped by master key version " +
                                std::to_string(tenant_key ? tenant_key->master_version : 0) +
                                (tenant_key && envelope::needs_tenant_key(tenant_key->wrapped_key)
                                    ? " together with the tenant's own key file, destroyed on deletion"
                                    : "") +
                                " (never shown)"}}}}},
            {"retention",
             {{"tenant_data", "kept while the tenant is active; deleted entirely, with a signed certificate, 30 days "
                              "after it becomes inactive (app uninstalled or subscription lapsed), or at once on "
                              "request (POST /v1/deletion)"},
              {"tokens", "deleted at expires_at when one is set, otherwise with the tenant data"},
              {"jobs", "deleted at once when completed; 7 days after being stopped or last updated"},
              {"sessions", "deleted at sign-out, when Zendesk no longer confirms the user, or 8 hours after sign-in"},
              {"declared_policies", "deleted 30 days after the app last declared the policy"},
              {"access_days", "deleted 30 days after the day they describe began"}}},
            {"categories",
             {{"agents", category("Zendesk user id, email and role (as Zendesk said at sign-in)", json::array({"email"}), agents)},
              {"tokens", category("per agent: name, value, expiry", json::array({"value"}), tokens)},
              {"shared_tokens", category("per installation: name, value, expiry", json::array({"value"}), shared)},
              {"settings", category("per app: the settings document and its version", json::array({"settings"}),
                                    settings)},
              {"stats", category("per app and day: named non-negative counters", json::array(), stats,
                                 static_cast<std::size_t>(stats_rows))},
              {"jobs", category("per job: kind, numeric ticket/user/organization ids, opaque cursor",
                                json::array({"ids", "cursor"}), jobs)},
              {"sessions", category("per sign-in with Zendesk: the user's Zendesk id and role, their Zendesk access and "
                                    "refresh tokens, a hash of the session credential",
                                    json::array({"zendesk_tokens"}), sessions)},
              {"declared_policies",
               category("per app: each distinct policy its copies declared (the canonical declaration of what it may "
                        "read, write, request and read through ZAF) and when it was first and last declared",
                        json::array({"declaration"}), std::move(access.declared_policies))},
              {"access_days",
               category("per app and UTC day: what its copies reported accessing - counts, field paths, refused "
                        "request patterns, ZAF paths; never values",
                        json::array({"observed"}), std::move(access.access_days))}}},
            {"access", std::move(access.access)}};
         return json_reply(200, out);
      }

      Reply deletion(Call& call) {
         const json body = parse_body(call);
         const Tenant& t = call.who->tenant;
         if(body.size() != 1 || !body.contains("confirm") || !body["confirm"].is_string()) {
            bad_request("the body must be {\"confirm\":\"<subdomain>\"}");
         }
         if(body["confirm"].get_ref<const std::string&>() != t.subdomain) {
            throw ApiError(400, "confirmation_mismatch", "confirm must be this tenant's subdomain");
         }
         const auto record =
            m_issuer.delete_tenant(t, certificate::Trigger::customer_request, call.now, [](const Tenant&) { return true; });
         m_auth.forget_tenant(t.subdomain);
         if(!record) {
            not_found("tenant");
         }
         return Reply{200, record->certificate, {}};
      }

      Reply deactivate(Call& call) {
         Tenant& t = call.who->tenant;
         if(t.status != "inactive") {
            // Deactivating again keeps the first date: retention is not postponed.
            m_store.set_tenant_status(t.id, "inactive", std::string("uninstalled"), call.now, call.now);
            t.status = "inactive";
            t.inactive_reason = "uninstalled";
            t.inactive_since = call.now;
         }
         return json_reply(200, {{"status", t.status},
                                 {"reason", t.inactive_reason ? json(*t.inactive_reason) : json(nullptr)},
                                 {"inactive_since", time_or_null(t.inactive_since)},
                                 {"deletion_due_at", time_or_null(t.deletion_due_at())}});
      }

      Store& m_store;
      const Clock& m_clock;
      const Authenticator& m_auth;
      CertificateIssuer& m_issuer;
      const SessionService* m_sessions;  // null: users and roles from the JWT claims (--identity claims)
      HttpConfig m_config;
      AccessService m_access;
      RateLimiter m_limiter;
      RateLimiter m_auth_failures;
      std::vector<Route> m_routes;
};

Api::Api(Store& store, const Clock& clock, const Authenticator& auth, CertificateIssuer& issuer,
         const SessionService* sessions, HttpConfig config) :
   m_impl(std::make_unique<Impl>(store, clock, auth, issuer, sessions, std::move(config))) {}

Api::~Api() = default;

void Api::install(httplib::Server& server) {
   m_impl->install(server);
}

}  // namespace leastdata::server
