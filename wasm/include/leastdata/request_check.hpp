// Minimal access in the other direction (DESIGN §2.5): whether an app may make one API
// request, decided in the core before anything leaves the iframe.
//
// A request is allowed when an entry of the policy's `requests` matches its method and URL
// exactly (request_rules.hpp) and, when it has a body, the body is JSON that lies entirely
// inside the policy's `write` selection: filtering it through `write` removes nothing. A
// body is never trimmed to fit; it is refused, naming the first path outside `write`.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/policy.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace leastdata {

/// Ok, or `request_not_allowed` (the message names the request's pattern: method, path
/// with IDs as `{id}`, parameter names; never a value), or `write_not_allowed` (the message
/// names the first path outside `write`), or the filter's own error for a body that is not
/// valid JSON within the policy's limits (`invalid_json`, `depth_limit`, ... with offsets).
Status check_request(const Policy& policy, std::string_view method, std::string_view url,
                     std::optional<std::span<const std::uint8_t>> body = std::nullopt);

}  // namespace leastdata
