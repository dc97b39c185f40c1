// TenantKeyCache: entries checked against the stored row on every use (key_cache.hpp).
#include "key_cache.hpp"

#include "tenants.hpp"

namespace leastdata::server {

bool TenantKeyCache::made_from(const Entry& e, const Tenant& tenant, const TenantKey& key) {
   return e.tenant_id == tenant.id && e.key_version == key.key_version && e.wrapped_key == key.wrapped_key &&
          e.sealed_secret == tenant.jwt_secret;
}

std::shared_ptr<const TenantSecrets> TenantKeyCache::get(Keyring& keyring, const Tenant& tenant, const TenantKey& key) {
   {
      const std::lock_guard lock(m_mutex);
      if(const auto it = m_entries.find(tenant.subdomain); it != m_entries.end() && made_from(it->second, tenant, key)) {
         it->second.used = std::chrono::steady_clock::now();
         return it->second.secrets;
      }
   }
   // Unwrapped outside the lock: a miss does not hold up the other tenants' requests.
   auto secrets = std::make_shared<TenantSecrets>();
   secrets->data_key = envelope::unwrap(keyring, key.wrapped_key, key.key_version, tenant.id);
   secrets->jwt_secret = tenants::jwt_secret(secrets->data_key, tenant);
   Entry entry{tenant.id, key.key_version, key.wrapped_key, tenant.jwt_secret, secrets, std::chrono::steady_clock::now()};
   const std::lock_guard lock(m_mutex);
   if(m_entries.size() >= k_max_entries) {
      purge_locked(entry.used);
      if(m_entries.size() >= k_max_entries) {
         m_entries.clear();  // only costs unwrapping again
      }
   }
   m_entries.insert_or_assign(tenant.subdomain, std::move(entry));
   return secrets;
}

void TenantKeyCache::forget(std::string_view subdomain) {
   const std::lock_guard lock(m_mutex);
   m_entries.erase(std::string(subdomain));
}

void TenantKeyCache::purge() {
   const std::lock_guard lock(m_mutex);
   purge_locked(std::chrono::steady_clock::now());
}

void TenantKeyCache::purge_locked(Time now) {
   std::erase_if(m_entries, [&](const auto& item) { return now - item.second.used >= k_ttl; });
}

}  // namespace leastdata::server
