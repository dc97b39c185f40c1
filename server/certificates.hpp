// Deleting a tenant with a signed deletion certificate (DESIGN §6), for both triggers:
// an admin's request (POST /v1/deletion) and 30 days of inactivity (the sweep). Signing
// uses the core's leastdata::certificate::sign, so the wasm verifier accepts every
// certificate the endpoint issues. Certificates are kept in `deletion_log`.
#pragma once

#include "clock.hpp"
#include "keys.hpp"
#include "store/store.hpp"

#include "leastdata/certificate.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace leastdata::server {

class CertificateIssuer final {
   public:
      /// Throws std::invalid_argument if `issuer` or `region` would not pass the certificate rules.
      CertificateIssuer(Store& store, Keyring& keyring, const SigningIdentity& signing, const Clock& clock,
                        std::string issuer, std::string region);

      /// Destroys the tenant's key file, deletes its rows and logs the signed certificate, in
      /// one transaction. The certificate's `method` claims crypto-erasure only if, when it
      /// is signed, the wrapped data key needs the tenant's key file and that file is gone. `requested_at`: when the deletion was asked for or fell due. Empty
      /// if the tenant is already gone or `still_applies` says it no longer qualifies.
      std::optional<DeletionRecord> delete_tenant(const Tenant& tenant, certificate::Trigger trigger,
                                                  Millis requested_at,
                                                  const std::function<bool(const Tenant&)>& still_applies);

      /// The JWKS served at /.well-known/leastdata-keys.json.
      const std::string& jwks() const { return m_jwks; }
      const std::string& region() const { return m_region; }

      /// The certificate's `method` for a deletion: what holds for every copy when
      /// `crypto_erased`, and only for the live database otherwise.
      static std::string method(bool crypto_erased, std::string_view backend);

   private:
      Store& m_store;
      Keyring& m_keyring;
      const SigningIdentity& m_signing;
      const Clock& m_clock;
      std::string m_issuer;
      std::string m_region;
      std::string m_jwks;
};

}  // namespace leastdata::server
