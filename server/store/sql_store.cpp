// See sql_store.hpp: the tenants and their keys; and opening a store by URL.
#include "sql_store.hpp"

#include <stdexcept>

namespace leastdata::server {

namespace sql_store {

void SqlStore::ping() {
   m_db->transaction([](Transaction& tx) { tx.query("SELECT 1"); });
}

bool SqlStore::add_tenant(std::string_view subdomain,
                const std::function<std::pair<Tenant, TenantKey>()>& make) {
   bool added = false;
   m_db->transaction([&](Transaction& tx) {
      tx.lock_exclusive();
      if(!tx.query("SELECT 1 FROM tenants WHERE subdomain = ?", {str(subdomain)}).empty()) {
         return;
      }
      const auto [t, k] = make();
      tx.execute(cat({"INSERT INTO tenants (", k_tenant_columns, ") VALUES (?, ?, ?, ?, ?, ?, ?)"}),
                 {t.id, t.subdomain, t.jwt_secret, t.status, opt(t.inactive_reason), opt(t.inactive_since),
                  t.created_at});
      tx.execute(
         "INSERT INTO tenant_keys (tenant_id, key_version, master_version, wrapped_key) VALUES (?, ?, ?, ?)",
         {k.tenant_id, std::int64_t{k.key_version}, std::int64_t{k.master_version}, k.wrapped_key});
      added = true;
   });
   return added;
}

std::optional<Tenant> SqlStore::tenant_any(std::string_view subdomain) {
   std::optional<Tenant> out;
   m_db->transaction([&](Transaction& tx) {
      const auto rows =
         tx.query(cat({"SELECT ", k_tenant_columns, " FROM tenants WHERE subdomain = ?"}), {str(subdomain)});
      if(!rows.empty()) {
         out = tenant_from(rows.front());
      }
   });
   return out;
}

std::optional<Tenant> SqlStore::tenant(std::string_view subdomain, Millis now) {
   std::optional<Tenant> out;
   m_db->transaction([&](Transaction& tx) {
      const auto rows = tx.query(
         cat({"SELECT ", k_tenant_columns, " FROM tenants WHERE subdomain = ? AND ", k_tenant_visible}),
         {str(subdomain), now - k_inactive_tenant_retention});
      if(!rows.empty()) {
         out = tenant_from(rows.front());
      }
   });
   return out;
}

std::optional<TenantKey> SqlStore::tenant_key(std::string_view tenant_id) {
   std::optional<TenantKey> out;
   m_db->transaction([&](Transaction& tx) {
      const auto rows = tx.query(
         "SELECT tenant_id, key_version, master_version, wrapped_key FROM tenant_keys WHERE tenant_id = ?",
         {str(tenant_id)});
      if(!rows.empty()) {
         out = key_from(rows.front());
      }
   });
   return out;
}

std::optional<TenantWithKey> SqlStore::tenant_with_key(std::string_view subdomain, Millis now) {
   const auto rows = m_db->read(
      cat({"SELECT t.id, t.subdomain, t.jwt_secret, t.status, t.inactive_reason, t.inactive_since, t.created_at, "
           "k.key_version, k.master_version, k.wrapped_key "
           "FROM tenants t LEFT JOIN tenant_keys k ON k.tenant_id = t.id WHERE t.subdomain = ? AND ",
           k_tenant_visible}),
      {str(subdomain), now - k_inactive_tenant_retention});
   if(rows.empty()) {
      return std::nullopt;
   }
   const sql::Row& r = rows.front();
   TenantWithKey out{tenant_from(r), std::nullopt};
   if(!r.is_null(9)) {
      out.key = TenantKey{out.tenant.id, static_cast<std::uint32_t>(r.integer(7)),
                          static_cast<std::uint32_t>(r.integer(8)), r.blob(9)};
   }
   return out;
}

bool SqlStore::set_tenant_status(std::string_view tenant_id, std::string_view status, std::optional<std::string> reason,
                       std::optional<Millis> since, Millis now) {
   std::int64_t changed = 0;
   m_db->transaction([&](Transaction& tx) {
      changed = tx.execute(cat({"UPDATE tenants SET status = ?, inactive_reason = ?, inactive_since = ? "
                                "WHERE id = ? AND ",
                                k_tenant_visible}),
                           {str(status), opt(reason), opt(since), str(tenant_id),
                            now - k_inactive_tenant_retention});
   });
   return changed > 0;
}

std::vector<Tenant> SqlStore::tenants_due_for_deletion(Millis now) {
   return select_all<Tenant>(cat({"SELECT ", k_tenant_columns,
                                        " FROM tenants WHERE status = 'inactive' AND inactive_since <= ? "
                                        "ORDER BY inactive_since"}),
                        {now - k_inactive_tenant_retention}, tenant_from);
}

std::optional<DeletionRecord> SqlStore::delete_tenant(
   std::string_view tenant_id, const std::function<bool(const Tenant&)>& still_applies,
   const std::function<void(const Tenant&, const std::optional<TenantKey>&)>& destroy_key,
   const std::function<DeletionRecord(const Tenant&, const DeletionCounts&)>& sign) {
   std::optional<DeletionRecord> record;
   m_db->transaction([&](Transaction& tx) {
      const auto rows =
         tx.query(cat({"SELECT ", k_tenant_columns, " FROM tenants WHERE id = ?", for_update()}), {str(tenant_id)});
      if(rows.empty()) {
         return;
      }
      const Tenant t = tenant_from(rows.front());
      if(!still_applies(t)) {
         return;
      }
      const std::vector<Value> id = {str(tenant_id)};
      // The key goes first: from here on no ciphertext of the tenant can be opened, in
      // this database or any copy of it. If the transaction then fails, the tenant
      // stays closed for good and the deletion can be run again.
      const auto keys = tx.query(
         "SELECT tenant_id, key_version, master_version, wrapped_key FROM tenant_keys WHERE tenant_id = ?", id);
      destroy_key(t, keys.empty() ? std::nullopt : std::optional<TenantKey>(key_from(keys.front())));
      tx.execute("DELETE FROM tenant_keys WHERE tenant_id = ?", id);
      DeletionCounts counts;
      counts.agents = tx.execute("DELETE FROM agents WHERE tenant_id = ?", id);
      counts.tokens = tx.execute("DELETE FROM tokens WHERE tenant_id = ?", id);
      counts.shared_tokens = tx.execute("DELETE FROM shared_tokens WHERE tenant_id = ?", id);
      counts.settings = tx.execute("DELETE FROM settings WHERE tenant_id = ?", id);
      counts.stats_rows = tx.execute("DELETE FROM stats WHERE tenant_id = ?", id);
      counts.jobs = tx.execute("DELETE FROM jobs WHERE tenant_id = ?", id);
      counts.sessions = tx.execute("DELETE FROM sessions WHERE tenant_id = ?", id);
      counts.declared_policies = tx.execute("DELETE FROM declared_policies WHERE tenant_id = ?", id);
      counts.access_days = tx.execute("DELETE FROM access_days WHERE tenant_id = ?", id);
      // Every table of tenant data references tenants: this fails, and the whole
      // deletion with it, if a row of the tenant were left anywhere.
      tx.execute("DELETE FROM tenants WHERE id = ?", id);
      DeletionRecord r = sign(t, counts);
      tx.execute(
         "INSERT INTO deletion_log (certificate_id, subdomain, trigger, completed_at, certificate) "
         "VALUES (?, ?, ?, ?, ?)",
         {r.certificate_id, r.subdomain, r.trigger, r.completed_at, r.certificate});
      record = std::move(r);
   });
   if(record) {
      m_db->reclaim();
   }
   return record;
}

std::int64_t SqlStore::rewrap_tenant_keys(const std::function<TenantKey(const TenantKey&)>& rewrap) {
   std::int64_t n = 0;
   m_db->transaction([&](Transaction& tx) {
      n = 0;
      tx.lock_exclusive();
      const auto rows = tx.query(cat({"SELECT tenant_id, key_version, master_version, wrapped_key "
                                      "FROM tenant_keys",
                                      for_update()}));
      for(const auto& r : rows) {
         const TenantKey rewrapped = rewrap(key_from(r));
         tx.execute("UPDATE tenant_keys SET master_version = ?, wrapped_key = ? WHERE tenant_id = ?",
                    {std::int64_t{rewrapped.master_version}, rewrapped.wrapped_key, rewrapped.tenant_id});
         ++n;
      }
   });
   m_db->reclaim();  // no frame with the old wrapping lingers in the WAL
   return n;
}

std::vector<std::uint32_t> SqlStore::master_versions_in_use() {
   std::vector<std::uint32_t> out;
   m_db->transaction([&](Transaction& tx) {
      for(const auto& r : tx.query("SELECT DISTINCT master_version FROM tenant_keys ORDER BY master_version")) {
         out.push_back(static_cast<std::uint32_t>(r.integer(0)));
      }
   });
   return out;
}

}  // namespace sql_store

std::unique_ptr<Store> open_store(const std::string& url) {
   using sql_store::SqlStore;
   if(url.rfind("sqlite:", 0) == 0) {
      std::string path = url.substr(7);
      if(path.rfind("//", 0) == 0) {
         path = path.substr(2);  // sqlite:///abs/path and sqlite://rel are accepted too
      }
      if(path.empty()) {
         throw std::invalid_argument("sqlite: URL without a path");
      }
      return std::make_unique<SqlStore>(sql::open_sqlite(path), "sqlite");
   }
   if(url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
      return std::make_unique<SqlStore>(sql::open_postgres(url, 4), "postgresql");
   }
   throw std::invalid_argument("--db must be sqlite:PATH or postgresql://...");
}


}  // namespace leastdata::server
