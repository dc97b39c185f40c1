// The schema, written once for every backend: BINARY is a byte string (SQLite BLOB,
// PostgreSQL BYTEA), INT64 a 64-bit integer (SQLite INTEGER, PostgreSQL BIGINT), each
// backend naming its own (sql::ColumnTypes); the rest is the SQL they share. Times are milliseconds since the epoch (UTC); sealed columns are BINARY
// (envelope.hpp); foreign keys make a row of a missing tenant impossible.
#include "migrations.hpp"

#include <array>
#include <cctype>
#include <string>

namespace leastdata::server::migrations {

namespace {

constexpr std::string_view k_v1 = R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  subdomain TEXT NOT NULL UNIQUE,
  jwt_secret BINARY NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
  inactive_reason TEXT CHECK (inactive_reason IN ('uninstalled', 'subscription_lapsed')),
  inactive_since INT64,
  created_at INT64 NOT NULL
);
CREATE INDEX tenants_inactive ON tenants (status, inactive_since);
CREATE TABLE tenant_keys (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id),
  key_version INT64 NOT NULL,
  master_version INT64 NOT NULL,
  wrapped_key BINARY NOT NULL
);
CREATE TABLE agents (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  agent_id TEXT NOT NULL,
  email BINARY,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  registered_at INT64 NOT NULL,
  updated_at INT64 NOT NULL,
  PRIMARY KEY (tenant_id, agent_id)
);
CREATE TABLE tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  agent_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value BINARY NOT NULL,
  expires_at INT64,
  updated_at INT64 NOT NULL,
  PRIMARY KEY (tenant_id, agent_id, name)
);
CREATE TABLE shared_tokens (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  name TEXT NOT NULL,
  value BINARY NOT NULL,
  expires_at INT64,
  updated_at INT64 NOT NULL,
  PRIMARY KEY (tenant_id, name)
);
CREATE TABLE settings (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  body BINARY NOT NULL,
  version INT64 NOT NULL,
  updated_at INT64 NOT NULL,
  PRIMARY KEY (tenant_id, app)
);
CREATE TABLE stats (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  value INT64 NOT NULL CHECK (value >= 0),
  PRIMARY KEY (tenant_id, app, day, name)
);
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  kind TEXT NOT NULL,
  ids TEXT NOT NULL,
  cursor TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
  created_at INT64 NOT NULL,
  updated_at INT64 NOT NULL,
  stopped_at INT64
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


constexpr std::string_view k_v2 = "ALTER TABLE jobs ADD COLUMN contents BINARY;";

// Sessions of users signed in with Zendesk: the session credential only as a hash, the
// user's Zendesk tokens sealed.
constexpr std::string_view k_v3 = R"sql(
CREATE TABLE sessions (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  id_hash TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  zendesk_tokens BINARY NOT NULL,
  created_at INT64 NOT NULL,
  expires_at INT64 NOT NULL,
  checked_at INT64 NOT NULL,
  PRIMARY KEY (tenant_id, id_hash)
);
CREATE INDEX sessions_expires ON sessions (expires_at);
)sql";

// Declared and observed access (docs/endpoint.md, "Access transparency"): declarations and
// observations sealed; a declared policy keyed by a keyed hash, never by its plain hash.
constexpr std::string_view k_v4 = R"sql(
CREATE TABLE declared_policies (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  policy_key TEXT NOT NULL,
  declaration BINARY NOT NULL,
  first_declared INT64 NOT NULL,
  last_declared INT64 NOT NULL,
  PRIMARY KEY (tenant_id, app, policy_key)
);
CREATE INDEX declared_policies_last ON declared_policies (last_declared);
CREATE TABLE access_days (
  tenant_id TEXT NOT NULL REFERENCES tenants (id),
  app TEXT NOT NULL,
  day TEXT NOT NULL,
  observed BINARY NOT NULL,
  PRIMARY KEY (tenant_id, app, day)
);
CREATE INDEX access_days_day ON access_days (day);
)sql";

constexpr std::array<Migration, 4> k_migrations = {{
   {1, "tenants, keys, agents, tokens, settings, stats, jobs, deletion log", k_v1},
   {2, "job ids and cursors sealed under the tenant's data key", k_v2},
   {3, "sessions of users signed in with Zendesk", k_v3},
   {4, "policies apps declared and the access they reported", k_v4},
}};

// Replaces each whole word `from` of `schema` by `to`.
void replace_type(std::string& schema, std::string_view from, std::string_view to) {
   for(std::size_t at = schema.find(from); at != std::string::npos; at = schema.find(from, at + to.size())) {
      const bool word_end = at + from.size() == schema.size() || !std::isalnum(static_cast<unsigned char>(schema[at + from.size()]));
      if(at > 0 && schema[at - 1] == ' ' && word_end) {
         schema.replace(at, from.size(), to);
      }
   }
}

}  // namespace

std::string Migration::render(const sql::ColumnTypes& types) const {
   std::string out(schema);
   replace_type(out, "BINARY", types.binary);
   replace_type(out, "INT64", types.int64);
   return out;
}

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
         tx.script(m.render(tx.column_types()));
         tx.execute("INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                    {std::int64_t{m.version}, std::string(m.description)});
         ++applied;
      }
   });
   return applied;
}

}  // namespace leastdata::server::migrations
