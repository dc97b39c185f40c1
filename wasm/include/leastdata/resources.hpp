// The Zendesk resources a policy can name (DESIGN §2.2) and the pagination envelope: one
// table, read by the policy compiler, the bindings (JS access report) and the tests.
//
// Each row was looked up in Zendesk's Support API reference: the member a single record
// comes in (`ticket`), the member a list comes in (`tickets`), and whether the search
// API returns the resource in `results` tagged with `result_type`. A new resource is one
// row here.
#pragma once

#include <span>
#include <string_view>

namespace leastdata {

struct ResourceEnvelope {
      std::string_view resource;  // the name a policy uses
      std::string_view singular;  // envelope of one record; empty when Zendesk has none
      std::string_view plural;    // envelope of a list (also sideloads: ?include=users)
      bool in_search_results;     // returned by search as results[result_type=<resource>]
};

/// Every resource of DESIGN §2.2, in the order the documentation lists them.
std::span<const ResourceEnvelope> resource_envelopes() noexcept;

/// The row for a policy's resource name, or null.
const ResourceEnvelope* find_resource(std::string_view name) noexcept;

/// Top-level members of paginated responses (offset, cursor and export pagination), kept
/// whole whenever a policy reads through `resources`.
std::span<const std::string_view> pagination_members() noexcept;

}  // namespace leastdata
