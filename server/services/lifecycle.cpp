// See lifecycle.hpp.
#include "services/lifecycle.hpp"

#include "http/call.hpp"
#include "log.hpp"

namespace leastdata::server {

using nlohmann::json;

void lifecycle::reactivate(Store& store, Tenant& tenant, Millis now) {
   store.set_tenant_status(tenant.id, "active", std::nullopt, std::nullopt, now);
   tenant.status = "active";
   tenant.inactive_reason.reset();
   tenant.inactive_since.reset();
   log::info("tenant_reactivated");
}

namespace handlers {

Reply deactivate(Call& call) {
   Tenant& t = call.who->tenant;
   if(t.status != "inactive") {
      // Deactivating again keeps the first date: retention is not postponed.
      call.ep.store.set_tenant_status(t.id, "inactive", std::string("uninstalled"), call.now, call.now);
      t.status = "inactive";
      t.inactive_reason = "uninstalled";
      t.inactive_since = call.now;
   }
   return json_reply(200, {{"status", t.status},
                           {"reason", t.inactive_reason ? json(*t.inactive_reason) : json(nullptr)},
                           {"inactive_since", time_or_null(t.inactive_since)},
                           {"deletion_due_at", time_or_null(t.deletion_due_at())}});
}

}  // namespace handlers

}  // namespace leastdata::server
