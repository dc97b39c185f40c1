// Access transparency: the customer can ask what its Zendesk apps declare they may access
// and what they report having accessed (docs/endpoint.md, "Access transparency").
//
// Declared: every copy of an app sends its policy document (PUT /v1/access/policies/{app}).
// The endpoint compiles it with the core and keeps the canonical declaration
// (Policy::declaration()), sealed, one row per app and distinct declaration. A copy someone
// changed declares another policy, which is how it shows. The declaration's hash,
// "sha256:<hex of SHA-256 of its bytes>", names it in the API; the row is keyed by an HMAC
// of that hash under the tenant's data key instead, so that a copy of the database holds
// nothing that would confirm a guessed policy once the tenant's key is destroyed.
//
// Observed: copies post what they accessed since their previous post (POST
// /v1/access/observed): counts, field paths, refused request patterns and ZAF paths, never
// values. Posts are validated strictly, every name is run through the core's personal-data
// detectors, and they are merged, sealed, into one row per app and UTC day.
//
// Both are kept 30 days (after the last declaration; after the day) and reported to admins
// with GET /v1/report.
#pragma once

#include "auth.hpp"
#include "clock.hpp"
#include "store/store.hpp"

#include "leastdata/jcs.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace leastdata::server {

class AccessService final {
   public:
      /// Entries (names in kept_paths, refused_requests, zaf_read and zaf_refused) one post may carry.
      static constexpr std::size_t k_max_entries_per_post = 2000;
      /// Distinct entries (those names plus policy hashes) one app's day may hold.
      static constexpr std::size_t k_max_entries_per_day = 10000;
      /// Bytes of one name.
      static constexpr std::size_t k_max_name_bytes = 256;
      /// The largest count; sums stop there (JSON numbers are exact up to it).
      static constexpr std::uint64_t k_max_count = jcs::k_max_exact_integer;

      explicit AccessService(Store& store) : m_store(store) {}

      /// Compiles `document` (a policy document, JSON text) and records its declaration for
      /// `app` (a valid app name). Returns {"app","policy_hash","first_declared",
      /// "last_declared","delete_after"}. Throws ApiError 422 `invalid_policy` with the core's
      /// message.
      nlohmann::json declare(const Identity& who, std::string_view app, std::string_view document, Millis now);

      /// Validates a post (the parsed body) and merges it into today's row of its app.
      /// Returns {"app","day","delete_after"}. Throws ApiError 422 `invalid_access`,
      /// `too_many_entries` or `personal_data`; nothing is stored then.
      nlohmann::json observe(const Identity& who, const nlohmann::json& body, Millis now);

      struct Report {
            nlohmann::json declared_policies;  // items of the report's category
            nlohmann::json access_days;        // items of the report's category
            nlohmann::json access;             // the report's `access` section
      };

      /// What GET /v1/report shows of declared and observed access.
      Report report(const Identity& who, Millis now) const;

   private:
      Store& m_store;
};

}  // namespace leastdata::server
