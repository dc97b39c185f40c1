// The unwrapped data keys and HS256 secrets of recently active tenants, kept in memory so
// that a request does not unwrap its tenant's data key with the master key and open the
// sealed JWT secret again: two AES-256-GCM operations that were a tenth of a GET settings.
//
// An entry is never trusted on its own. Every request still reads its tenant row and wrapped
// data key (one statement), and an entry is used only while that row holds the very wrapped
// key and sealed secret the entry was made from. So a deletion (the key row is gone, in this
// instance or another), a deactivation (the row's status) and a master key rotation (the
// wrapped key changes) take effect at the next request, as without the cache. Entries unused
// for k_ttl are dropped by purge(), so the keys of a tenant deleted elsewhere stay in this
// process's memory for at most that long (and no longer than until its next request here);
// they live in Botan::secure_vector, zeroed when freed. See docs/endpoint.md, "Caches".
#pragma once

#include "envelope.hpp"
#include "keys.hpp"
#include "store/store.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace leastdata::server {

struct TenantSecrets {
      DataKey data_key;
      Botan::secure_vector<std::uint8_t> jwt_secret;  // the HS256 key
};

class TenantKeyCache final {
   public:
      static constexpr std::chrono::seconds k_ttl{10};
      static constexpr std::size_t k_max_entries = 10000;

      /// The secrets of `tenant` as of `key`: from the cache if its entry was made from the
      /// same wrapped key and sealed secret, else unwrapped with the keyring (throws
      /// IntegrityError) and kept.
      std::shared_ptr<const TenantSecrets> get(Keyring& keyring, const Tenant& tenant, const TenantKey& key);
      /// Drops the entry of a subdomain (its tenant was deleted, or no longer exists).
      void forget(std::string_view subdomain);
      /// Drops the entries unused for k_ttl.
      void purge();

   private:
      using Time = std::chrono::steady_clock::time_point;
      struct Entry {
            std::string tenant_id;
            std::uint32_t key_version = 0;
            Blob wrapped_key;  // carries its master key version in its header
            Blob sealed_secret;
            std::shared_ptr<const TenantSecrets> secrets;
            Time used;
      };
      static bool made_from(const Entry& e, const Tenant& tenant, const TenantKey& key);
      void purge_locked(Time now);

      std::mutex m_mutex;
      std::unordered_map<std::string, Entry> m_entries;  // by subdomain
};

}  // namespace leastdata::server
