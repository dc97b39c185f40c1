// Per-tenant quotas (DESIGN §7): rows and bytes per category of stored data, so that no tenant
// can fill the store that every tenant shares. The defaults live here and nowhere else; `serve
// --quota` overrides them (docs/endpoint.md, "Quotas").
//
// Bytes are what the category's rows hold in their variable-length columns as stored: the
// sealed value (ciphertext with its header, nonce and tag) for tokens, emails, settings,
// jobs, sessions, declared policies and access days, the name for counters. Rows hidden by retention but not yet swept still count.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leastdata::server {

enum class QuotaCategory { agents, tokens, shared_tokens, settings, stats, jobs, sessions, declared_policies, access_days };

inline constexpr std::size_t k_quota_categories = 9;

struct Quota {
      std::int64_t rows;
      std::int64_t bytes;
};

class Quotas final {
   public:
      /// The defaults (docs/endpoint.md, "Quotas").
      Quotas();

      /// `--quota`: comma-separated `CATEGORY.rows=N` and `CATEGORY.bytes=N` over the defaults,
      /// e.g. `jobs.rows=20,jobs.bytes=8388608`. Throws std::invalid_argument naming what is wrong.
      static Quotas parse(std::string_view spec);

      const Quota& of(QuotaCategory c) const { return m_quotas[static_cast<std::size_t>(c)]; }

      static std::string_view name(QuotaCategory c);

   private:
      std::array<Quota, k_quota_categories> m_quotas;
};

/// Thrown inside a write's transaction when the write would take its tenant past a quota:
/// the transaction rolls back, nothing is written.
class QuotaExceeded final : public std::runtime_error {
   public:
      QuotaExceeded(QuotaCategory category, bool bytes, std::int64_t limit);

      QuotaCategory category() const noexcept { return m_category; }

   private:
      QuotaCategory m_category;
};

}  // namespace leastdata::server
