// The field policy document of DESIGN §2: which Zendesk fields an app may see, which
// ZAF paths it may read, which kept strings are redacted, and the input limits.
//
// `Policy::compile` validates the document and compiles its selection once; a Policy
// is then applied to any number of payloads (filter.hpp). Compiled policies are
// immutable from the outside and cheap to move.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/redact.hpp>
#include <leastdata/selection.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata {

namespace detail {
class Plan;
}

struct Limits {
      std::size_t max_depth = 64;
      std::size_t max_input_bytes = std::size_t{64} << 20;
};

/// The largest `max_depth` a policy may set: the filter recurses once per level.
constexpr std::size_t max_depth_ceiling() noexcept { return 1024; }

/// The largest `max_input_bytes` a policy may set: input and output both live in a
/// 32-bit wasm memory.
constexpr std::size_t max_input_bytes_ceiling() noexcept { return std::size_t{512} << 20; }

/// The largest policy document accepted, in bytes.
constexpr std::size_t max_policy_bytes() noexcept { return std::size_t{1} << 20; }

/// A `redact.rules` entry: kept strings at `path` (ledger-style, e.g.
/// `tickets[].description`) are scanned with `detect` and rewritten with `action`.
struct RedactRule {
      std::string path;
      redact::DetectorSet detect;
      redact::Action action;
};

class Policy final {
   public:
      /// Parses and validates a policy document (JSON text). Errors are `invalid_policy`;
      /// for selection errors the offset points into that selection's text and the
      /// message names where the selection came from (`select`, `resources.ticket`).
      static Result<Policy> compile(std::string_view json_text);

      const std::string& name() const noexcept { return m_name; }
      const Limits& limits() const noexcept { return m_limits; }
      const std::vector<std::string>& zaf_paths() const noexcept { return m_zaf_paths; }
      const std::vector<RedactRule>& redact_rules() const noexcept { return m_redact_rules; }

      /// The effective selection (resources expanded, `select` merged), normalised.
      std::string normalized_selection() const;

      /// True when a ZAF path (`ticket.requester.name`) matches an entry of `zaf`;
      /// `*` in an entry matches exactly one segment.
      bool allows_zaf_path(std::string_view path) const;

      const detail::Plan& plan() const noexcept { return *m_plan; }

   private:
      Policy() = default;

      std::string m_name;
      Limits m_limits;
      std::vector<std::string> m_zaf_paths;
      std::vector<RedactRule> m_redact_rules;
      std::shared_ptr<detail::Plan> m_plan;
};


}  // namespace leastdata
