// What the endpoint asks Zendesk itself, so that who a user is and what role they hold come
// from Zendesk and not from app code in the browser (DESIGN §7, "Authority"; docs/security.md).
//
// Zendesk's OAuth authorization code grant with PKCE, as Zendesk documents it
// (developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/ and Zendesk help
// "Using OAuth authentication with your application"): the user approves at
// https://{subdomain}.zendesk.com/oauth/authorizations/new; the code (valid 120 s) is exchanged
// at POST /oauth/tokens (JSON) for an access token and a refresh token; GET
// /api/v2/users/me.json with that token names the user: id, email, role, active, suspended.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leastdata::server {

struct ZendeskConfig {
      // Where a tenant's Zendesk is: "{subdomain}" is replaced. https:, or http: on loopback
      // only (the tests' and the demo's simulated Zendesk).
      std::string url_template = "https://{subdomain}.zendesk.com";
      std::string client_id;       // the OAuth client (a global client's id starts with zdg-)
      std::string client_secret;   // from --zendesk-oauth-secret-file
      std::string redirect_uri;    // <--public-url>/v1/oauth/callback, registered on the client
      std::string scope = "read";  // users/me needs read
};

struct OAuthTokens {
      std::string access_token;
      std::string refresh_token;  // empty if Zendesk issued none
      std::int64_t expires_in = 0;  // seconds; 0: not stated
};

struct ZendeskUser {
      std::string id;  // digits
      std::string email;
      std::string role;  // "end-user" | "agent" | "admin"
      bool active = false;
      bool suspended = true;

      /// An agent or admin who may use the app now.
      bool may_use_app() const { return active && !suspended && (role == "agent" || role == "admin"); }
};

/// Zendesk refused (an invalid, expired or replayed code; a revoked token): the user must
/// sign in again.
class ZendeskRefused final : public std::runtime_error {
   public:
      using std::runtime_error::runtime_error;
};

/// Zendesk could not be reached or answered something unexpected: retry later.
class ZendeskUnavailable final : public std::runtime_error {
   public:
      using std::runtime_error::runtime_error;
};

class ZendeskClient final {
   public:
      /// Throws std::invalid_argument for a URL template that is neither https: nor loopback http:.
      explicit ZendeskClient(ZendeskConfig config);

      std::string authorize_url(std::string_view subdomain, std::string_view state, std::string_view code_challenge) const;
      OAuthTokens exchange_code(std::string_view subdomain, std::string_view code, std::string_view code_verifier) const;
      OAuthTokens refresh(std::string_view subdomain, std::string_view refresh_token) const;
      /// The user an access token belongs to; throws ZendeskRefused if Zendesk refuses the token.
      ZendeskUser me(std::string_view subdomain, std::string_view access_token) const;

      const ZendeskConfig& config() const { return m_config; }

   private:
      std::string base_url(std::string_view subdomain) const;
      OAuthTokens token_request(std::string_view subdomain, const std::string& body) const;

      ZendeskConfig m_config;
};

}  // namespace leastdata::server
