// The streaming filter of DESIGN §3: one pass over UTF-8 bytes that validates the whole
// input and copies only what the policy keeps, byte-exact, into a compact output.
//
// No tree of the input is built; dropped subtrees are validated and skipped without
// decoding their strings. On any error the output is wiped and left empty: there is
// never a partial result.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/ledger.hpp>
#include <leastdata/policy.hpp>
#include <leastdata/wipe.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace leastdata {

/// Filters `input` through `policy` into `output` (replacing its contents). When
/// `ledger` is given it receives the access ledger of this call. Kept strings at the
/// paths of the policy's redact rules are redacted; `pseudonym_key` is needed by rules
/// whose action is `pseudonym` (without it such a call fails with `invalid_argument`).
Status filter(const Policy& policy, std::span<const std::uint8_t> input, WipedBuffer& output,
              Ledger* ledger = nullptr, const redact::PseudonymKey* pseudonym_key = nullptr);

}  // namespace leastdata
