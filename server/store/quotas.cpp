// Quota defaults and the `--quota` syntax.
#include "quotas.hpp"

#include <charconv>

namespace leastdata::server {

namespace {

constexpr std::int64_t k_mib = 1024 * 1024;

constexpr std::array<std::string_view, k_quota_categories> k_names = {
   "agents", "tokens", "shared_tokens", "settings", "stats", "jobs", "sessions", "declared_policies", "access_days"};

}  // namespace

// Sized for a large Zendesk account (thousands of agents, a few apps, a year of daily
// counters) with room to spare, and small enough that a few hundred tenants at their quota
// fit on one disk: a tenant at every quota holds about 256 MiB.
Quotas::Quotas() :
   m_quotas{{
      {10000, 8 * k_mib},     // agents: one row per agent, the sealed email
      {100000, 64 * k_mib},   // tokens: agent tokens, sealed values
      {1000, 16 * k_mib},     // shared_tokens
      {100, 8 * k_mib},       // settings: one row per app, at most 64 KiB each
      {500000, 16 * k_mib},   // stats: one row per app, day and counter
      {100, 32 * k_mib},      // jobs: at most 10,000 ids each (about 210 KB sealed at 19 digits)
      {20000, 32 * k_mib},    // sessions: a few per agent, sealed Zendesk tokens
      // declared_policies: one row per app and distinct policy declared in the last 30 days
      // (a new version of an app, or a copy someone changed, adds one); a declaration is
      // typically 1-10 KB sealed
      {1000, 16 * k_mib},
      // access_days: one row per app and day of the last 30 (100 apps fit with room for
      // the rows the sweep has not removed yet); a row holds at most 10,000 paths, typically
      // 10-50 KB sealed
      {5000, 64 * k_mib},
   }} {}

std::string_view Quotas::name(QuotaCategory c) {
   return k_names[static_cast<std::size_t>(c)];
}

Quotas Quotas::parse(std::string_view spec) {
   Quotas q;
   while(!spec.empty()) {
      const auto comma = spec.find(',');
      const std::string_view item = spec.substr(0, comma);
      spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
      const auto dot = item.find('.');
      const auto eq = item.find('=');
      if(dot == std::string_view::npos || eq == std::string_view::npos || eq < dot) {
         throw std::invalid_argument("--quota takes CATEGORY.rows=N or CATEGORY.bytes=N, comma-separated");
      }
      const std::string_view category = item.substr(0, dot);
      const std::string_view kind = item.substr(dot + 1, eq - dot - 1);
      const std::string_view number = item.substr(eq + 1);
      std::size_t index = k_quota_categories;
      for(std::size_t i = 0; i < k_quota_categories; ++i) {
         if(k_names[i] == category) {
            index = i;
         }
      }
      if(index == k_quota_categories) {
         std::string names;
         for(const auto name : k_names) {
            names += (names.empty() ? "" : ", ") + std::string(name);
         }
         throw std::invalid_argument("--quota: the categories are " + names);
      }
      if(kind != "rows" && kind != "bytes") {
         throw std::invalid_argument("--quota: a category has rows and bytes");
      }
      std::int64_t value = 0;
      const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
      if(error != std::errc() || end != number.data() + number.size() || value < 0) {
         throw std::invalid_argument("--quota: a limit is a non-negative integer");
      }
      (kind == "rows" ? q.m_quotas[index].rows : q.m_quotas[index].bytes) = value;
   }
   return q;
}

QuotaExceeded::QuotaExceeded(QuotaCategory category, bool bytes, std::int64_t limit) :
   std::runtime_error("the tenant's quota for " + std::string(Quotas::name(category)) + " is reached (" +
                      std::to_string(limit) + (bytes ? " bytes" : " rows") + ")"),
   m_category(category) {}

}  // namespace leastdata::server
