// What a multi-stage job may hold (DESIGN §7): bare numeric IDs, nothing else. One rule and
// one limit: checked in the browser module before an app sends a job (check_job_ids), and by
// the endpoint, ID by ID, when it receives one (is_job_id, max_job_ids).
#pragma once

#include <leastdata/error.hpp>

#include <cstddef>
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>

namespace leastdata {

/// The most IDs one job may hold, over all kinds (a larger set is several linked jobs).
constexpr std::size_t max_job_ids() noexcept { return 10'000; }

/// Whether `digits` spells a job ID: 1 to 2^63 - 1 in decimal, without a leading zero.
bool is_job_id_digits(std::string_view digits) noexcept;

/// Whether a JSON value (nlohmann's, ordered or not) is a job ID: a positive integer up to
/// 2^63 - 1 (Zendesk IDs are signed 64-bit), as a JSON integer or a string of digits.
template <typename Json>
bool is_job_id(const Json& value) {
   if(value.is_number_unsigned()) {
      const auto id = value.template get<std::uint64_t>();
      return id > 0 && id <= static_cast<std::uint64_t>(INT64_MAX);
   }
   if(value.is_number_integer()) {
      return value.template get<std::int64_t>() > 0;
   }
   return value.is_string() && is_job_id_digits(value.template get_ref<const std::string&>());
}

/// Checks a job's `ids` document: `{"ticket":[...],"user":[...],"organization":[...]}`
/// (each kind optional), every ID `is_job_id`, at most `max_job_ids()` in all (`size_limit`).
/// Anything else is `personal_data` (the message names the position, never the value);
/// malformed JSON is `invalid_json`.
Status check_job_ids(std::string_view ids_json);

}  // namespace leastdata
