// Building, signing and logging deletion certificates.
#include "certificates.hpp"

#include "envelope.hpp"
#include "log.hpp"

#include "leastdata/crypto.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace leastdata::server {

namespace {

std::string new_certificate_id() {
   std::array<std::uint8_t, 16> raw{};
   crypto::random_bytes(raw);
   return "dc_" + crypto::base64url_encode(raw);
}

}  // namespace

CertificateIssuer::CertificateIssuer(Store& store, Keyring& keyring, const SigningIdentity& signing,
                                     const Clock& clock, std::string issuer, std::string region) :
   m_store(store), m_keyring(keyring), m_signing(signing), m_clock(clock), m_issuer(std::move(issuer)), m_region(std::move(region)) {
   const bool issuer_ok = !m_issuer.empty() && m_issuer.size() <= 1024 &&
                          std::all_of(m_issuer.begin(), m_issuer.end(), [](char c) {
                             const auto u = static_cast<unsigned char>(c);
                             return u >= 0x20 && u != 0x7F;
                          });
   if(!issuer_ok) {
      throw std::invalid_argument("--issuer must be 1 to 1024 bytes of text without control characters");
   }
   const bool region_ok = !m_region.empty() && m_region.size() <= 64 &&
                          std::all_of(m_region.begin(), m_region.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                          });
   if(!region_ok) {
      throw std::invalid_argument("--region must be 1 to 64 characters of [a-z0-9-]");
   }
   auto keys = certificate::jwks({{m_signing.key_id, m_signing.key.public_key()}});
   if(!keys) {
      throw std::invalid_argument("signing key: " + keys.error().message());
   }
   m_jwks = std::move(keys).value();
}

std::string CertificateIssuer::method(bool crypto_erased, std::string_view backend) {
   const std::string clear_columns =
      "the identifiers kept in clear (subdomain, agent ids and roles, token and app names, job kinds, counter names, "
      "days and values)";
   const std::string reuse = backend == "sqlite" ? "until SQLite's next checkpoint (secure_delete zeroes the pages)"
                                                 : "until PostgreSQL's vacuum reuses their space";
   if(crypto_erased) {
      return "crypto-erase: the tenant's key-encryption key was destroyed in the keys directory, then every row of "
             "the tenant deleted, in one transaction. Its wrapped data key needs that key file, so in this database "
             "and in every copy made before completed_at (backups, PostgreSQL dead tuples and WAL, SQLite's "
             "write-ahead log) no key that remains opens any sealed value of the tenant (tokens, agent emails, "
             "settings, job ids and cursors, declared policies and observed access, JWT secret). Not covered by the crypto-erase: " +
             clear_columns + ", deleted from the live database (its files may keep them " + reuse +
             "); copies made before completed_at keep them until those copies are deleted";
   }
   return "every row of the tenant deleted in one transaction, its wrapped data key first. Not covered: the data key "
          "was wrapped under the master key alone (the tenant predates per-tenant key files), so copies made before "
          "completed_at (backups, PostgreSQL dead tuples and WAL, SQLite's write-ahead log) can still open its "
          "sealed values with the master key, and keep " +
          clear_columns;
}

std::optional<DeletionRecord> CertificateIssuer::delete_tenant(
   const Tenant& tenant, certificate::Trigger trigger, Millis requested_at,
   const std::function<bool(const Tenant&)>& still_applies) {
   bool crypto_erased = false;
   const auto destroy_key = [&](const Tenant& t, const std::optional<TenantKey>& key) {
      keys::destroy_tenant_key(m_keyring.dir(), t.id);
      // Checked, not assumed: the claim needs a wrapped key that cannot open without the
      // file, and the file gone (also when an earlier attempt destroyed it).
      crypto_erased = (!key || envelope::needs_tenant_key(key->wrapped_key)) && !m_keyring.tenant_key(t.id);
   };
   const auto sign = [&](const Tenant& t, const DeletionCounts& counts) {
      const Millis completed_at = std::max(m_clock.now(), requested_at);
      const nlohmann::json unsigned_certificate = {
         {"type", certificate::type_v1},
         {"certificate_id", new_certificate_id()},
         {"subdomain", t.subdomain},
         {"trigger", certificate::trigger_name(trigger)},
         {"requested_at", format_time(requested_at)},
         {"completed_at", format_time(completed_at)},
         {"deleted",
          {{"agents", counts.agents},
           {"tokens", counts.tokens},
           {"shared_tokens", counts.shared_tokens},
           {"settings", counts.settings},
           {"stats_rows", counts.stats_rows},
           {"jobs", counts.jobs},
           {"sessions", counts.sessions},
           {"declared_policies", counts.declared_policies},
           {"access_days", counts.access_days}}},
         {"method", method(crypto_erased, m_store.backend())},
         {"storage_region", m_region},
         {"issuer", m_issuer},
      };
      auto signed_text = certificate::sign(unsigned_certificate, m_signing.key, m_signing.key_id);
      if(!signed_text) {
         // Thrown inside the transaction: nothing is deleted without a certificate.
         throw std::runtime_error("certificate signing failed: " + signed_text.error().message());
      }
      return DeletionRecord{unsigned_certificate["certificate_id"].get<std::string>(), t.subdomain,
                            std::string(certificate::trigger_name(trigger)), format_time(completed_at),
                            std::move(signed_text).value()};
   };
   auto record = m_store.delete_tenant(tenant.id, still_applies, destroy_key, sign);
   if(record) {
      log::info("tenant_deleted", {{"certificate_id", record->certificate_id}, {"trigger", record->trigger}});
   }
   return record;
}

}  // namespace leastdata::server
