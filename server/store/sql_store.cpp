// The Store over sql::Database: every statement the endpoint runs, written once for both
// backends. Retention visibility is part of each read's WHERE clause.
#include "store.hpp"

#include "migrations.hpp"

#include <stdexcept>

namespace leastdata::server {

namespace sql {

namespace {
thread_local bool t_in_transaction = false;
}

NestingGuard::NestingGuard() {
   if(t_in_transaction) {
      throw DatabaseError("nested transaction (a store call inside a store callback)");
   }
   t_in_transaction = true;
}

NestingGuard::~NestingGuard() {
   t_in_transaction = false;
}

std::int64_t Row::integer(std::size_t i) const {
   if(const auto* n = std::get_if<std::int64_t>(&m_values.at(i))) {
      return *n;
   }
   if(const auto* s = std::get_if<std::string>(&m_values.at(i))) {
      return std::stoll(*s);  // e.g. a PostgreSQL NUMERIC aggregate
   }
   throw DatabaseError("column " + std::to_string(i) + " is not an integer");
}

std::optional<std::int64_t> Row::optional_integer(std::size_t i) const {
   return is_null(i) ? std::nullopt : std::optional<std::int64_t>(integer(i));
}

std::string Row::text(std::size_t i) const {
   if(const auto* s = std::get_if<std::string>(&m_values.at(i))) {
      return *s;
   }
   throw DatabaseError("column " + std::to_string(i) + " is not text");
}

std::optional<std::string> Row::optional_text(std::size_t i) const {
   return is_null(i) ? std::nullopt : std::optional<std::string>(text(i));
}

Blob Row::blob(std::size_t i) const {
   if(const auto* b = std::get_if<Blob>(&m_values.at(i))) {
      return *b;
   }
   throw DatabaseError("column " + std::to_string(i) + " is not a blob");
}

}  // namespace sql

namespace {

using sql::Rows;
using sql::Transaction;
using sql::Value;

constexpr std::int64_t k_max_counter = (std::int64_t{1} << 53) - 1;

Value opt(const std::optional<Millis>& v) {
   return v ? Value(*v) : Value(nullptr);
}

Value opt(const std::optional<std::string>& v) {
   return v ? Value(*v) : Value(nullptr);
}

Value str(std::string_view s) {
   return Value(std::string(s));
}

constexpr std::string_view k_tenant_columns =
   "id, subdomain, jwt_secret, status, inactive_reason, inactive_since, created_at";

Tenant tenant_from(const sql::Row& r) {
   Tenant t;
   t.id = r.text(0);
   t.subdomain = r.text(1);
   t.jwt_secret = r.blob(2);
   t.status = r.text(3);
   t.inactive_reason = r.optional_text(4);
   t.inactive_since = r.optional_integer(5);
   t.created_at = r.integer(6);
   return t;
}

// `ids` and `cursor` hold clear values only in rows from schema 1; since schema 2 they are
// '' and NULL, and `contents` holds both, sealed.
constexpr std::string_view k_job_columns = "id, kind, ids, cursor, status, created_at, updated_at, stopped_at, contents";

Job job_from(const sql::Row& r) {
   Job j;
   j.id = r.text(0);
   j.kind = r.text(1);
   if(r.is_null(8)) {
      const auto cursor = r.optional_text(3);
      j.clear_contents = "{\"ids\":" + r.text(2) + ",\"cursor\":" +
                         (cursor ? "\"" + *cursor + "\"" : std::string("null")) + "}";  // cursors need no escaping
   } else {
      j.contents = r.blob(8);
   }
   j.status = r.text(4);
   j.created_at = r.integer(5);
   j.updated_at = r.integer(6);
   j.stopped_at = r.optional_integer(7);
   return j;
}

constexpr std::string_view k_session_columns = "id_hash, agent_id, role, zendesk_tokens, created_at, expires_at, checked_at";

Session session_from(const sql::Row& r) {
   return Session{r.text(0), r.text(1), r.text(2), r.blob(3), r.integer(4), r.integer(5), r.integer(6)};
}

Token token_from(const sql::Row& r, bool shared) {
   // columns: [agent_id,] name, value, expires_at, updated_at
   const std::size_t o = shared ? 0 : 1;
   Token t;
   if(!shared) {
      t.agent_id = r.text(0);
   }
   t.name = r.text(o);
   t.value = r.blob(o + 1);
   t.expires_at = r.optional_integer(o + 2);
   t.updated_at = r.integer(o + 3);
   return t;
}

// A tenant is gone 30 days after it became inactive; a job 7 days after its last
// update; a token at its expiry. These clauses are the single definition of "visible".
constexpr std::string_view k_tenant_visible = "(status = 'active' OR inactive_since > ?)";
constexpr std::string_view k_job_visible = "updated_at > ?";
constexpr std::string_view k_token_visible = "(expires_at IS NULL OR expires_at > ?)";
// A declared policy is gone 30 days after it was last declared; an access day 30 days after
// it began, that is, when the day of `now - 30 days` is not before it (the parameter).
constexpr std::string_view k_declared_visible = "last_declared > ?";
constexpr std::string_view k_access_day_visible = "day > ?";

std::string access_day_horizon(Millis now) {
   return format_day(now - k_access_retention);
}

constexpr std::string_view k_declared_columns = "app, policy_key, declaration, first_declared, last_declared";

DeclaredPolicy declared_from(const sql::Row& r) {
   return DeclaredPolicy{r.text(0), r.text(1), r.blob(2), r.integer(3), r.integer(4)};
}

std::string cat(std::initializer_list<std::string_view> parts) {
   std::string out;
   for(const auto p : parts) {
      out += p;
   }
   return out;
}

class SqlStore final : public Store {
   public:
      SqlStore(std::unique_ptr<sql::Database> db, std::string backend) :
         m_db(std::move(db)), m_backend(std::move(backend)) {}

      void migrate() override { migrations::run(*m_db); }

      void ping() override {
         m_db->transaction([](Transaction& tx) { tx.query("SELECT 1"); });
      }

      std::string backend() const override { return m_backend; }

      void set_quotas(const Quotas& quotas) override { m_quotas = quotas; }

      // ---- tenants ------------------------------------------------------------------------

      bool add_tenant(std::string_view subdomain,
                      const std::function<std::pair<Tenant, TenantKey>()>& make) override {
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

      std::optional<Tenant> tenant_any(std::string_view subdomain) override {
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

      std::optional<Tenant> tenant(std::string_view subdomain, Millis now) override {
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

      std::optional<TenantKey> tenant_key(std::string_view tenant_id) override {
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

      std::optional<TenantWithKey> tenant_with_key(std::string_view subdomain, Millis now) override {
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

      bool set_tenant_status(std::string_view tenant_id, std::string_view status, std::optional<std::string> reason,
                             std::optional<Millis> since, Millis now) override {
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

      std::vector<Tenant> tenants_due_for_deletion(Millis now) override {
         std::vector<Tenant> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(cat({"SELECT ", k_tenant_columns,
                                              " FROM tenants WHERE status = 'inactive' AND inactive_since <= ? "
                                              "ORDER BY inactive_since"}),
                                         {now - k_inactive_tenant_retention})) {
               out.push_back(tenant_from(r));
            }
         });
         return out;
      }

      std::optional<DeletionRecord> delete_tenant(
         std::string_view tenant_id, const std::function<bool(const Tenant&)>& still_applies,
         const std::function<void(const Tenant&, const std::optional<TenantKey>&)>& destroy_key,
         const std::function<DeletionRecord(const Tenant&, const DeletionCounts&)>& sign) override {
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

      std::int64_t rewrap_tenant_keys(const std::function<TenantKey(const TenantKey&)>& rewrap) override {
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

      std::vector<std::uint32_t> master_versions_in_use() override {
         std::vector<std::uint32_t> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query("SELECT DISTINCT master_version FROM tenant_keys ORDER BY master_version")) {
               out.push_back(static_cast<std::uint32_t>(r.integer(0)));
            }
         });
         return out;
      }

      // ---- agents -------------------------------------------------------------------------

      // Insert-or-nothing first, then update: two instances registering the same new agent at
      // once both succeed (an update-then-insert lost the race on the primary key), and
      // exactly one of them is told it created the agent. On PostgreSQL the insert waits for
      // a concurrent one to commit, and the update (a new snapshot) then sees its row.
      WriteOutcome put_agent(std::string_view tenant_id, const Agent& a) override {
         WriteOutcome outcome = WriteOutcome::updated;
         m_db->transaction([&](Transaction& tx) {
            within_quota(tx, tenant_id, QuotaCategory::agents, [&] {
               const Value email = a.email ? Value(*a.email) : Value(nullptr);
               const auto inserted = tx.execute(
                  "INSERT INTO agents (tenant_id, agent_id, email, role, registered_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, agent_id) DO NOTHING",
                  {str(tenant_id), a.agent_id, email, a.role, a.registered_at, a.updated_at});
               if(inserted > 0) {
                  outcome = WriteOutcome::created;
                  return;
               }
               tx.execute("UPDATE agents SET email = ?, role = ?, updated_at = ? WHERE tenant_id = ? AND agent_id = ?",
                          {email, a.role, a.updated_at, str(tenant_id), a.agent_id});
            });
         });
         return outcome;
      }

      std::vector<Agent> agents(std::string_view tenant_id) override {
         std::vector<Agent> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query("SELECT agent_id, email, role, registered_at, updated_at FROM agents "
                                         "WHERE tenant_id = ? ORDER BY registered_at, agent_id",
                                         {str(tenant_id)})) {
               Agent a;
               a.agent_id = r.text(0);
               if(!r.is_null(1)) {
                  a.email = r.blob(1);
               }
               a.role = r.text(2);
               a.registered_at = r.integer(3);
               a.updated_at = r.integer(4);
               out.push_back(std::move(a));
            }
         });
         return out;
      }

      // ---- tokens -------------------------------------------------------------------------

      WriteOutcome put_token(std::string_view tenant_id, const Token& t) override {
         WriteOutcome outcome = WriteOutcome::updated;
         m_db->transaction([&](Transaction& tx) {
            within_quota(tx, tenant_id, t.agent_id ? QuotaCategory::tokens : QuotaCategory::shared_tokens, [&] {
               const auto [where, key] = token_key(tenant_id, t.agent_id, t.name);
               const bool existed =
                  !tx.query(cat({"SELECT 1 FROM ", table(t.agent_id), " WHERE ", where, " AND ", k_token_visible}),
                            with(key, t.updated_at))
                      .empty();
               if(t.agent_id) {
                  tx.execute("INSERT INTO tokens (tenant_id, agent_id, name, value, expires_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, agent_id, name) DO UPDATE SET "
                             "value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at",
                             {str(tenant_id), *t.agent_id, t.name, t.value, opt(t.expires_at), t.updated_at});
               } else {
                  tx.execute("INSERT INTO shared_tokens (tenant_id, name, value, expires_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO UPDATE SET "
                             "value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at",
                             {str(tenant_id), t.name, t.value, opt(t.expires_at), t.updated_at});
               }
               outcome = existed ? WriteOutcome::updated : WriteOutcome::created;
            });
         });
         return outcome;
      }

      std::optional<Token> token(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                                 std::string_view name, Millis now) override {
         std::optional<Token> out;
         m_db->transaction([&](Transaction& tx) {
            const auto [where, key] = token_key(tenant_id, agent_id, name);
            const auto rows = tx.query(cat({"SELECT ", agent_id ? "agent_id, " : "",
                                            "name, value, expires_at, updated_at FROM ", table(agent_id), " WHERE ",
                                            where, " AND ", k_token_visible}),
                                       with(key, now));
            if(!rows.empty()) {
               out = token_from(rows.front(), !agent_id);
            }
         });
         return out;
      }

      bool delete_token(std::string_view tenant_id, const std::optional<std::string>& agent_id, std::string_view name,
                        Millis now) override {
         std::int64_t deleted = 0;
         bool visible = false;
         m_db->transaction([&](Transaction& tx) {
            const auto [where, key] = token_key(tenant_id, agent_id, name);
            visible = !tx.query(cat({"SELECT 1 FROM ", table(agent_id), " WHERE ", where, " AND ", k_token_visible}),
                                with(key, now))
                          .empty();
            // An expired token is gone for the caller, but its row is removed all the same.
            deleted = tx.execute(cat({"DELETE FROM ", table(agent_id), " WHERE ", where}), key);
         });
         if(deleted > 0) {
            m_db->reclaim();
         }
         return visible;
      }

      std::vector<Token> tokens(std::string_view tenant_id, Millis now) override {
         std::vector<Token> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(cat({"SELECT agent_id, name, value, expires_at, updated_at FROM tokens "
                                              "WHERE tenant_id = ? AND ",
                                              k_token_visible, " ORDER BY agent_id, name"}),
                                         {str(tenant_id), now})) {
               out.push_back(token_from(r, false));
            }
            for(const auto& r : tx.query(cat({"SELECT name, value, expires_at, updated_at FROM shared_tokens "
                                              "WHERE tenant_id = ? AND ",
                                              k_token_visible, " ORDER BY name"}),
                                         {str(tenant_id), now})) {
               out.push_back(token_from(r, true));
            }
         });
         return out;
      }

      // ---- settings -----------------------------------------------------------------------

      std::optional<Settings> settings(std::string_view tenant_id, std::string_view app) override {
         const auto rows = m_db->read("SELECT app, body, version, updated_at FROM settings WHERE tenant_id = ? AND app = ?",
                                      {str(tenant_id), str(app)});
         if(rows.empty()) {
            return std::nullopt;
         }
         return settings_from(rows.front());
      }

      std::pair<WriteOutcome, std::int64_t> put_settings(std::string_view tenant_id, std::string_view app,
                                                         const std::function<Blob()>& seal_body,
                                                         std::optional<std::int64_t> if_match, Millis now) override {
         std::pair<WriteOutcome, std::int64_t> out{WriteOutcome::conflict, 0};
         if(!if_match) {
            // Unconditional: last writer wins, as one upsert, so that concurrent first writes on
            // several instances all land (each a new version) instead of one failing.
            m_db->transaction([&](Transaction& tx) {
               within_quota(tx, tenant_id, QuotaCategory::settings, [&] {
                  const auto rows = tx.query(
                     "INSERT INTO settings (tenant_id, app, body, version, updated_at) VALUES (?, ?, ?, 1, ?) "
                     "ON CONFLICT (tenant_id, app) DO UPDATE SET body = excluded.body, version = settings.version + 1, "
                     "updated_at = excluded.updated_at RETURNING version",
                     {str(tenant_id), str(app), seal_body(), now});
                  const std::int64_t version = rows.front().integer(0);
                  out = {version == 1 ? WriteOutcome::created : WriteOutcome::updated, version};
               });
            });
            return out;
         }
         m_db->transaction([&](Transaction& tx) {
            within_quota(tx, tenant_id, QuotaCategory::settings, [&] {
               const auto rows = tx.query(
                  cat({"SELECT version FROM settings WHERE tenant_id = ? AND app = ?", for_update()}),
                  {str(tenant_id), str(app)});
               if(rows.empty()) {
                  out = {WriteOutcome::conflict, 0};  // "*" or a version: the settings must exist
                  return;
               }
               const std::int64_t current = rows.front().integer(0);
               if(*if_match != -1 && *if_match != current) {
                  out = {WriteOutcome::conflict, current};
                  return;
               }
               const auto changed = tx.execute(
                  "UPDATE settings SET body = ?, version = ?, updated_at = ? WHERE tenant_id = ? AND app = ? AND version = ?",
                  {seal_body(), current + 1, now, str(tenant_id), str(app), current});
               out = changed > 0 ? std::pair{WriteOutcome::updated, current + 1}
                                 : std::pair{WriteOutcome::conflict, current};
            });
         });
         return out;
      }

      std::vector<Settings> all_settings(std::string_view tenant_id) override {
         std::vector<Settings> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(
                   "SELECT app, body, version, updated_at FROM settings WHERE tenant_id = ? ORDER BY app",
                   {str(tenant_id)})) {
               out.push_back(settings_from(r));
            }
         });
         return out;
      }

      // ---- statistics ---------------------------------------------------------------------

      void add_stats(std::string_view tenant_id, std::string_view app, std::string_view day,
                     const std::vector<std::pair<std::string, std::int64_t>>& counters) override {
         m_db->transaction([&](Transaction& tx) {
            const auto add = [&] {
               for(const auto& [name, value] : counters) {
                  tx.execute("INSERT INTO stats (tenant_id, app, day, name, value) VALUES (?, ?, ?, ?, ?) "
                             "ON CONFLICT (tenant_id, app, day, name) DO UPDATE SET value = CASE "
                             "WHEN stats.value > ? - excluded.value THEN ? ELSE stats.value + excluded.value END",
                             {str(tenant_id), str(app), str(day), name, value, k_max_counter, k_max_counter});
               }
            };
            // Adding to counters that exist takes no more room: only a new counter is counted
            // against the quota (which reads every row of the tenant's stats).
            bool all_exist = true;
            for(const auto& counter : counters) {
               all_exist = all_exist && !tx.query("SELECT 1 FROM stats WHERE tenant_id = ? AND app = ? AND day = ? AND name = ?",
                                                  {str(tenant_id), str(app), str(day), counter.first})
                                            .empty();
            }
            if(all_exist) {
               add();
            } else {
               within_quota(tx, tenant_id, QuotaCategory::stats, add);
            }
         });
      }

      std::vector<StatCounter> stats(std::string_view tenant_id, std::string_view app, std::string_view from_day,
                                     std::string_view to_day) override {
         std::vector<StatCounter> out;
         m_db->transaction([&](Transaction& tx) {
            std::string statement = "SELECT app, day, name, value FROM stats WHERE tenant_id = ?";
            std::vector<Value> params = {str(tenant_id)};
            if(!app.empty()) {
               statement += " AND app = ?";
               params.push_back(str(app));
            }
            if(!from_day.empty()) {
               statement += " AND day >= ?";
               params.push_back(str(from_day));
            }
            if(!to_day.empty()) {
               statement += " AND day <= ?";
               params.push_back(str(to_day));
            }
            statement += " ORDER BY app, day, name";
            for(const auto& r : tx.query(statement, params)) {
               out.push_back(StatCounter{r.text(0), r.text(1), r.text(2), r.integer(3)});
            }
         });
         return out;
      }

      // ---- jobs ---------------------------------------------------------------------------

      void create_job(std::string_view tenant_id, const Job& j) override {
         m_db->transaction([&](Transaction& tx) {
            within_quota(tx, tenant_id, QuotaCategory::jobs, [&] {
               tx.execute(
                  cat({"INSERT INTO jobs (tenant_id, ", k_job_columns, ") VALUES (?, ?, ?, '', NULL, ?, ?, ?, ?, ?)"}),
                  {str(tenant_id), j.id, j.kind, j.status, j.created_at, j.updated_at, opt(j.stopped_at), j.contents});
            });
         });
      }

      std::optional<Job> job(std::string_view tenant_id, std::string_view id, Millis now) override {
         std::optional<Job> out;
         m_db->transaction([&](Transaction& tx) { out = visible_job(tx, tenant_id, id, now); });
         return out;
      }

      WriteOutcome update_job(std::string_view tenant_id, std::string_view id, Millis now,
                              const std::function<void(Job&)>& change, Job& result) override {
         WriteOutcome outcome = WriteOutcome::not_found;
         m_db->transaction([&](Transaction& tx) {
            auto current = visible_job(tx, tenant_id, id, now, true);
            if(!current) {
               return;
            }
            if(current->status != "running") {
               outcome = WriteOutcome::conflict;
               return;
            }
            change(*current);
            within_quota(tx, tenant_id, QuotaCategory::jobs, [&] {
               tx.execute("UPDATE jobs SET ids = '', cursor = NULL, contents = ?, updated_at = ? "
                          "WHERE tenant_id = ? AND id = ?",
                          {current->contents, current->updated_at, str(tenant_id), current->id});
            });
            current->clear_contents.reset();
            result = std::move(*current);
            outcome = WriteOutcome::updated;
         });
         return outcome;
      }

      bool stop_job(std::string_view tenant_id, std::string_view id, Millis now) override {
         bool found = false;
         m_db->transaction([&](Transaction& tx) {
            const auto current = visible_job(tx, tenant_id, id, now, true);
            if(!current) {
               return;
            }
            found = true;
            if(current->status == "running") {  // stopping twice does not extend the deadline
               tx.execute("UPDATE jobs SET status = 'stopped', stopped_at = ?, updated_at = ? "
                          "WHERE tenant_id = ? AND id = ?",
                          {now, now, str(tenant_id), str(id)});
            }
         });
         return found;
      }

      bool delete_job(std::string_view tenant_id, std::string_view id, Millis now) override {
         bool found = false;
         m_db->transaction([&](Transaction& tx) {
            found = visible_job(tx, tenant_id, id, now, true).has_value();
            tx.execute("DELETE FROM jobs WHERE tenant_id = ? AND id = ?", {str(tenant_id), str(id)});
         });
         if(found) {
            m_db->reclaim();
         }
         return found;
      }

      std::vector<Job> jobs(std::string_view tenant_id, Millis now) override {
         std::vector<Job> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(cat({"SELECT ", k_job_columns, " FROM jobs WHERE tenant_id = ? AND ",
                                              k_job_visible, " ORDER BY created_at, id"}),
                                         {str(tenant_id), now - k_job_retention})) {
               out.push_back(job_from(r));
            }
         });
         return out;
      }

      // ---- declared and observed access ---------------------------------------------------

      DeclaredPolicy declare_policy(std::string_view tenant_id, std::string_view app, std::string_view policy_key,
                                    const std::function<Blob()>& seal_declaration, Millis now) override {
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

      std::vector<DeclaredPolicy> declared_policies(std::string_view tenant_id, Millis now) override {
         std::vector<DeclaredPolicy> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(cat({"SELECT ", k_declared_columns, " FROM declared_policies WHERE tenant_id = ? AND ",
                                              k_declared_visible, " ORDER BY app, last_declared DESC, policy_key"}),
                                         {str(tenant_id), now - k_access_retention})) {
               out.push_back(declared_from(r));
            }
         });
         return out;
      }

      void merge_access_day(std::string_view tenant_id, std::string_view app, std::string_view day,
                            const std::function<Blob(const std::optional<Blob>&)>& merge) override {
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

      std::vector<AccessDay> access_days(std::string_view tenant_id, Millis now) override {
         std::vector<AccessDay> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(cat({"SELECT app, day, observed FROM access_days WHERE tenant_id = ? AND ",
                                              k_access_day_visible, " ORDER BY app, day"}),
                                         {str(tenant_id), access_day_horizon(now)})) {
               out.push_back(AccessDay{r.text(0), r.text(1), r.blob(2)});
            }
         });
         return out;
      }

      // ---- retention ----------------------------------------------------------------------

      std::int64_t delete_expired_access(Millis now) override {
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

      std::int64_t delete_expired_jobs(Millis now) override {
         std::int64_t n = 0;
         m_db->transaction(
            [&](Transaction& tx) { n = tx.execute("DELETE FROM jobs WHERE updated_at <= ?", {now - k_job_retention}); });
         if(n > 0) {
            m_db->reclaim();
         }
         return n;
      }

      // ---- sessions -----------------------------------------------------------------------

      void create_session(std::string_view tenant_id, const Session& x) override {
         m_db->transaction([&](Transaction& tx) {
            within_quota(tx, tenant_id, QuotaCategory::sessions, [&] {
               tx.execute(cat({"INSERT INTO sessions (tenant_id, ", k_session_columns, ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"}),
                          {str(tenant_id), x.id_hash, x.agent_id, x.role, x.zendesk_tokens, x.created_at, x.expires_at,
                           x.checked_at});
            });
         });
      }

      std::optional<Session> session(std::string_view tenant_id, std::string_view id_hash, Millis now) override {
         const auto rows = m_db->read(cat({"SELECT ", k_session_columns,
                                           " FROM sessions WHERE tenant_id = ? AND id_hash = ? AND expires_at > ?"}),
                                      {str(tenant_id), str(id_hash), now});
         return rows.empty() ? std::nullopt : std::optional<Session>(session_from(rows.front()));
      }

      std::optional<Session> recheck_session(std::string_view tenant_id, std::string_view id_hash, Millis now,
                                             const std::function<bool(Session&)>& change) override {
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

      bool delete_session(std::string_view tenant_id, std::string_view id_hash) override {
         std::int64_t n = 0;
         m_db->transaction([&](Transaction& tx) {
            n = tx.execute("DELETE FROM sessions WHERE tenant_id = ? AND id_hash = ?", {str(tenant_id), str(id_hash)});
         });
         return n > 0;
      }

      std::vector<Session> sessions(std::string_view tenant_id, Millis now) override {
         std::vector<Session> out;
         for(const auto& r : m_db->read(cat({"SELECT ", k_session_columns,
                                             " FROM sessions WHERE tenant_id = ? AND expires_at > ? ORDER BY created_at"}),
                                        {str(tenant_id), now})) {
            out.push_back(session_from(r));
         }
         return out;
      }

      std::int64_t delete_expired_sessions(Millis now) override {
         std::int64_t n = 0;
         m_db->transaction([&](Transaction& tx) { n = tx.execute("DELETE FROM sessions WHERE expires_at <= ?", {now}); });
         if(n > 0) {
            m_db->reclaim();
         }
         return n;
      }

      std::int64_t delete_expired_tokens(Millis now) override {
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

      // ---- deletion log -------------------------------------------------------------------

      std::vector<DeletionRecord> deletion_log() override {
         std::vector<DeletionRecord> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query("SELECT certificate_id, subdomain, trigger, completed_at, certificate "
                                         "FROM deletion_log ORDER BY completed_at, certificate_id")) {
               out.push_back(record_from(r));
            }
         });
         return out;
      }

      std::optional<DeletionRecord> deletion_record(std::string_view certificate_id) override {
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

   private:
      std::string_view for_update() const {
         return m_db->dialect() == sql::Dialect::postgres ? " FOR UPDATE" : "";
      }

      static std::string_view table(const std::optional<std::string>& agent_id) {
         return agent_id ? "tokens" : "shared_tokens";
      }

      static std::pair<std::string, std::vector<Value>> token_key(std::string_view tenant_id,
                                                                  const std::optional<std::string>& agent_id,
                                                                  std::string_view name) {
         if(agent_id) {
            return {"tenant_id = ? AND agent_id = ? AND name = ?", {str(tenant_id), *agent_id, str(name)}};
         }
         return {"tenant_id = ? AND name = ?", {str(tenant_id), str(name)}};
      }

      static std::vector<Value> with(std::vector<Value> params, Value extra) {
         params.push_back(std::move(extra));
         return params;
      }

      static TenantKey key_from(const sql::Row& r) {
         return TenantKey{r.text(0), static_cast<std::uint32_t>(r.integer(1)), static_cast<std::uint32_t>(r.integer(2)),
                          r.blob(3)};
      }

      static Settings settings_from(const sql::Row& r) {
         return Settings{r.text(0), r.blob(1), r.integer(2), r.integer(3)};
      }

      static DeletionRecord record_from(const sql::Row& r) {
         return DeletionRecord{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)};
      }

      std::optional<Job> visible_job(Transaction& tx, std::string_view tenant_id, std::string_view id, Millis now,
                                     bool lock = false) {
         const auto rows =
            tx.query(cat({"SELECT ", k_job_columns, " FROM jobs WHERE tenant_id = ? AND id = ? AND ", k_job_visible,
                          lock ? for_update() : ""}),
                     {str(tenant_id), str(id), now - k_job_retention});
         return rows.empty() ? std::nullopt : std::optional<Job>(job_from(rows.front()));
      }

      // What a tenant holds in a category: rows, and bytes of its variable-length columns.
      static Quota usage(Transaction& tx, std::string_view tenant_id, QuotaCategory category) {
         static constexpr std::array<std::string_view, k_quota_categories> k_usage = {
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(email)), 0) FROM agents WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(value) + LENGTH(name)), 0) FROM tokens WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(value) + LENGTH(name)), 0) FROM shared_tokens WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM settings WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(name) + LENGTH(app)), 0) FROM stats WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(COALESCE(LENGTH(contents), LENGTH(ids))), 0) FROM jobs WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(zendesk_tokens)), 0) FROM sessions WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(declaration) + LENGTH(app) + LENGTH(policy_key)), 0) "
            "FROM declared_policies WHERE tenant_id = ?",
            "SELECT COUNT(*), COALESCE(SUM(LENGTH(observed) + LENGTH(app)), 0) FROM access_days WHERE tenant_id = ?",
         };
         const auto rows = tx.query(k_usage[static_cast<std::size_t>(category)], {str(tenant_id)});
         return Quota{rows.front().integer(0), rows.front().integer(1)};
      }

      // Runs `write` inside `tx` and refuses it (QuotaExceeded: the transaction rolls back) if
      // it grew the category past the tenant's quota. A write that does not grow a dimension
      // passes even above the quota (lowered since), so a tenant can always shrink. The
      // tenant's row is locked first, so that concurrent writes for one tenant — on several
      // instances — are counted one after the other (SQLite's BEGIN IMMEDIATE already does).
      template<class Write>
      void within_quota(Transaction& tx, std::string_view tenant_id, QuotaCategory category, const Write& write) {
         tx.query(cat({"SELECT 1 FROM tenants WHERE id = ?", for_update()}), {str(tenant_id)});
         const Quota before = usage(tx, tenant_id, category);
         write();
         const Quota after = usage(tx, tenant_id, category);
         const Quota& limit = m_quotas.of(category);
         if(after.rows > before.rows && after.rows > limit.rows) {
            throw QuotaExceeded(category, false, limit.rows);
         }
         if(after.bytes > before.bytes && after.bytes > limit.bytes) {
            throw QuotaExceeded(category, true, limit.bytes);
         }
      }

      std::unique_ptr<sql::Database> m_db;
      std::string m_backend;
      Quotas m_quotas;
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url) {
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
