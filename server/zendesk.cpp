// HTTP calls to Zendesk (zendesk.hpp) with cpp-httplib: short timeouts, certificates verified,
// no redirects followed, and answers parsed strictly.
#include "zendesk.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace leastdata::server {

namespace {

using nlohmann::json;

constexpr std::time_t k_timeout_seconds = 5;

std::string form_encode(std::string_view value) {
   static constexpr char hex[] = "0123456789ABCDEF";
   std::string out;
   for(const char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~') {
         out += c;
      } else {
         out += '%';
         out += hex[u >> 4];
         out += hex[u & 15];
      }
   }
   return out;
}

bool loopback_http(std::string_view url) {
   for(const std::string_view prefix : {"http://127.0.0.1:", "http://localhost:", "http://127.0.0.1/", "http://localhost/"}) {
      if(url.substr(0, prefix.size()) == prefix) {
         return true;
      }
   }
   return false;
}

httplib::Client client_for(const std::string& base) {
   httplib::Client client(base);
   client.set_connection_timeout(k_timeout_seconds);
   client.set_read_timeout(k_timeout_seconds);
   client.set_write_timeout(k_timeout_seconds);
   client.set_follow_location(false);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
   client.enable_server_certificate_verification(true);
#endif
   return client;
}

// A digit string for a JSON id (Zendesk ids are integers up to 2^63; read as text).
std::optional<std::string> id_text(const json& v) {
   if(v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() > 0)) {
      return v.dump();
   }
   return std::nullopt;
}

}  // namespace

ZendeskClient::ZendeskClient(ZendeskConfig config) : m_config(std::move(config)) {
   const std::string& t = m_config.url_template;
   if(t.rfind("https://", 0) != 0 && !loopback_http(t)) {
      throw std::invalid_argument("--zendesk-url must be https: (plain http: only for 127.0.0.1 and localhost)");
   }
   if(t.find('?') != std::string::npos || t.find('#') != std::string::npos || (!t.empty() && t.back() == '/')) {
      throw std::invalid_argument("--zendesk-url is an origin such as https://{subdomain}.zendesk.com");
   }
}

std::string ZendeskClient::base_url(std::string_view subdomain) const {
   std::string url = m_config.url_template;
   if(const auto at = url.find("{subdomain}"); at != std::string::npos) {
      url.replace(at, 11, subdomain);
   }
   return url;
}

std::string ZendeskClient::authorize_url(std::string_view subdomain, std::string_view state,
                                         std::string_view code_challenge) const {
   return base_url(subdomain) + "/oauth/authorizations/new?response_type=code&client_id=" +
          form_encode(m_config.client_id) + "&redirect_uri=" + form_encode(m_config.redirect_uri) +
          "&scope=" + form_encode(m_config.scope) + "&state=" + form_encode(state) +
          "&code_challenge=" + form_encode(code_challenge) + "&code_challenge_method=S256";
}

OAuthTokens ZendeskClient::token_request(std::string_view subdomain, const std::string& body) const {
   auto client = client_for(base_url(subdomain));
   const auto response = client.Post("/oauth/tokens", body, "application/json");
   if(!response) {
      throw ZendeskUnavailable("Zendesk's token endpoint could not be reached: " + httplib::to_string(response.error()));
   }
   const json answer = json::parse(response->body, nullptr, false);
   if(response->status == 400 || response->status == 401 || response->status == 403) {
      // invalid_grant: an expired, replayed or foreign code, or a PKCE verifier that does not match.
      throw ZendeskRefused("Zendesk refused the grant (HTTP " + std::to_string(response->status) + ")");
   }
   if((response->status != 200 && response->status != 201) || !answer.is_object() ||
      !answer.value("access_token", json()).is_string()) {
      throw ZendeskUnavailable("Zendesk's token endpoint answered HTTP " + std::to_string(response->status));
   }
   OAuthTokens tokens;
   tokens.access_token = answer["access_token"].get<std::string>();
   if(answer.value("refresh_token", json()).is_string()) {
      tokens.refresh_token = answer["refresh_token"].get<std::string>();
   }
   if(answer.value("expires_in", json()).is_number_integer()) {
      tokens.expires_in = answer["expires_in"].get<std::int64_t>();
   }
   return tokens;
}

OAuthTokens ZendeskClient::exchange_code(std::string_view subdomain, std::string_view code,
                                         std::string_view code_verifier) const {
   const json body = {{"grant_type", "authorization_code"}, {"code", code},
                      {"client_id", m_config.client_id},     {"client_secret", m_config.client_secret},
                      {"redirect_uri", m_config.redirect_uri}, {"scope", m_config.scope},
                      {"code_verifier", code_verifier}};
   return token_request(subdomain, body.dump());
}

OAuthTokens ZendeskClient::refresh(std::string_view subdomain, std::string_view refresh_token) const {
   const json body = {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token},
                      {"client_id", m_config.client_id}, {"client_secret", m_config.client_secret},
                      {"scope", m_config.scope}};
   return token_request(subdomain, body.dump());
}

ZendeskUser ZendeskClient::me(std::string_view subdomain, std::string_view access_token) const {
   auto client = client_for(base_url(subdomain));
   const httplib::Headers headers = {{"Authorization", "Bearer " + std::string(access_token)},
                                     {"Accept", "application/json"}};
   const auto response = client.Get("/api/v2/users/me.json", headers);
   if(!response) {
      throw ZendeskUnavailable("Zendesk could not be reached: " + httplib::to_string(response.error()));
   }
   if(response->status == 401 || response->status == 403) {
      throw ZendeskRefused("Zendesk refused the access token");
   }
   const json answer = json::parse(response->body, nullptr, false);
   const json& user = answer.is_object() ? answer.value("user", json()) : json();
   if(response->status != 200 || !user.is_object()) {
      throw ZendeskUnavailable("users/me answered HTTP " + std::to_string(response->status));
   }
   ZendeskUser out;
   // Zendesk answers an anonymous caller with 200 and a user without an id: not a user.
   const auto id = id_text(user.value("id", json()));
   if(!id) {
      throw ZendeskRefused("users/me names no user");
   }
   out.id = *id;
   out.email = user.value("email", json()).is_string() ? user["email"].get<std::string>() : "";
   out.role = user.value("role", json()).is_string() ? user["role"].get<std::string>() : "";
   out.active = user.value("active", json()).is_boolean() && user["active"].get<bool>();
   out.suspended = !user.value("suspended", json()).is_boolean() || user["suspended"].get<bool>();
   return out;
}

}  // namespace leastdata::server
