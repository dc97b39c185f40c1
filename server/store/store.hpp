// The endpoint's storage interface: everything the endpoint keeps, as domain operations.
//
// One implementation (sql_store.cpp) over two SQL backends: SQLite (`sqlite:PATH`, one
// instance) and PostgreSQL (`postgresql://...`, several instances behind a load
// balancer). The store sees only ciphertexts for encrypted columns; envelope.hpp seals
// and opens them.
//
// Visibility: every read takes `now` and treats rows past their retention deadline as
// gone (jobs idle or stopped for 7 days, tokens past expires_at, tenants inactive for 30
// days, declared policies 30 days after their last declaration, observed access 30 days
// after its day), whether or not the sweep has deleted them yet.
#pragma once

#include "../clock.hpp"
#include "quotas.hpp"
#include "sql.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata::server {

using sql::Blob;

inline constexpr Millis k_job_retention = 7 * k_day;
inline constexpr Millis k_inactive_tenant_retention = 30 * k_day;
inline constexpr Millis k_access_retention = 30 * k_day;

struct Tenant {
      std::string id;  // random, internal; the associated data of its ciphertexts
      std::string subdomain;
      std::string status;  // "active" | "inactive"
      std::optional<std::string> inactive_reason;  // "uninstalled" | "subscription_lapsed"
      std::optional<Millis> inactive_since;
      Millis created_at = 0;
      Blob jwt_secret;  // sealed

      /// When retention deletes it, if it is inactive.
      std::optional<Millis> deletion_due_at() const {
         return inactive_since ? std::optional<Millis>(*inactive_since + k_inactive_tenant_retention) : std::nullopt;
      }
};

struct TenantKey {
      std::string tenant_id;
      std::uint32_t key_version = 0;     // of the data key (the version in its values' headers)
      std::uint32_t master_version = 0;  // of the master key that wraps it (its own header)
      Blob wrapped_key;
};

/// A tenant with its wrapped data key, read together (the key is empty only if its row is
/// missing, an integrity fault).
struct TenantWithKey {
      Tenant tenant;
      std::optional<TenantKey> key;
};

struct Agent {
      std::string agent_id;
      std::optional<Blob> email;  // sealed
      std::string role;
      Millis registered_at = 0;
      Millis updated_at = 0;
};

/// A token of one agent (`agent_id` set) or of the whole installation (shared).
struct Token {
      std::optional<std::string> agent_id;
      std::string name;
      Blob value;  // sealed
      std::optional<Millis> expires_at;
      Millis updated_at = 0;
};

struct Settings {
      std::string app;
      Blob body;  // sealed JSON text
      std::int64_t version = 0;
      Millis updated_at = 0;
};

struct StatCounter {
      std::string app;
      std::string day;  // YYYY-MM-DD
      std::string name;
      std::int64_t value = 0;
};

struct Job {
      std::string id;
      std::string kind;
      // Sealed JSON {"ids":{"ticket":[...],"user":[...],"organization":[...]},"cursor":...|null}:
      // the ids name tickets and people, so they are crypto-erased with the tenant.
      Blob contents;
      // The same JSON in clear, for a row written before jobs were sealed (schema 1); empty
      // otherwise. The next change to such a job seals it.
      std::optional<std::string> clear_contents;
      std::string status;  // "running" | "stopped"
      Millis created_at = 0;
      Millis updated_at = 0;
      std::optional<Millis> stopped_at;

      /// Stopped or idle jobs go 7 days after their last update (a stop is an update).
      Millis delete_at() const { return updated_at + k_job_retention; }
};

/// A user signed in with Zendesk (sessions.hpp). The credential itself is never stored.
struct Session {
      std::string id_hash;  // of the credential the browser holds
      std::string agent_id;
      std::string role;  // "admin" | "agent", as Zendesk said at `checked_at`
      Blob zendesk_tokens;  // sealed {"access_token","refresh_token","access_expires_at"}
      Millis created_at = 0;
      Millis expires_at = 0;
      Millis checked_at = 0;
};

/// A policy an app declared (DESIGN §2.4-§2.5 made visible to the customer): one row per
/// app and distinct declaration. The row is keyed by a keyed hash of the declaration's
/// hash, not by the hash itself (access.hpp says why).
struct DeclaredPolicy {
      std::string app;
      std::string policy_key;
      Blob declaration;  // sealed canonical declaration (Policy::declaration())
      Millis first_declared = 0;
      Millis last_declared = 0;

      Millis delete_at() const { return last_declared + k_access_retention; }
};

/// What an app's copies reported accessing on one UTC day, merged (access.hpp).
struct AccessDay {
      std::string app;
      std::string day;  // YYYY-MM-DD
      Blob observed;    // sealed JSON: counts and paths, never values
};

/// The instant an access day's row is gone: 30 days after the day began.
inline Millis access_day_delete_at(std::string_view day) {
   return parse_day(day).value_or(0) + k_access_retention;
}

/// Rows removed when a tenant is deleted: the certificate's `deleted` member.
struct DeletionCounts {
      std::int64_t agents = 0, tokens = 0, shared_tokens = 0, settings = 0, stats_rows = 0, jobs = 0, sessions = 0,
                   declared_policies = 0, access_days = 0;
};

struct DeletionRecord {
      std::string certificate_id;
      std::string subdomain;
      std::string trigger;
      std::string completed_at;
      std::string certificate;  // the signed certificate, canonical JSON
};

enum class WriteOutcome { created, updated, conflict, not_found };

class Store {
   public:
      virtual ~Store() = default;

      /// Creates or upgrades the schema (safe to run from several processes at once).
      virtual void migrate() = 0;
      virtual void ping() = 0;
      virtual std::string backend() const = 0;  // "sqlite" | "postgresql"
      /// The quotas every write of agents, tokens, settings, stats, jobs, sessions, declared
      /// policies and access days is held to (from then on; Quotas() until set). A write
      /// past one throws QuotaExceeded, writing nothing.
      virtual void set_quotas(const Quotas& quotas) = 0;

      // ---- tenants and keys -------------------------------------------------------------
      /// False if the subdomain is taken. `make` builds the tenant and its wrapped key
      /// inside the transaction, after the key-management lock, so a concurrent master key
      /// rotation cannot miss it.
      virtual bool add_tenant(std::string_view subdomain, const std::function<std::pair<Tenant, TenantKey>()>& make) = 0;
      /// A tenant row whether or not it is past its deadline (for operators' messages).
      virtual std::optional<Tenant> tenant_any(std::string_view subdomain) = 0;
      virtual std::optional<Tenant> tenant(std::string_view subdomain, Millis now) = 0;
      virtual std::optional<TenantKey> tenant_key(std::string_view tenant_id) = 0;
      /// `tenant` and `tenant_key` in one statement: what authenticating a call needs.
      virtual std::optional<TenantWithKey> tenant_with_key(std::string_view subdomain, Millis now) = 0;
      /// Sets the status of a visible tenant; false if none.
      virtual bool set_tenant_status(std::string_view tenant_id, std::string_view status,
                                     std::optional<std::string> reason, std::optional<Millis> since,
                                     Millis now) = 0;
      virtual std::vector<Tenant> tenants_due_for_deletion(Millis now) = 0;

      /// Deletes a tenant in one transaction: locks its row, re-checks `still_applies`,
      /// calls `destroy_key` (which destroys the key outside the database and reports whether
      /// it did), deletes every row, its wrapped data key first, and stores the certificate
      /// that `sign` returns for the counts in the deletion log. Empty if the tenant is gone
      /// or no longer qualifies.
      virtual std::optional<DeletionRecord> delete_tenant(
         std::string_view tenant_id, const std::function<bool(const Tenant&)>& still_applies,
         const std::function<void(const Tenant&, const std::optional<TenantKey>&)>& destroy_key,
         const std::function<DeletionRecord(const Tenant&, const DeletionCounts&)>& sign) = 0;

      /// Rewraps every tenant key in one transaction under the key-management lock.
      /// Returns how many were rewrapped.
      virtual std::int64_t rewrap_tenant_keys(const std::function<TenantKey(const TenantKey&)>& rewrap) = 0;
      /// The master key versions that wrap at least one tenant key.
      virtual std::vector<std::uint32_t> master_versions_in_use() = 0;

      // ---- agents -------------------------------------------------------------------------
      virtual WriteOutcome put_agent(std::string_view tenant_id, const Agent& agent) = 0;
      virtual std::vector<Agent> agents(std::string_view tenant_id) = 0;

      // ---- tokens (agent_id empty: shared) ------------------------------------------------
      virtual WriteOutcome put_token(std::string_view tenant_id, const Token& token) = 0;
      virtual std::optional<Token> token(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                                         std::string_view name, Millis now) = 0;
      virtual bool delete_token(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                                std::string_view name, Millis now) = 0;
      /// Every visible token (values stay sealed), agent tokens then shared ones.
      virtual std::vector<Token> tokens(std::string_view tenant_id, Millis now) = 0;

      // ---- settings -----------------------------------------------------------------------
      virtual std::optional<Settings> settings(std::string_view tenant_id, std::string_view app) = 0;
      /// `if_match`: nullopt = unconditional; -1 = "*" (must exist); n = must be version n.
      /// Returns the outcome and the new version.
      virtual std::pair<WriteOutcome, std::int64_t> put_settings(std::string_view tenant_id, std::string_view app,
                                                                 const std::function<Blob()>& seal_body,
                                                                 std::optional<std::int64_t> if_match,
                                                                 Millis now) = 0;
      virtual std::vector<Settings> all_settings(std::string_view tenant_id) = 0;

      // ---- statistics ---------------------------------------------------------------------
      /// Adds to the counters of one app and day, saturating at 2^53 - 1.
      virtual void add_stats(std::string_view tenant_id, std::string_view app, std::string_view day,
                             const std::vector<std::pair<std::string, std::int64_t>>& counters) = 0;
      /// Ordered by app, day, name; `app` empty = every app; days inclusive, empty = open.
      virtual std::vector<StatCounter> stats(std::string_view tenant_id, std::string_view app,
                                             std::string_view from_day, std::string_view to_day) = 0;

      // ---- jobs ---------------------------------------------------------------------------
      virtual void create_job(std::string_view tenant_id, const Job& job) = 0;
      virtual std::optional<Job> job(std::string_view tenant_id, std::string_view id, Millis now) = 0;
      /// Changes a visible running job: `change` receives the job as stored, read inside the
      /// same transaction that writes it back (so concurrent changes never overwrite each
      /// other), and edits its contents and updated_at. `change` may throw to abort;
      /// it must not call the store. On success `result` holds the job as written.
      virtual WriteOutcome update_job(std::string_view tenant_id, std::string_view id, Millis now,
                                      const std::function<void(Job&)>& change, Job& result) = 0;
      virtual bool stop_job(std::string_view tenant_id, std::string_view id, Millis now) = 0;
      virtual bool delete_job(std::string_view tenant_id, std::string_view id, Millis now) = 0;
      virtual std::vector<Job> jobs(std::string_view tenant_id, Millis now) = 0;

      // ---- sessions -----------------------------------------------------------------------
      virtual void create_session(std::string_view tenant_id, const Session& session) = 0;
      /// A session before its expires_at.
      virtual std::optional<Session> session(std::string_view tenant_id, std::string_view id_hash, Millis now) = 0;
      /// Re-checks a visible session inside one transaction that locks its row, so that two
      /// instances never refresh the same Zendesk tokens at once: `change` gets the session
      /// as stored and returns false to delete it. It may make network calls; it must not
      /// call the store. Empty if the session is gone (or was deleted by `change`).
      virtual std::optional<Session> recheck_session(std::string_view tenant_id, std::string_view id_hash, Millis now,
                                                     const std::function<bool(Session&)>& change) = 0;
      virtual bool delete_session(std::string_view tenant_id, std::string_view id_hash) = 0;
      virtual std::vector<Session> sessions(std::string_view tenant_id, Millis now) = 0;

      // ---- declared and observed access ---------------------------------------------------
      /// Records that `app` declared the policy keyed `policy_key`: a new row (sealed by
      /// `seal_declaration`, first and last declared `now`), or `last_declared` moved to
      /// `now` on the row that holds it (a row past its deadline starts afresh). Returns the
      /// row as stored.
      virtual DeclaredPolicy declare_policy(std::string_view tenant_id, std::string_view app, std::string_view policy_key,
                                            const std::function<Blob()>& seal_declaration, Millis now) = 0;
      /// Every visible declared policy, ordered by app, then last declared (newest first).
      virtual std::vector<DeclaredPolicy> declared_policies(std::string_view tenant_id, Millis now) = 0;
      /// Merges into the row of `app` and `day` inside one transaction that holds the
      /// tenant's row lock: `merge` gets the row's sealed contents (none for a new row) and
      /// returns the new ones. It may throw to abort (nothing is written); it must not call
      /// the store.
      virtual void merge_access_day(std::string_view tenant_id, std::string_view app, std::string_view day,
                                    const std::function<Blob(const std::optional<Blob>&)>& merge) = 0;
      /// Every visible access day, ordered by app and day.
      virtual std::vector<AccessDay> access_days(std::string_view tenant_id, Millis now) = 0;

      // ---- retention ----------------------------------------------------------------------
      virtual std::int64_t delete_expired_jobs(Millis now) = 0;
      virtual std::int64_t delete_expired_tokens(Millis now) = 0;
      virtual std::int64_t delete_expired_sessions(Millis now) = 0;
      /// Declared policies and access days past their deadlines.
      virtual std::int64_t delete_expired_access(Millis now) = 0;

      // ---- deletion log -------------------------------------------------------------------
      virtual std::vector<DeletionRecord> deletion_log() = 0;
      virtual std::optional<DeletionRecord> deletion_record(std::string_view certificate_id) = 0;
};

/// `sqlite:PATH` or `postgresql://...` (also `postgres://`). Throws std::invalid_argument
/// for other URLs and sql::DatabaseError if the database cannot be opened.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace leastdata::server
