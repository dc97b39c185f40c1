// The pieces of the ledger's JSON text (ledger.cpp), shared with the path counter, which
// writes path counts straight into it (path_counter.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leastdata::detail {

/// Appends `text`, a member name or path as the filter decoded it, as the contents of a
/// JSON string (no quotes): quote, backslash and controls escaped, and an escaped lone
/// surrogate, which decodes to its 3-byte generalised form (ED A0..BF xx), written back as
/// \uXXXX, so distinct names stay distinct paths.
void append_json_escaped(std::string& out, std::string_view text);

/// Appends `count` in decimal.
void append_count(std::string& out, std::uint64_t count);

}  // namespace leastdata::detail
