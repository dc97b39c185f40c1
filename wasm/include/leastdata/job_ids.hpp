// What a multi-stage job may hold (DESIGN §7): bare numeric IDs, nothing else. Checked in
// the browser module before an app sends a job, and by the endpoint when it receives one.
#pragma once

#include <leastdata/error.hpp>

#include <cstddef>
#include <string_view>

namespace leastdata {

/// The most IDs one job may hold, over all kinds.
constexpr std::size_t max_job_ids() noexcept { return 100'000; }

/// Checks a job's `ids` document: `{"ticket":[...],"user":[...],"organization":[...]}`
/// (each kind optional), every ID a positive integer up to 2^63 - 1 (Zendesk IDs are
/// signed 64-bit) — a JSON integer or a string of digits without a leading zero. Anything else is `personal_data`
/// (the message names the position, never the value); malformed JSON is `invalid_json`.
Status check_job_ids(std::string_view ids_json);

}  // namespace leastdata
