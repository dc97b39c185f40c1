// The streaming filter driven by any compiled plan: the policy's reading selection
// (filter.hpp) or its `write` selection (request_check.cpp). Internal to the core.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/ledger.hpp>
#include <leastdata/policy.hpp>
#include <leastdata/wipe.hpp>

#include "plan.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace leastdata::detail {

Status filter_with_plan(const Plan& plan, const Limits& limits, const std::vector<RedactRule>& redact_rules,
                        std::span<const std::uint8_t> input, WipedBuffer& output, Ledger* ledger,
                        const redact::PseudonymKey* pseudonym_key);

}  // namespace leastdata::detail
