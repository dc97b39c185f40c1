// See sql_store.hpp: declared and observed access, sessions, retention sweeps, the deletion log.
#include "sql_store.hpp"

#include <stdexcept>

namespace leastdata::server::sql_store {

DeclaredPolicy SqlStore::declare_policy(std::string_view tenant_id, std::string_view app, std::string_view policy_key,
                              const std::function<Blob()>& seal_declaration, Millis now) {
   DeclaredPolicy out;
   m_db->transaction([&](Transaction& tx) {
      within_quota(tx, tenant_id, QuotaCategory::declared_policies, [&] {
         // A row past its deadline is gone for the caller: declaring again starts it afresh.
         const auto rows = tx.query(
            cat({"INSERT INTO declared_policies (tenant_id, ", k_declared_columns, ") VALUES (?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (tenant_id, app, policy_key) DO UPDATE SET "
                 "first_declared = CASE WHEN declared_policies.last_declared <= ? THEN excluded.first_declared "
                 "ELSE declared_policies.first_declared END, last_declared = excluded.last_declared "
                 "RETURNING ",
                 k_declared_columns}),
            {str(tenant_id), str(app), str(policy_key), seal_declaration(), now, now, now - k_access_retention});
         out = declared_from(rows.front());
      });
   });
   return out;
}

std::vector<DeclaredPolicy> SqlStore::declared_policies(std::string_view tenant_id, Millis now) {
   return select_all<DeclaredPolicy>(cat({"SELECT ", k_declared_columns, " FROM declared_policies WHERE tenant_id = ? AND ",
                                        k_declared_visible, " ORDER BY app, last_declared DESC, policy_key"}),
                        {str(tenant_id), now - k_access_retention}, declared_from);
}

void SqlStore::merge_access_day(std::string_view tenant_id, std::string_view app, std::string_view day,
                      const std::function<Blob(const std::optional<Blob>&)>& merge) {
   m_db->transaction([&](Transaction& tx) {
      // within_quota locks the tenant's row before this reads the day's: two instances
      // merging into one row run one after the other, and neither loses the other's counts.
      within_quota(tx, tenant_id, QuotaCategory::access_days, [&] {
         const auto rows = tx.query(
            cat({"SELECT observed FROM access_days WHERE tenant_id = ? AND app = ? AND day = ?", for_update()}),
            {str(tenant_id), str(app), str(day)});
         const std::optional<Blob> current = rows.empty() ? std::nullopt : std::optional<Blob>(rows.front().blob(0));
         tx.execute("INSERT INTO access_days (tenant_id, app, day, observed) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (tenant_id, app, day) DO UPDATE SET observed = excluded.observed",
                    {str(tenant_id), str(app), str(day), merge(current)});
      });
   });
}

std::vector<AccessDay> SqlStore::access_days(std::string_view tenant_id, Millis now) {
   return select_all<AccessDay>(cat({"SELECT app, day, observed FROM access_days WHERE tenant_id = ? AND ",
                                        k_access_day_visible, " ORDER BY app, day"}),
                        {str(tenant_id), access_day_horizon(now)}, [](const sql::Row& r) { return AccessDay{r.text(0), r.text(1), r.blob(2)}; });
}

std::int64_t SqlStore::delete_expired_access(Millis now) {
   std::int64_t n = 0;
   m_db->transaction([&](Transaction& tx) {
      n = tx.execute("DELETE FROM declared_policies WHERE last_declared <= ?", {now - k_access_retention}) +
          tx.execute("DELETE FROM access_days WHERE day <= ?", {access_day_horizon(now)});
   });
   if(n > 0) {
      m_db->reclaim();
   }
   return n;
}

std::int64_t SqlStore::delete_expired_jobs(Millis now) {
   std::int64_t n = 0;
   m_db->transaction(
      [&](Transaction& tx) { n = tx.execute("DELETE FROM jobs WHERE updated_at <= ?", {now - k_job_retention}); });
   if(n > 0) {
      m_db->reclaim();
   }
   return n;
}

void SqlStore::create_session(std::string_view tenant_id, const Session& x) {
   m_db->transaction([&](Transaction& tx) {
      within_quota(tx, tenant_id, QuotaCategory::sessions, [&] {
         tx.execute(cat({"INSERT INTO sessions (tenant_id, ", k_session_columns, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"}),
                    {str(tenant_id), x.id_hash, x.agent_id, x.role, x.zendesk_tokens, x.created_at, x.expires_at,
                     x.checked_at});
      });
   });
}

std::optional<Session> SqlStore::session(std::string_view tenant_id, std::string_view id_hash, Millis now) {
   const auto rows = m_db->read(cat({"SELECT ", k_session_columns,
                                     " FROM sessions WHERE tenant_id = ? AND id_hash = ? AND expires_at > ?"}),
                                {str(tenant_id), str(id_hash), now});
   return rows.empty() ? std::nullopt : std::optional<Session>(session_from(rows.front()));
}

std::optional<Session> SqlStore::recheck_session(std::string_view tenant_id, std::string_view id_hash, Millis now,
                                       const std::function<bool(Session&)>& change) {
   std::optional<Session> out;
   m_db->transaction([&](Transaction& tx) {
      out.reset();
      const auto rows = tx.query(cat({"SELECT ", k_session_columns,
                                      " FROM sessions WHERE tenant_id = ? AND id_hash = ? AND expires_at > ?",
                                      for_update()}),
                                 {str(tenant_id), str(id_hash), now});
      if(rows.empty()) {
         return;
      }
      Session x = session_from(rows.front());
      if(!change(x)) {
         tx.execute("DELETE FROM sessions WHERE tenant_id = ? AND id_hash = ?", {str(tenant_id), str(id_hash)});
         return;
      }
      tx.execute("UPDATE sessions SET role = ?, zendesk_tokens = ?, checked_at = ? WHERE tenant_id = ? AND id_hash = ?",
                 {x.role, x.zendesk_tokens, x.checked_at, str(tenant_id), str(id_hash)});
      out = std::move(x);
   });
   return out;
}

bool SqlStore::delete_session(std::string_view tenant_id, std::string_view id_hash) {
   std::int64_t n = 0;
   m_db->transaction([&](Transaction& tx) {
      n = tx.execute("DELETE FROM sessions WHERE tenant_id = ? AND id_hash = ?", {str(tenant_id), str(id_hash)});
   });
   return n > 0;
}

std::vector<Session> SqlStore::sessions(std::string_view tenant_id, Millis now) {
   std::vector<Session> out;
   for(const auto& r : m_db->read(cat({"SELECT ", k_session_columns,
                                       " FROM sessions WHERE tenant_id = ? AND expires_at > ? ORDER BY created_at"}),
                                  {str(tenant_id), now})) {
      out.push_back(session_from(r));
   }
   return out;
}

std::int64_t SqlStore::delete_expired_sessions(Millis now) {
   std::int64_t n = 0;
   m_db->transaction([&](Transaction& tx) { n = tx.execute("DELETE FROM sessions WHERE expires_at <= ?", {now}); });
   if(n > 0) {
      m_db->reclaim();
   }
   return n;
}

std::int64_t SqlStore::delete_expired_tokens(Millis now) {
   std::int64_t n = 0;
   m_db->transaction([&](Transaction& tx) {
      n = tx.execute("DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at <= ?", {now}) +
          tx.execute("DELETE FROM shared_tokens WHERE expires_at IS NOT NULL AND expires_at <= ?", {now});
   });
   if(n > 0) {
      m_db->reclaim();
   }
   return n;
}

std::vector<DeletionRecord> SqlStore::deletion_log() {
   return select_all<DeletionRecord>("SELECT certificate_id, subdomain, trigger, completed_at, certificate "
                                   "FROM deletion_log ORDER BY completed_at, certificate_id",
                        {}, record_from);
}

std::optional<DeletionRecord> SqlStore::deletion_record(std::string_view certificate_id) {
   std::optional<DeletionRecord> out;
   m_db->transaction([&](Transaction& tx) {
      const auto rows = tx.query("SELECT certificate_id, subdomain, trigger, completed_at, certificate "
                                 "FROM deletion_log WHERE certificate_id = ?",
                                 {str(certificate_id)});
      if(!rows.empty()) {
         out = record_from(rows.front());
      }
   });
   return out;
}

}  // namespace leastdata::server::sql_store
