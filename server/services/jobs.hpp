// What the jobs service shares with the report: a stored job's contents, opened.
#pragma once

#include "http/call.hpp"

namespace leastdata::server {

/// What a job holds besides its kind and times: {"ids":{...},"cursor":...|null}.
nlohmann::json job_contents(const Call& call, const Job& j);

}  // namespace leastdata::server
