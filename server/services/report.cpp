// The tenant's report: everything stored about it, by category, with retention dates (no secrets).
#include "http/call.hpp"
#include "envelope.hpp"
#include "http.hpp"
#include "services/jobs.hpp"
#include "tenants.hpp"
#include "leastdata/crypto.hpp"

namespace leastdata::server {

using nlohmann::json;

namespace handlers {

Reply report(Call& call) {
   const Tenant& t = call.who->tenant;
   const auto due = t.deletion_due_at();
   const json until = time_or_null(due);
   const DataKey& key = call.data_key();
   const auto tenant_key = call.ep.store.tenant_key(t.id);

   json agents = json::array();
   for(const Agent& a : call.ep.store.agents(t.id)) {
      agents.push_back({{"id", a.agent_id},
                        {"email", a.email ? json(envelope::open_string(key, tenants::email_context(t.id, a.agent_id),
                                                                       *a.email))
                                          : json(nullptr)},
                        {"role", a.role},
                        {"registered_at", format_time(a.registered_at)},
                        {"updated_at", format_time(a.updated_at)},
                        {"retained_until", until}});
   }
   json tokens = json::array();
   json shared = json::array();
   for(const Token& tok : call.ep.store.tokens(t.id, call.now)) {
      std::optional<Millis> retained = tok.expires_at;
      if(due && (!retained || *due < *retained)) {
         retained = due;
      }
      json item = {{"name", tok.name},
                   {"expires_at", time_or_null(tok.expires_at)},
                   {"updated_at", format_time(tok.updated_at)},
                   {"retained_until", time_or_null(retained)}};
      if(tok.agent_id) {
         item["agent_id"] = *tok.agent_id;
         tokens.push_back(std::move(item));
      } else {
         shared.push_back(std::move(item));
      }
   }
   json settings = json::array();
   for(const Settings& s : call.ep.store.all_settings(t.id)) {
      settings.push_back({{"app", s.app},
                          {"version", s.version},
                          {"updated_at", format_time(s.updated_at)},
                          {"size_bytes", s.body.size() - envelope::header_size() - crypto::aes256_gcm_overhead()},
                          {"retained_until", until}});
   }
   json stats = json::array();
   std::int64_t stats_rows = 0;
   for(const StatCounter& c : call.ep.store.stats(t.id, "", "", "")) {
      if(stats.empty() || stats.back()["app"] != c.app || stats.back()["day"] != c.day) {
         stats.push_back({{"app", c.app}, {"day", c.day}, {"counters", json::object()}, {"retained_until", until}});
      }
      stats.back()["counters"][c.name] = c.value;
      ++stats_rows;
   }
   json sessions = json::array();
   for(const Session& x : call.ep.store.sessions(t.id, call.now)) {
      sessions.push_back({{"agent_id", x.agent_id},
                          {"role", x.role},
                          {"created_at", format_time(x.created_at)},
                          {"checked_at", format_time(x.checked_at)},
                          {"retained_until", format_time(x.expires_at)}});
   }
   json jobs = json::array();
   for(const Job& j : call.ep.store.jobs(t.id, call.now)) {
      const json contents = job_contents(call, j);
      json counts = json::object();
      for(const auto& [category, list] : contents["ids"].items()) {
         counts[category] = list.size();
      }
      Millis retained = j.delete_at();
      if(due && *due < retained) {
         retained = *due;
      }
      jobs.push_back({{"id", j.id},
                      {"kind", j.kind},
                      {"status", j.status},
                      {"id_counts", counts},
                      {"has_cursor", !contents["cursor"].is_null()},
                      {"created_at", format_time(j.created_at)},
                      {"updated_at", format_time(j.updated_at)},
                      {"retained_until", format_time(retained)}});
   }

   AccessService::Report access = call.ep.access.report(*call.who, call.now);

   const auto category = [](const char* stored, json encrypted, json items, std::size_t count = SIZE_MAX) {
      const std::size_t n = count == SIZE_MAX ? items.size() : count;
      return json{{"stored", stored}, {"encrypted", std::move(encrypted)}, {"count", n}, {"items", std::move(items)}};
   };
   json out = {
      {"subdomain", t.subdomain},
      {"generated_at", format_time(call.now)},
      {"storage_region", call.ep.config.region},
      {"tenant",
       {{"status", t.status},
        {"inactive_reason", t.inactive_reason ? json(*t.inactive_reason) : json(nullptr)},
        {"inactive_since", time_or_null(t.inactive_since)},
        {"deletion_due_at", until},
        {"created_at", format_time(t.created_at)},
        {"stored",
         {{"subdomain", "the Zendesk subdomain, in clear: it identifies the tenant"},
          {"jwt_secret", "the HS256 shared secret, encrypted under the tenant data key (value never shown)"},
          {"data_key", "the tenant data key (AES-256), wrapped by master key version " +
                          std::to_string(tenant_key ? tenant_key->master_version : 0) +
                          (tenant_key && envelope::needs_tenant_key(tenant_key->wrapped_key)
                              ? " together with the tenant's own key file, destroyed on deletion"
                              : "") +
                          " (never shown)"}}}}},
      {"retention",
       {{"tenant_data", "kept while the tenant is active; deleted entirely, with a signed certificate, 30 days "
                        "after it becomes inactive (app uninstalled or subscription lapsed), or at once on "
                        "request (POST /v1/deletion)"},
        {"tokens", "deleted at expires_at when one is set, otherwise with the tenant data"},
        {"jobs", "deleted at once when completed; 7 days after being stopped or last updated"},
        {"sessions", "deleted at sign-out, when Zendesk no longer confirms the user, or 8 hours after sign-in"},
        {"declared_policies", "deleted 30 days after the app last declared the policy"},
        {"access_days", "deleted 30 days after the day they describe began"}}},
      {"categories",
       {{"agents", category("Zendesk user id, email and role (as Zendesk said at sign-in)", json::array({"email"}), agents)},
        {"tokens", category("per agent: name, value, expiry", json::array({"value"}), tokens)},
        {"shared_tokens", category("per installation: name, value, expiry", json::array({"value"}), shared)},
        {"settings", category("per app: the settings document and its version", json::array({"settings"}),
                              settings)},
        {"stats", category("per app and day: named non-negative counters", json::array(), stats,
                           static_cast<std::size_t>(stats_rows))},
        {"jobs", category("per job: kind, numeric ticket/user/organization ids, opaque cursor",
                          json::array({"ids", "cursor"}), jobs)},
        {"sessions", category("per sign-in with Zendesk: the user's Zendesk id and role, their Zendesk access and "
                              "refresh tokens, a hash of the session credential",
                              json::array({"zendesk_tokens"}), sessions)},
        {"declared_policies",
         category("per app: each distinct policy its copies declared (the canonical declaration of what it may "
                  "read, write, request and read through ZAF) and when it was first and last declared",
                  json::array({"declaration"}), std::move(access.declared_policies))},
        {"access_days",
         category("per app and UTC day: what its copies reported accessing - counts, field paths, refused "
                  "request patterns, ZAF paths; never values",
                  json::array({"observed"}), std::move(access.access_days))}}},
      {"access", std::move(access.access)}};
   return json_reply(200, out);
}

}  // namespace handlers

}  // namespace leastdata::server
