// Creating tenants and reaching their keys.
#include "tenants.hpp"

#include "leastdata/crypto.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace leastdata::server::tenants {

namespace {

bool lower_alnum(char c) {
   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string random_id(std::string_view prefix, std::size_t bytes) {
   std::vector<std::uint8_t> raw(bytes);
   crypto::random_bytes(raw);
   return std::string(prefix) + crypto::base64url_encode(raw);
}

}  // namespace

bool valid_subdomain(std::string_view s) {
   return !s.empty() && s.size() <= 63 && lower_alnum(s.front()) && lower_alnum(s.back()) &&
          std::all_of(s.begin(), s.end(), [](char c) { return lower_alnum(c) || c == '-'; });
}

std::optional<Created> add(Store& store, Keyring& keyring, std::string_view subdomain, Millis now) {
   if(!valid_subdomain(subdomain)) {
      throw std::invalid_argument("a subdomain is 1-63 characters of [a-z0-9-], starting and ending with a letter or digit");
   }
   // 32 random bytes as base64url: the string is the HS256 key (Zendesk's secure setting
   // holds text), with 256 bits of entropy.
   Botan::secure_vector<std::uint8_t> secret_bytes(32);
   crypto::random_bytes(secret_bytes);
   std::string secret = crypto::base64url_encode(secret_bytes);

   const bool added = store.add_tenant(subdomain, [&] {
      // Reloaded under the key-management lock: a rotation that committed meanwhile has
      // already written its new master key file.
      keyring.reload();
      const MasterKey master = keyring.current();
      const DataKey key = envelope::generate_data_key();
      Tenant t;
      t.id = random_id("t_", 16);
      t.subdomain = std::string(subdomain);
      t.status = "active";
      t.created_at = now;
      t.jwt_secret = envelope::seal(key, jwt_secret_context(t), secret);
      // Written before the row that needs it. If the transaction does not commit, the file
      // is left behind: a random key that opens nothing. Nothing removes such files on its
      // own, because a file without a row may also belong to a database restored from a
      // backup older than its tenant (docs/operations.md, "Erasure").
      const auto tenant_key = keys::add_tenant_key(keyring.dir(), t.id);
      TenantKey k{t.id, key.version, master.version, envelope::wrap(master, tenant_key, key, t.id)};
      return std::pair{std::move(t), std::move(k)};
   });
   if(!added) {
      return std::nullopt;
   }
   return Created{std::string(subdomain), std::move(secret)};
}

Botan::secure_vector<std::uint8_t> jwt_secret(const DataKey& key, const Tenant& tenant) {
   return envelope::open(key, jwt_secret_context(tenant), tenant.jwt_secret);
}

SealContext token_context(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                          std::string_view name, std::string& row_storage) {
   if(agent_id) {
      row_storage = *agent_id + "/" + std::string(name);
      return {"tokens", "value", tenant_id, row_storage};
   }
   row_storage = std::string(name);
   return {"shared_tokens", "value", tenant_id, row_storage};
}

SealContext declaration_context(std::string_view tenant_id, std::string_view app, std::string_view policy_key,
                                std::string& row_storage) {
   row_storage = std::string(app) + "/" + std::string(policy_key);
   return {"declared_policies", "declaration", tenant_id, row_storage};
}

SealContext access_day_context(std::string_view tenant_id, std::string_view app, std::string_view day,
                               std::string& row_storage) {
   row_storage = std::string(app) + "/" + std::string(day);
   return {"access_days", "observed", tenant_id, row_storage};
}

}  // namespace leastdata::server::tenants
