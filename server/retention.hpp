// One retention pass (DESIGN §7), run by `sweep` and periodically by `serve`:
// - jobs stopped, or not updated, for 7 days are deleted (completed jobs never persist);
// - tokens past their `expires_at`, and sessions past theirs, are deleted;
// - declared policies 30 days after they were last declared, and access days 30 days after
//   they began, are deleted;
// - tenants inactive for 30 days are deleted entirely, each with a certificate
//   (trigger retention_inactive_30d) kept in `deletion_log`.
// Queries already hide these rows before the pass runs; the pass removes them.
#pragma once

#include "certificates.hpp"
#include "clock.hpp"
#include "store/store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace leastdata::server::retention {

struct SweepResult {
      std::int64_t jobs_deleted = 0;
      std::int64_t tokens_deleted = 0;
      std::int64_t sessions_deleted = 0;
      std::int64_t access_rows_deleted = 0;
      std::int64_t tenants_deleted = 0;
      std::vector<std::string> certificates;  // signed, canonical JSON
};

SweepResult sweep(Store& store, CertificateIssuer& issuer, Millis now);

/// `{"jobs_deleted":N,"tenants_deleted":N,"certificates":[...]}` (DESIGN §7).
nlohmann::json summary(const SweepResult& result);

}  // namespace leastdata::server::retention
