// Sign-in with Zendesk and the sessions it opens (sessions.hpp).
#include "sessions.hpp"

#include "api_error.hpp"
#include "envelope.hpp"
#include "log.hpp"
#include "tenants.hpp"

#include "leastdata/crypto.hpp"

#include <botan/base64.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace leastdata::server {

namespace {

using nlohmann::json;

constexpr std::size_t k_state_bytes = 16;
constexpr std::size_t k_credential_bytes = 32;
constexpr std::size_t k_max_code = 512;

std::array<std::uint8_t, 32> sha256(std::string_view text) {
   auto hash = Botan::HashFunction::create_or_throw("SHA-256");
   hash->update(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
   std::array<std::uint8_t, 32> out{};
   hash->final(out.data());
   return out;
}

bool base64url_text(std::string_view s, std::size_t min, std::size_t max) {
   return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
          });
}

bool valid_origin(std::string_view o) {
   const bool scheme = o.rfind("https://", 0) == 0 || o.rfind("http://", 0) == 0;
   const auto host = o.substr(o.find("//") == std::string_view::npos ? 0 : o.find("//") + 2);
   return scheme && !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
          });
}

// The script of the callback page: static, so the page's CSP can allow exactly it by hash.
constexpr std::string_view k_callback_script =
   "(function(){var p=new URLSearchParams(location.search);"
   "var origins=JSON.parse(document.querySelector('meta[name=\"leastdata-app-origins\"]').content);"
   "history.replaceState(null,'',location.pathname);"
   "var m={type:'leastdata.sign-in',state:p.get('state'),code:p.get('code'),error:p.get('error')};"
   "var s=document.getElementById('status');"
   "if(!window.opener){s.textContent='Sign in from the app. You can close this window.';return;}"
   "origins.forEach(function(o){window.opener.postMessage(m,o);});"
   "s.textContent='Done. You can close this window.';window.close();})();";

SealContext tokens_context(std::string_view tenant_id, std::string_view id_hash) {
   return {"sessions", "zendesk_tokens", tenant_id, id_hash};
}

[[noreturn]] void unavailable(const ZendeskUnavailable& e) {
   throw ApiError(ErrorCode::zendesk_unavailable, "Zendesk could not be reached to check the user; retry in a moment")
      .with_log_detail(e.what());
}

}  // namespace

SessionService::SessionService(Store& store, ZendeskClient zendesk, Millis recheck_interval,
                               std::vector<std::string> app_origins) :
   m_store(store), m_zendesk(std::move(zendesk)), m_recheck_interval(recheck_interval),
   m_app_origins(std::move(app_origins)) {
   if(m_app_origins.empty()) {
      throw std::invalid_argument("--app-origin is required with --identity zendesk: where the apps run");
   }
   for(const auto& o : m_app_origins) {
      if(!valid_origin(o)) {
         throw std::invalid_argument("--app-origin takes origins such as https://1234.apps.zdusercontent.com");
      }
   }
}

std::string SessionService::hash(std::string_view credential) {
   const auto digest = sha256(credential);
   return Botan::hex_encode(digest.data(), digest.size(), false);
}

std::string SessionService::verifier(const Identity& tenant, std::string_view state) const {
   const std::string message = "leastdata/pkce/v1|" + tenant.tenant.id + "|" + std::string(state);
   const auto mac = crypto::hmac_sha256(tenant.data_key->bytes, crypto::as_bytes(message));
   return crypto::base64url_encode(mac);  // 43 characters, as RFC 7636 asks
}

SignInStart SessionService::start(const Identity& tenant) const {
   std::array<std::uint8_t, k_state_bytes> raw{};
   crypto::random_bytes(raw);
   const std::string state = crypto::base64url_encode(raw);
   const auto challenge = sha256(verifier(tenant, state));
   return SignInStart{m_zendesk.authorize_url(tenant.tenant.subdomain, state, crypto::base64url_encode(challenge)), state};
}

Blob SessionService::seal_tokens(const Identity& tenant, std::string_view id_hash, const OAuthTokens& tokens,
                                 const std::string& email, Millis now) const {
   const json body = {{"access_token", tokens.access_token},
                      {"refresh_token", tokens.refresh_token},
                      {"access_expires_at", tokens.expires_in > 0 ? json(now + tokens.expires_in * k_second) : json(nullptr)},
                      {"email", email}};
   return envelope::seal(*tenant.data_key, tokens_context(tenant.tenant.id, id_hash), body.dump());
}

SignedIn SessionService::sign_in(const Identity& tenant, std::string_view state, std::string_view code, Millis now) const {
   if(!base64url_text(state, 22, 22)) {
      throw ApiError(ErrorCode::invalid_request, "state must be the state that POST /v1/sessions/start returned");
   }
   if(code.empty() || code.size() > k_max_code ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c > 0x20 && c < 0x7F; })) {
      throw ApiError(ErrorCode::invalid_request, "code must be the code Zendesk returned to the callback");
   }
   OAuthTokens tokens;
   ZendeskUser user;
   try {
      tokens = m_zendesk.exchange_code(tenant.tenant.subdomain, code, verifier(tenant, state));
      user = m_zendesk.me(tenant.tenant.subdomain, tokens.access_token);
   } catch(const ZendeskRefused& e) {
      throw ApiError(ErrorCode::sign_in_refused, "Zendesk refused the sign-in (the code expired, was used already, or "
                                             "belongs to another sign-in); sign in again")
         .with_log_detail(e.what());
   } catch(const ZendeskUnavailable& e) {
      unavailable(e);
   }
   if(!user.may_use_app()) {
      throw ApiError(ErrorCode::forbidden, "Zendesk says this user is not an active agent or admin");
   }
   std::array<std::uint8_t, k_credential_bytes> raw{};
   crypto::random_bytes(raw);
   SignedIn out;
   out.credential = "lds_" + crypto::base64url_encode(raw);
   out.email = user.email;
   Session& s = out.session;
   s.id_hash = hash(out.credential);
   s.agent_id = user.id;
   s.role = user.role;
   s.created_at = now;
   s.expires_at = now + k_lifetime;
   s.checked_at = now;
   s.zendesk_tokens = seal_tokens(tenant, s.id_hash, tokens, user.email, now);

   // The agent as Zendesk knows them: the registration PUT /v1/agents/me would do.
   Agent agent;
   agent.agent_id = user.id;
   agent.role = user.role;
   agent.registered_at = now;
   agent.updated_at = now;
   if(!user.email.empty()) {
      agent.email = envelope::seal(*tenant.data_key, tenants::email_context(tenant.tenant.id, user.id), user.email);
   }
   m_store.put_agent(tenant.tenant.id, agent);
   m_store.create_session(tenant.tenant.id, s);
   log::info("signed_in", {{"role", user.role}});
   return out;
}

void SessionService::resolve(Identity& who, std::string_view credential, Millis now) const {
   const auto expired = [] {
      return ApiError(ErrorCode::session_expired, "the session has ended or was revoked; sign in with Zendesk again");
   };
   if(!base64url_text(credential.substr(std::min<std::size_t>(4, credential.size())), 43, 43) ||
      credential.substr(0, 4) != "lds_") {
      throw expired().with_log_detail("malformed session credential");
   }
   const std::string id_hash = hash(credential);
   auto session = m_store.session(who.tenant.id, id_hash, now);
   if(!session) {
      throw expired().with_log_detail("unknown or expired session");
   }
   const SealContext context = tokens_context(who.tenant.id, id_hash);
   if(now - session->checked_at >= m_recheck_interval) {
      bool refused = false;
      try {
         session = m_store.recheck_session(who.tenant.id, id_hash, now, [&](Session& s) {
            // Read again under the row lock: another instance may have refreshed meanwhile.
            json stored = json::parse(envelope::open_string(*who.data_key, context, s.zendesk_tokens));
            if(now - s.checked_at < m_recheck_interval) {
               return true;
            }
            OAuthTokens tokens{stored["access_token"].get<std::string>(), stored["refresh_token"].get<std::string>(), 0};
            const bool access_expired = stored["access_expires_at"].is_number() && stored["access_expires_at"].get<Millis>() <= now;
            ZendeskUser user;
            try {
               if(access_expired) {
                  throw ZendeskRefused("the access token expired");
               }
               user = m_zendesk.me(who.tenant.subdomain, tokens.access_token);
            } catch(const ZendeskRefused&) {
               if(tokens.refresh_token.empty()) {
                  refused = true;
                  return false;
               }
               try {
                  tokens = m_zendesk.refresh(who.tenant.subdomain, tokens.refresh_token);
                  user = m_zendesk.me(who.tenant.subdomain, tokens.access_token);
               } catch(const ZendeskRefused&) {
                  refused = true;
                  return false;
               }
               s.zendesk_tokens = seal_tokens(who, id_hash, tokens, user.email, now);
            }
            if(!user.may_use_app() || user.id != s.agent_id) {
               refused = true;
               return false;
            }
            s.role = user.role;
            s.checked_at = now;
            return true;
         });
      } catch(const ZendeskUnavailable& e) {
         unavailable(e);
      }
      if(!session) {
         throw expired().with_log_detail(refused ? "Zendesk no longer confirms the user" : "session gone during re-check");
      }
   }
   const json stored = json::parse(envelope::open_string(*who.data_key, context, session->zendesk_tokens));
   who.agent_id = session->agent_id;
   who.role = session->role;
   const std::string email = stored.value("email", "");
   who.email = email.empty() ? std::nullopt : std::optional<std::string>(email);
}

bool SessionService::sign_out(const Identity& who, std::string_view credential) const {
   return m_store.delete_session(who.tenant.id, hash(credential));
}

std::string SessionService::callback_page() const {
   json origins = m_app_origins;
   return "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">"
          "<meta name=\"leastdata-app-origins\" content='" +
          origins.dump() +
          "'><title>Signing in with Zendesk</title><p id=\"status\">Signing in&hellip;</p><script>" +
          std::string(k_callback_script) + "</script></html>";
}

std::string SessionService::callback_csp() {
   const auto digest = sha256(k_callback_script);
   return "default-src 'none'; script-src 'sha256-" + Botan::base64_encode(digest.data(), digest.size()) +
          "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

}  // namespace leastdata::server
