// Tenant operations shared by the CLI (`tenant add|activate|deactivate`) and the HTTP
// layer: creating a tenant with its data key and JWT secret, opening its JWT secret,
// and the sealing contexts of its encrypted columns.
#pragma once

#include "clock.hpp"
#include "envelope.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace leastdata::server::tenants {

/// A Zendesk subdomain: 1-63 characters of [a-z0-9-], starting and ending alphanumeric.
bool valid_subdomain(std::string_view subdomain);

struct Created {
      std::string subdomain;
      std::string jwt_secret;  // shown once; stored only sealed under the tenant's data key
};

/// Empty if the subdomain is already a tenant. Throws std::invalid_argument for a bad subdomain.
std::optional<Created> add(Store& store, Keyring& keyring, std::string_view subdomain, Millis now);

/// The HS256 secret of a tenant (the bytes of the string printed by `tenant add`).
Botan::secure_vector<std::uint8_t> jwt_secret(const DataKey& key, const Tenant& tenant);

// Sealing contexts (envelope.hpp): table, column, tenant, row.
inline SealContext jwt_secret_context(const Tenant& t) {
   return {"tenants", "jwt_secret", t.id, t.id};
}
inline SealContext email_context(std::string_view tenant_id, std::string_view agent_id) {
   return {"agents", "email", tenant_id, agent_id};
}
/// Agent tokens use the row "<agent_id>/<name>", shared tokens the name.
SealContext token_context(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                          std::string_view name, std::string& row_storage);
inline SealContext settings_context(std::string_view tenant_id, std::string_view app) {
   return {"settings", "body", tenant_id, app};
}
inline SealContext job_context(std::string_view tenant_id, std::string_view job_id) {
   return {"jobs", "contents", tenant_id, job_id};
}
/// Declared policies use the row "<app>/<policy key>".
SealContext declaration_context(std::string_view tenant_id, std::string_view app, std::string_view policy_key,
                                std::string& row_storage);
/// Access days use the row "<app>/<day>".
SealContext access_day_context(std::string_view tenant_id, std::string_view app, std::string_view day,
                               std::string& row_storage);

}  // namespace leastdata::server::tenants
