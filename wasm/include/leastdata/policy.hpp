// The field policy document of DESIGN §2: which Zendesk fields an app may see, which
// ZAF paths it may read, which API requests it may make and what it may write (§2.5),
// which kept strings are redacted, and the input limits.
//
// `Policy::compile` validates the document and compiles its selection once; a Policy
// is then applied to any number of payloads (filter.hpp). Compiled policies are
// immutable from the outside and cheap to move.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/redact.hpp>
#include <leastdata/request_rules.hpp>
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
      const RequestRules& requests() const noexcept { return m_requests; }

      /// The effective selection (resources expanded, `select` merged), normalised.
      std::string normalized_selection() const;

      /// The compiled `write` selection, or null when the policy allows no request body.
      const detail::Plan* write_plan() const noexcept { return m_write_plan.get(); }

      /// What the policy allows, as one canonical JSON object (JCS, RFC 8785): `name`,
      /// `read` and `write` (canonical selections, see selection.hpp; `write` null when
      /// absent), `requests`,
      /// `zaf`, `redact` and `limits`. Two documents that allow the same get the same text;
      /// this is what an app declares to the endpoint and what its hash names.
      std::string declaration() const;

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
      RequestRules m_requests;
      std::shared_ptr<detail::Plan> m_plan;
      std::shared_ptr<detail::Plan> m_write_plan;
};

}  // namespace leastdata
