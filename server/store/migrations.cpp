// The schema. Times are milliseconds since the epoch (UTC); sealed columns are BLOB/BYTEA
// (envelope.hpp); foreign keys make a row of a missing tenant impossible.
#include "migrations.hpp"

#include <array>
#include <string>

namespace leastdata::server::migrations {

namespace {

constexpr std::string_view k_v1_sqlite = R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  subdomain TEXT NOT NULL UNIQUE,
  jwt_secret BLOB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
  inactive_reason TEXT CHECK (inactive_reason IN ('uninstalled', 'subscription_lapsed')),
  inactive_since INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX tenants_inactive ON tenants (status, inactive_since);
CREATE TABLE tenant_keys (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  key_version INTEGER NOT NULL,
  master_version INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL
);
CREATE TABLE agents (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  agent_id TEXT NOT NULL,
  email BLOB,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  registered_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, agent_id)
);
CREATE TABLE tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  agent_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value BLOB NOT NULL,
  expires_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, name)
);
CREATE TABLE shared_tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  value BLOB NOT NULL,
  expires_at INTEGER,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
CREATE TABLE settings (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  body BLOB NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, app)
);
CREATE TABLE stats (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value >= 0),
  PRIMARY KEY (tenant_id, app, day, name)
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  kind TEXT NOT NULL,
  ids TEXT NOT NULL,
  cursor TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  stopped_at INTEGER
);
CREATE INDEX jobs_tenant ON jobs (tenant_id);
CREATE INDEX jobs_updated ON jobs (updated_at);
CREATE TABLE deletion_log (
  certificate_id TEXT PRIMARY KEY,
  subdomain TEXT NOT NULL,
  trigger TEXT NOT NULL,
  completed_at TEXT NOT NULL,
  certificate TEXT NOT NULL
);
)sql";

constexpr std::string_view k_v1_postgres = R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  subdomain TEXT NOT NULL UNIQUE,
  jwt_secret BYTEA NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
  inactive_reason TEXT CHECK (inactive_reason IN ('uninstalled', 'subscription_lapsed')),
  inactive_since BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX tenants_inactive ON tenants (status, inactive_since);
CREATE TABLE tenant_keys (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  key_version BIGINT NOT NULL,
  master_version BIGINT NOT NULL,
  wrapped_key BYTEA NOT NULL
);
CREATE TABLE agents (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  agent_id TEXT NOT NULL,
  email BYTEA,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  registered_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, agent_id)
);
CREATE TABLE tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  agent_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value BYTEA NOT NULL,
  expires_at BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, name)
);
CREATE TABLE shared_tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  value BYTEA NOT NULL,
  expires_at BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
CREATE TABLE settings (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  body BYTEA NOT NULL,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, app)
);
CREATE TABLE stats (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  value BIGINT NOT NULL CHECK (value >= 0),
  PRIMARY KEY (tenant_id, app, day, name)
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  kind TEXT NOT NULL,
  ids TEXT NOT NULL,
  cursor TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  stopped_at BIGINT
);
CREATE INDEX jobs_tenant ON jobs (tenant_id);
CREATE INDEX jobs_updated ON jobs (updated_at);
CREATE TABLE deletion_log (
  certificate_id TEXT PRIMARY KEY,
  subdomain TEXT NOT NULL,
  trigger TEXT NOT NULL,
  completed_at TEXT NOT NULL,
  certificate TEXT NOT NULL
);
)sql";

constexpr std::string_view k_v2_sqlite = "ALTER TABLE jobs ADD COLUMN contents BLOB;";
constexpr std::string_view k_v2_postgres = "ALTER TABLE jobs ADD COLUMN contents BYTEA;";

// Sessions of users signed in with Zendesk: the session credential only as a hash, the
// user's Zendesk tokens sealed.
constexpr std::string_view k_v3_sqlite = R"sql(
CREATE TABLE sessions (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id_hash TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  zendesk_tokens BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  checked_at INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_expires ON sessions (expires_at);
)sql";
constexpr std::string_view k_v3_postgres = R"sql(
CREATE TABLE sessions (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id_hash TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  zendesk_tokens BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  checked_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_expires ON sessions (expires_at);
)sql";

// Declared and observed access (docs/endpoint.md, "Access transparency"): declarations and
// observations sealed; a declared policy keyed by a keyed hash, never by its plain hash.
constexpr std::string_view k_v4_sqlite = R"sql(
CREATE TABLE declared_policies (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  policy_key TEXT NOT NULL,
  declaration BLOB NOT NULL,
  first_declared INTEGER NOT NULL,
  last_declared INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, app, policy_key)
);
CREATE INDEX declared_policies_last ON declared_policies (last_declared);
CREATE TABLE access_days (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  day TEXT NOT NULL,
  observed BLOB NOT NULL,
  PRIMARY KEY (tenant_id, app, day)
);
CREATE INDEX access_days_day ON access_days (day);
)sql";
constexpr std::string_view k_v4_postgres = R"sql(
CREATE TABLE declared_policies (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  policy_key TEXT NOT NULL,
  declaration BYTEA NOT NULL,
  first_declared BIGINT NOT NULL,
  last_declared BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, app, policy_key)
);
CREATE INDEX declared_policies_last ON declared_policies (last_declared);
CREATE TABLE access_days (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  day TEXT NOT NULL,
  observed BYTEA NOT NULL,
  PRIMARY KEY (tenant_id, app, day)
);
CREATE INDEX access_days_day ON access_days (day);
)sql";

constexpr std::array<Migration, 4> k_migrations = {{
   {1, "tenants, keys, agents, tokens, settings, stats, jobs, deletion log", k_v1_sqlite, k_v1_postgres},
   {2, "job ids and cursors sealed under the tenant's data key", k_v2_sqlite, k_v2_postgres},
   {3, "sessions of users signed in with Zendesk", k_v3_sqlite, k_v3_postgres},
   {4, "policies apps declared and the access they reported", k_v4_sqlite, k_v4_postgres},
}};

}  // namespace

std::span<const Migration> all() {
   return k_migrations;
}

int run(sql::Database& db) {
   int applied = 0;
   db.transaction([&](sql::Transaction& tx) {
      tx.lock_exclusive();
      tx.script("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL)");
      const auto rows = tx.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      const std::int64_t current = rows.empty() ? 0 : rows.front().integer(0);
      if(current > k_migrations.back().version) {
         throw sql::DatabaseError("the database schema (version " + std::to_string(current) +
                                  ") is newer than this endpoint knows (" +
                                  std::to_string(k_migrations.back().version) + ")");
      }
      for(const Migration& m : k_migrations) {
         if(m.version <= current) {
            continue;
         }
         tx.script(tx.dialect() == sql::Dialect::sqlite ? m.sqlite : m.postgres);
         tx.execute("INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                    {std::int64_t{m.version}, std::string(m.description)});
         ++applied;
      }
   });
   return applied;
}

}  // namespace leastdata::server::migrations
