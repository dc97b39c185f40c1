// The endpoint's state for the JWT and request-body fuzz targets: a keys directory and a
// SQLite database in a private temporary directory (in TMPDIR, else on /dev/shm: on tmpfs
// the database's fsyncs cost nothing), the tenant "fuzz" with a fixed HS256 secret, and a
// fixed clock, so the same input always meets the same endpoint. The directory is removed
// when the fixture is destroyed (at exit).
#pragma once

#include "fuzz_support.hpp"

#include "clock.hpp"
#include "envelope.hpp"
#include "keys.hpp"
#include "store/store.hpp"
#include "tenants.hpp"

#include <leastdata/crypto.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace leastdata::fuzz {

class EndpointFixture final {
   public:
      static constexpr std::string_view k_subdomain = "fuzz";
      static constexpr std::string_view k_issuer = "fuzz.zendesk.com";
      static constexpr std::string_view k_audience = "leastdata";
      /// The tenant's HS256 secret (normally 32 random bytes in base64url, printed once).
      static constexpr std::string_view k_secret = "leastdata-fuzz-tenant-secret-not-for-production";
      /// 2025-01-01T00:30:00Z: tokens of the seed corpus were issued at 00:00 for an hour.
      static constexpr server::Millis k_now = 1735689600000 + 30 * server::k_minute;

      EndpointFixture() : m_clock(k_now) {
         // scripts/fuzz points TMPDIR at a folder on tmpfs that it removes afterwards, also
         // after a crash, when this destructor does not run.
         const char* tmpdir = std::getenv("TMPDIR");
         const std::string base = tmpdir != nullptr && std::filesystem::is_directory(tmpdir) ? tmpdir
                                  : std::filesystem::is_directory("/dev/shm")                ? "/dev/shm"
                                                                                             : "/tmp";
         std::string pattern = base + "/leastdata-fuzz-XXXXXX";
         check(::mkdtemp(pattern.data()) != nullptr, "a temporary directory can be created", pattern);
         m_dir = pattern;
         server::keys::generate(m_dir / "keys");
         m_keyring = std::make_unique<server::Keyring>(m_dir / "keys");
         reset_store();
      }

      ~EndpointFixture() {
         m_store.reset();
         std::error_code ignored;
         std::filesystem::remove_all(m_dir, ignored);
      }

      EndpointFixture(const EndpointFixture&) = delete;
      EndpointFixture& operator=(const EndpointFixture&) = delete;

      /// A fresh, empty database holding only the tenant.
      void reset_store() {
         m_store.reset();
         for(const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ignored;
            std::filesystem::remove(m_dir / (std::string("endpoint.sqlite") + suffix), ignored);
         }
         m_store = server::open_store("sqlite:" + (m_dir / "endpoint.sqlite").string());
         m_store->migrate();
         const bool added = m_store->add_tenant(k_subdomain, [&] {
            const server::MasterKey master = m_keyring->current();
            const server::DataKey key = server::envelope::generate_data_key();
            server::Tenant t;
            t.id = "t_fuzz";
            t.subdomain = std::string(k_subdomain);
            t.status = "active";
            t.created_at = k_now - server::k_day;
            t.jwt_secret = server::envelope::seal(key, server::tenants::jwt_secret_context(t), k_secret);
            auto tenant_key = m_keyring->tenant_key(t.id);  // kept across resets
            if(!tenant_key) {
               tenant_key = server::keys::add_tenant_key(keys_dir(), t.id);
            }
            server::TenantKey wrapped{t.id, key.version, master.version,
                                      server::envelope::wrap(master, *tenant_key, key, t.id)};
            return std::pair{std::move(t), std::move(wrapped)};
         });
         check(added, "the fuzz tenant is created");
      }

      server::Store& store() { return *m_store; }
      server::Keyring& keyring() { return *m_keyring; }
      const server::Clock& clock() const { return m_clock; }
      std::filesystem::path keys_dir() const { return m_dir / "keys"; }

      /// A compact JWS: base64url(header).base64url(payload).base64url(HMAC-SHA256 under `secret`).
      static std::string hs256(std::string_view header, std::string_view payload, std::string_view secret = k_secret) {
         std::string token = crypto::base64url_encode(crypto::as_bytes(header)) + "." +
                             crypto::base64url_encode(crypto::as_bytes(payload));
         const auto mac = crypto::hmac_sha256(crypto::as_bytes(secret), crypto::as_bytes(token));
         return token + "." + crypto::base64url_encode(mac);
      }

   private:
      std::filesystem::path m_dir;
      server::FixedClock m_clock;
      std::unique_ptr<server::Keyring> m_keyring;
      std::unique_ptr<server::Store> m_store;
};

}  // namespace leastdata::fuzz
