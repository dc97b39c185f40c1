// Sign-in with Zendesk (DESIGN §7, "Authority"): who a user is and what role they hold come
// from Zendesk, never from the JWT claims that app code in the browser writes.
//
// 1. The app (its ZAF JWT proves the tenant) asks for a start: a random `state` and the URL of
//    Zendesk's consent page. The PKCE verifier is derived from the state under the tenant's data
//    key, so no instance keeps anything between start and sign-in, and a state is bound to its
//    tenant.
// 2. The user approves in a popup; Zendesk redirects it to GET /v1/oauth/callback, a page that
//    hands `code` and `state` to the window that opened it (only if that window is on a
//    configured app origin) and closes. So the code reaches the browser that started the flow
//    and no other: a link sent to an admin cannot sign the sender in as that admin.
// 3. The app posts state and code; the endpoint exchanges the code with Zendesk, asks
//    /api/v2/users/me.json who it belongs to, and keeps a session: the user's Zendesk id and
//    role, their Zendesk tokens sealed under the tenant's data key, and only a hash of the
//    session credential. The credential goes back to the app, which holds it in memory.
// 4. Every call then carries the credential (X-LeastData-Session); its user and role replace
//    anything the JWT claims. When the last check is older than the re-check interval, the
//    endpoint asks Zendesk again (refreshing the access token when it has expired): a user
//    demoted, suspended or removed in Zendesk loses the session at the next call after that.
#pragma once

#include "auth.hpp"
#include "clock.hpp"
#include "store/store.hpp"
#include "zendesk.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace leastdata::server {

struct SignInStart {
      std::string authorize_url;
      std::string state;
};

struct SignedIn {
      std::string credential;  // shown once, to the app
      Session session;
      std::string email;
};

class SessionService final {
   public:
      static constexpr Millis k_lifetime = 8 * k_hour;
      static constexpr const char* k_header = "X-LeastData-Session";

      /// `app_origins`: where the apps run (e.g. https://1234.apps.zdusercontent.com); the
      /// callback page hands the code only to an opener on one of them. Throws
      /// std::invalid_argument for an origin that is not scheme://host[:port].
      SessionService(Store& store, ZendeskClient zendesk, Millis recheck_interval, std::vector<std::string> app_origins);

      SignInStart start(const Identity& tenant) const;

      /// Exchanges the code, asks Zendesk who signed in, registers the agent and opens a
      /// session. Throws ApiError (400 invalid_request for a malformed state or code, 401
      /// sign_in_refused when Zendesk refuses the grant, 403 forbidden when Zendesk's user is
      /// not an active agent or admin, 503 zendesk_unavailable).
      SignedIn sign_in(const Identity& tenant, std::string_view state, std::string_view code, Millis now) const;

      /// Replaces `who`'s user, role and email with the session's, re-checked with Zendesk when
      /// due. Throws ApiError 401 session_expired (unknown, expired or revoked session) or 503.
      void resolve(Identity& who, std::string_view credential, Millis now) const;

      /// Ends the session of `credential` (signing out); false if there was none.
      bool sign_out(const Identity& who, std::string_view credential) const;

      /// The HTML of GET /v1/oauth/callback, and its Content-Security-Policy.
      std::string callback_page() const;
      static std::string callback_csp();

      static std::string hash(std::string_view credential);

   private:
      std::string verifier(const Identity& tenant, std::string_view state) const;
      Blob seal_tokens(const Identity& tenant, std::string_view id_hash, const OAuthTokens& tokens,
                       const std::string& email, Millis now) const;

      Store& m_store;
      ZendeskClient m_zendesk;
      Millis m_recheck_interval;
      std::vector<std::string> m_app_origins;
};

}  // namespace leastdata::server
