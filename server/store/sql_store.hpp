// The Store over sql::Database (sql.hpp): every statement the endpoint runs, written once for
// both backends; retention visibility is part of each read's WHERE clause. Its members are
// defined in sql_store.cpp (tenants), sql_store_records.cpp (what agents store) and
// sql_store_lifecycle.cpp (access records, sessions, retention, the deletion log).
#pragma once

#include "migrations.hpp"
#include "sql.hpp"
#include "store.hpp"

#include "leastdata/jcs.hpp"

#include <array>
#include <string>
#include <string_view>

namespace leastdata::server {

namespace sql_store {

using sql::Rows;
using sql::Transaction;
using sql::Value;

using sql::Rows;
using sql::Transaction;
using sql::Value;

inline constexpr auto k_max_counter = static_cast<std::int64_t>(jcs::k_max_exact_integer);

inline Value opt(const std::optional<Millis>& v) {
   return v ? Value(*v) : Value(nullptr);
}

inline Value opt(const std::optional<std::string>& v) {
   return v ? Value(*v) : Value(nullptr);
}

inline Value str(std::string_view s) {
   return Value(std::string(s));
}

constexpr std::string_view k_tenant_columns =
   "id, subdomain, jwt_secret, status, inactive_reason, inactive_since, created_at";

inline Tenant tenant_from(const sql::Row& r) {
   return Tenant{r.text(0), r.text(1), r.text(3), r.optional_text(4), r.optional_integer(5), r.integer(6), r.blob(2)};
}

// `ids` and `cursor` hold clear values only in rows from schema 1; since schema 2 they are
// '' and NULL, and `contents` holds both, sealed.
constexpr std::string_view k_job_columns = "id, kind, ids, cursor, status, created_at, updated_at, stopped_at, contents";

inline Job job_from(const sql::Row& r) {
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

inline Session session_from(const sql::Row& r) {
   return Session{r.text(0), r.text(1), r.text(2), r.blob(3), r.integer(4), r.integer(5), r.integer(6)};
}

inline Token token_from(const sql::Row& r, bool shared) {
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

inline std::string access_day_horizon(Millis now) {
   return format_day(now - k_access_retention);
}

constexpr std::string_view k_declared_columns = "app, policy_key, declaration, first_declared, last_declared";

inline DeclaredPolicy declared_from(const sql::Row& r) {
   return DeclaredPolicy{r.text(0), r.text(1), r.blob(2), r.integer(3), r.integer(4)};
}

inline std::string cat(std::initializer_list<std::string_view> parts) {
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

      void ping() override;
      std::string backend() const override { return m_backend; }

      void set_quotas(const Quotas& quotas) override { m_quotas = quotas; }

      // ---- tenants (sql_store.cpp)
      bool add_tenant(std::string_view subdomain,
                      const std::function<std::pair<Tenant, TenantKey>()>& make) override;
      std::optional<Tenant> tenant_any(std::string_view subdomain) override;
      std::optional<Tenant> tenant(std::string_view subdomain, Millis now) override;
      std::optional<TenantKey> tenant_key(std::string_view tenant_id) override;
      std::optional<TenantWithKey> tenant_with_key(std::string_view subdomain, Millis now) override;
      bool set_tenant_status(std::string_view tenant_id, std::string_view status, std::optional<std::string> reason,
                             std::optional<Millis> since, Millis now) override;
      std::vector<Tenant> tenants_due_for_deletion(Millis now) override;
      std::optional<DeletionRecord> delete_tenant(
         std::string_view tenant_id, const std::function<bool(const Tenant&)>& still_applies,
         const std::function<void(const Tenant&, const std::optional<TenantKey>&)>& destroy_key,
         const std::function<DeletionRecord(const Tenant&, const DeletionCounts&)>& sign) override;
      std::int64_t rewrap_tenant_keys(const std::function<TenantKey(const TenantKey&)>& rewrap) override;
      std::vector<std::uint32_t> master_versions_in_use() override;

      // ---- agents (sql_store_records.cpp)
      // Insert-or-nothing first, then update: two instances registering the same new agent at
      // once both succeed (an update-then-insert lost the race on the primary key), and
      // exactly one of them is told it created the agent. On PostgreSQL the insert waits for
      // a concurrent one to commit, and the update (a new snapshot) then sees its row.
      WriteOutcome put_agent(std::string_view tenant_id, const Agent& a) override;
      std::vector<Agent> agents(std::string_view tenant_id) override;

      // ---- tokens (sql_store_records.cpp)
      WriteOutcome put_token(std::string_view tenant_id, const Token& t) override;
      std::optional<Token> token(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                                 std::string_view name, Millis now) override;
      bool delete_token(std::string_view tenant_id, const std::optional<std::string>& agent_id, std::string_view name,
                        Millis now) override;
      std::vector<Token> tokens(std::string_view tenant_id, Millis now) override;

      // ---- settings (sql_store_records.cpp)
      std::optional<Settings> settings(std::string_view tenant_id, std::string_view app) override;
      std::pair<WriteOutcome, std::int64_t> put_settings(std::string_view tenant_id, std::string_view app,
                                                         const std::function<Blob()>& seal_body,
                                                         std::optional<std::int64_t> if_match, Millis now) override;
      std::vector<Settings> all_settings(std::string_view tenant_id) override;

      // ---- statistics (sql_store_records.cpp)
      void add_stats(std::string_view tenant_id, std::string_view app, std::string_view day,
                     const std::vector<std::pair<std::string, std::int64_t>>& counters) override;
      std::vector<StatCounter> stats(std::string_view tenant_id, std::string_view app, std::string_view from_day,
                                     std::string_view to_day) override;

      // ---- jobs (sql_store_records.cpp)
      void create_job(std::string_view tenant_id, const Job& j) override;
      std::optional<Job> job(std::string_view tenant_id, std::string_view id, Millis now) override;
      WriteOutcome update_job(std::string_view tenant_id, std::string_view id, Millis now,
                              const std::function<void(Job&)>& change, Job& result) override;
      bool stop_job(std::string_view tenant_id, std::string_view id, Millis now) override;
      bool delete_job(std::string_view tenant_id, std::string_view id, Millis now) override;
      std::vector<Job> jobs(std::string_view tenant_id, Millis now) override;

      // ---- declared and observed access (sql_store_lifecycle.cpp)
      DeclaredPolicy declare_policy(std::string_view tenant_id, std::string_view app, std::string_view policy_key,
                                    const std::function<Blob()>& seal_declaration, Millis now) override;
      std::vector<DeclaredPolicy> declared_policies(std::string_view tenant_id, Millis now) override;
      void merge_access_day(std::string_view tenant_id, std::string_view app, std::string_view day,
                            const std::function<Blob(const std::optional<Blob>&)>& merge) override;
      std::vector<AccessDay> access_days(std::string_view tenant_id, Millis now) override;

      // ---- retention (sql_store_lifecycle.cpp)
      std::int64_t delete_expired_access(Millis now) override;
      std::int64_t delete_expired_jobs(Millis now) override;

      // ---- sessions (sql_store_lifecycle.cpp)
      void create_session(std::string_view tenant_id, const Session& x) override;
      std::optional<Session> session(std::string_view tenant_id, std::string_view id_hash, Millis now) override;
      std::optional<Session> recheck_session(std::string_view tenant_id, std::string_view id_hash, Millis now,
                                             const std::function<bool(Session&)>& change) override;
      bool delete_session(std::string_view tenant_id, std::string_view id_hash) override;
      std::vector<Session> sessions(std::string_view tenant_id, Millis now) override;
      std::int64_t delete_expired_sessions(Millis now) override;
      std::int64_t delete_expired_tokens(Millis now) override;

      // ---- deletion log (sql_store_lifecycle.cpp)
      std::vector<DeletionRecord> deletion_log() override;
      std::optional<DeletionRecord> deletion_record(std::string_view certificate_id) override;

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

      // Every row one statement reads, each made a T by `from`.
      template <class T, class From>
      std::vector<T> select_all(const std::string& statement, const std::vector<Value>& params, const From& from) {
         std::vector<T> out;
         m_db->transaction([&](Transaction& tx) {
            for(const auto& r : tx.query(statement, params)) {
               out.push_back(from(r));
            }
         });
         return out;
      }

      std::unique_ptr<sql::Database> m_db;
      std::string m_backend;
      Quotas m_quotas;
};

}  // namespace sql_store

}  // namespace leastdata::server
