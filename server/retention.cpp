// The retention pass.
#include "retention.hpp"

#include "log.hpp"

namespace leastdata::server::retention {

SweepResult sweep(Store& store, CertificateIssuer& issuer, Millis now) {
   SweepResult result;
   result.jobs_deleted = store.delete_expired_jobs(now);
   result.tokens_deleted = store.delete_expired_tokens(now);
   result.sessions_deleted = store.delete_expired_sessions(now);
   result.access_rows_deleted = store.delete_expired_access(now);
   for(const Tenant& tenant : store.tenants_due_for_deletion(now)) {
      const Millis due = *tenant.deletion_due_at();
      // Re-checked under the row lock: another instance may have deleted it, or an
      // activity may have reactivated it, since the list was read.
      const auto still_due = [&](const Tenant& t) {
         return t.status == "inactive" && t.deletion_due_at() && *t.deletion_due_at() <= now;
      };
      if(auto record = issuer.delete_tenant(tenant, certificate::Trigger::retention_inactive_30d, due, still_due)) {
         ++result.tenants_deleted;
         result.certificates.push_back(std::move(record->certificate));
      }
   }
   log::info("sweep", {{"jobs_deleted", result.jobs_deleted},
                       {"tokens_deleted", result.tokens_deleted},
                       {"sessions_deleted", result.sessions_deleted},
                       {"access_rows_deleted", result.access_rows_deleted},
                       {"tenants_deleted", result.tenants_deleted}});
   return result;
}

nlohmann::json summary(const SweepResult& result) {
   nlohmann::json certificates = nlohmann::json::array();
   for(const auto& text : result.certificates) {
      certificates.push_back(nlohmann::json::parse(text));
   }
   return {{"jobs_deleted", result.jobs_deleted},
           {"tenants_deleted", result.tenants_deleted},
           {"certificates", std::move(certificates)}};
}

}  // namespace leastdata::server::retention
