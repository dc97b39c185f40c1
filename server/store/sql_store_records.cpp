// See sql_store.hpp: what agents and apps store - agents, tokens, settings, statistics, jobs.
#include "sql_store.hpp"

#include <stdexcept>

namespace leastdata::server::sql_store {

// Insert-or-nothing first, then update: two instances registering the same new agent at
// once both succeed (an update-then-insert lost the race on the primary key), and
// exactly one of them is told it created the agent. On PostgreSQL the insert waits for
// a concurrent one to commit, and the update (a new snapshot) then sees its row.
WriteOutcome SqlStore::put_agent(std::string_view tenant_id, const Agent& a) {
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

std::vector<Agent> SqlStore::agents(std::string_view tenant_id) {
   return select_all<Agent>("SELECT agent_id, email, role, registered_at, updated_at FROM agents "
                            "WHERE tenant_id = ? ORDER BY registered_at, agent_id",
                            {str(tenant_id)}, [](const sql::Row& r) {
                               Agent a;
                               a.agent_id = r.text(0);
                               if(!r.is_null(1)) {
                                  a.email = r.blob(1);
                               }
                               a.role = r.text(2);
                               a.registered_at = r.integer(3);
                               a.updated_at = r.integer(4);
                               return a;
                            });
}

WriteOutcome SqlStore::put_token(std::string_view tenant_id, const Token& t) {
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

std::optional<Token> SqlStore::token(std::string_view tenant_id, const std::optional<std::string>& agent_id,
                           std::string_view name, Millis now) {
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

bool SqlStore::delete_token(std::string_view tenant_id, const std::optional<std::string>& agent_id, std::string_view name,
                  Millis now) {
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

std::vector<Token> SqlStore::tokens(std::string_view tenant_id, Millis now) {
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

std::optional<Settings> SqlStore::settings(std::string_view tenant_id, std::string_view app) {
   const auto rows = m_db->read("SELECT app, body, version, updated_at FROM settings WHERE tenant_id = ? AND app = ?",
                                {str(tenant_id), str(app)});
   if(rows.empty()) {
      return std::nullopt;
   }
   return settings_from(rows.front());
}

std::pair<WriteOutcome, std::int64_t> SqlStore::put_settings(std::string_view tenant_id, std::string_view app,
                                                   const std::function<Blob()>& seal_body,
                                                   std::optional<std::int64_t> if_match, Millis now) {
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

std::vector<Settings> SqlStore::all_settings(std::string_view tenant_id) {
   return select_all<Settings>("SELECT app, body, version, updated_at FROM settings WHERE tenant_id = ? ORDER BY app",
                        {str(tenant_id)}, settings_from);
}

void SqlStore::add_stats(std::string_view tenant_id, std::string_view app, std::string_view day,
               const std::vector<std::pair<std::string, std::int64_t>>& counters) {
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

std::vector<StatCounter> SqlStore::stats(std::string_view tenant_id, std::string_view app, std::string_view from_day,
                               std::string_view to_day) {
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

void SqlStore::create_job(std::string_view tenant_id, const Job& j) {
   m_db->transaction([&](Transaction& tx) {
      within_quota(tx, tenant_id, QuotaCategory::jobs, [&] {
         tx.execute(
            cat({"INSERT INTO jobs (tenant_id, ", k_job_columns, ") VALUES (?, ?, ?, '', NULL, ?, ?, ?, ?, ?)"}),
            {str(tenant_id), j.id, j.kind, j.status, j.created_at, j.updated_at, opt(j.stopped_at), j.contents});
      });
   });
}

std::optional<Job> SqlStore::job(std::string_view tenant_id, std::string_view id, Millis now) {
   std::optional<Job> out;
   m_db->transaction([&](Transaction& tx) { out = visible_job(tx, tenant_id, id, now); });
   return out;
}

WriteOutcome SqlStore::update_job(std::string_view tenant_id, std::string_view id, Millis now,
                        const std::function<void(Job&)>& change, Job& result) {
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

bool SqlStore::stop_job(std::string_view tenant_id, std::string_view id, Millis now) {
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

bool SqlStore::delete_job(std::string_view tenant_id, std::string_view id, Millis now) {
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

std::vector<Job> SqlStore::jobs(std::string_view tenant_id, Millis now) {
   return select_all<Job>(cat({"SELECT ", k_job_columns, " FROM jobs WHERE tenant_id = ? AND ",
                                        k_job_visible, " ORDER BY created_at, id"}),
                        {str(tenant_id), now - k_job_retention}, job_from);
}

}  // namespace leastdata::server::sql_store
