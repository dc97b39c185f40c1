// Authentication of API calls (DESIGN §7): `Authorization: Bearer <JWT>`.
//
// The key decides the algorithm, never the token: HS256 is checked only against the
// tenant's own secret (selected by `iss`), RS256 only against the configured Zendesk app
// public key. `none`, any other algorithm, an HS256 token when the tenant secret is not
// what signed it, an RS256 token when no RSA key is configured: all 401. Claims: `iss` =
// "<subdomain>.zendesk.com" of a live tenant; `aud` = the configured audience (a string,
// or an array containing it); `sub` = the Zendesk user id (a positive integer or digit
// string); `exp` and `iat` required, `exp` after `iat` and at most one hour after it; `iat`
// and `nbf` not in the future; 60 s leeway; optional `email`; optional `role` ("admin" or
// "agent", default "agent"). The tenant comes only from the verified token.
#pragma once

#include "clock.hpp"
#include "key_cache.hpp"
#include "keys.hpp"
#include "store/store.hpp"

#include <botan/pk_keys.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata::server {

struct Identity {
      Tenant tenant;
      std::string agent_id;
      std::string role;  // "admin" | "agent"
      std::optional<std::string> email;
      std::string algorithm;
      std::shared_ptr<const DataKey> data_key;  // the tenant's, unwrapped

      bool is_admin() const { return role == "admin"; }
};

class Authenticator final {
   public:
      static constexpr Millis k_leeway = 60 * k_second;
      static constexpr Millis k_max_lifetime = k_hour;
      static constexpr std::size_t k_max_token_size = 4096;

      /// `rs256_key` may be null: then RS256 tokens are refused.
      Authenticator(Store& store, Keyring& keyring, const Clock& clock, std::string audience,
                    std::shared_ptr<const Botan::Public_Key> rs256_key);

      /// The identity, or throws ApiError 401 (`unauthorized` without a bearer token,
      /// `invalid_token` with one message for every other refusal; the reason is the
      /// error's log detail).
      Identity authenticate(std::string_view authorization_header) const;

      /// The `iss` a token claims, unverified (empty when none can be read): the key by
      /// which failed authentications are rate limited per claimed tenant.
      static std::string claimed_issuer(std::string_view authorization_header);

      /// Reads an RSA public key (PEM, "-----BEGIN PUBLIC KEY-----") from a file or from the
      /// argument itself; at least 2048 bits. Throws std::invalid_argument.
      static std::shared_ptr<const Botan::Public_Key> load_rs256_key(const std::string& pem_or_path);

      /// After deleting a tenant: drops its keys from memory now (key_cache.hpp).
      void forget_tenant(std::string_view subdomain) const { m_keys.forget(subdomain); }
      /// Drops the keys of tenants without a request for TenantKeyCache::k_ttl; called periodically.
      void purge_keys() const { m_keys.purge(); }

   private:
      // authenticate() in three steps: parse (form, algorithm, issuer), verify (the tenant and
      // its key's signature), claims (audience, times, the user).
      struct Parsed {
            nlohmann::json jose;
            nlohmann::json claims;
            std::vector<std::uint8_t> signature;
            std::string signed_part;  // header.payload
            std::string algorithm;
            std::string subdomain;  // from iss
      };
      struct Verified {
            Tenant tenant;
            std::shared_ptr<const TenantSecrets> secrets;
      };
      static Parsed parse(std::string_view authorization_header);
      Verified verify(const Parsed& token, Millis now) const;
      Identity claims(const Parsed& token, Verified verified, Millis now) const;

      Store& m_store;
      Keyring& m_keyring;
      const Clock& m_clock;
      std::string m_audience;
      std::shared_ptr<const Botan::Public_Key> m_rs256_key;
      mutable TenantKeyCache m_keys;  // internally synchronised
};

}  // namespace leastdata::server
