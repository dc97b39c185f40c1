// The table of Zendesk resources and the pagination envelope (see resources.hpp).
#include <leastdata/resources.hpp>

#include <array>

namespace leastdata {

namespace {

constexpr std::array<ResourceEnvelope, 13> k_resources{{
   {"ticket", "ticket", "tickets", true},
   {"user", "user", "users", true},
   {"organization", "organization", "organizations", true},
   {"comment", "comment", "comments", false},
   {"audit", "audit", "audits", false},
   {"group", "group", "groups", true},
   {"ticket_field", "ticket_field", "ticket_fields", false},
   {"user_field", "user_field", "user_fields", false},
   {"organization_field", "organization_field", "organization_fields", false},
   {"identity", "identity", "identities", false},
   {"ticket_event", "", "ticket_events", false},  // the incremental export has only the list
   {"job_status", "job_status", "job_statuses", false},
   {"satisfaction_rating", "satisfaction_rating", "satisfaction_ratings", false},
}};

// Offset pagination: next_page, previous_page, count. Cursor pagination: meta, links.
// Incremental exports: after_url, before_url, after_cursor, before_cursor, end_of_stream,
// end_time.
constexpr std::array<std::string_view, 11> k_pagination_members{
   "next_page",  "previous_page", "count",        "meta",          "links",         "after_url",
   "before_url", "after_cursor",  "before_cursor", "end_of_stream", "end_time",
};

}  // namespace

std::span<const ResourceEnvelope> resource_envelopes() noexcept { return k_resources; }

const ResourceEnvelope* find_resource(std::string_view name) noexcept {
   for(const ResourceEnvelope& row : k_resources) {
      if(row.resource == name) {
         return &row;
      }
   }
   return nullptr;
}

std::span<const std::string_view> pagination_members() noexcept { return k_pagination_members; }

}  // namespace leastdata
