// The compiled form of a selection: what the streaming filter consults per member.
//
// A `Node` is a selection applied to an object: it maps a member name to the
// `MemberPlan` of the rules that may apply to that member (rules naming it, then `*`
// rules). A `MemberPlan` turns "which of my rules apply to this value" (a bit mask,
// decided by predicates) into an `Action`: keep the value whole, or project it through
// a child `Node`. Plans without predicates are built eagerly; predicate combinations
// are built the first time an element needs them and cached.
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/selection.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leastdata::detail {

struct Node;

struct Action {
      bool whole = false;          // keep the value as it is
      const Node* node = nullptr;  // otherwise: objects are projected through this
};

class Plan;

struct MemberPlan {
      std::vector<const Rule*> rules;  // candidates; bit i of a mask is rules[i]
      std::vector<std::string_view> predicate_keys;  // distinct keys the predicates read
      bool conditional = false;        // some rule has a predicate
      const Action* unconditional = nullptr;  // the action when !conditional

      /// The action for the rules in `mask`, or null when the mask is empty. Combinations
      /// are compiled on first use; when that would pass the plan's bounds the result is
      /// an `invalid_policy` error (never a silently smaller selection).
      Result<const Action*> action_for(std::uint64_t mask) const;

      Plan* owner = nullptr;
      mutable std::unordered_map<std::uint64_t, const Action*> cache;
};

struct Node {
      std::vector<std::pair<std::string_view, const MemberPlan*>> named;  // sorted by name
      const MemberPlan* wildcard = nullptr;  // for names not in `named`

      const MemberPlan* find(std::string_view name) const noexcept;
};

/// The most rules that can compete for one member (a mask is 64 bits).
constexpr std::size_t max_rules_per_member() noexcept { return 64; }

/// Bounds the work of compiling one selection, wildcards included, and the predicate
/// combinations compiled later as payloads need them.
constexpr std::size_t max_plan_nodes() noexcept { return 1 << 16; }

class Plan final {
   public:
      /// Compiles a normalised selection. Errors are `invalid_policy`.
      static Result<std::unique_ptr<Plan>> build(Selection selection);

      /// The plan for the top-level value: one unconditional rule holding the selection.
      const MemberPlan& root() const noexcept { return *m_root; }
      const Selection& selection() const noexcept { return m_selection; }

      Plan(const Plan&) = delete;
      Plan& operator=(const Plan&) = delete;

   private:
      friend struct MemberPlan;
      Plan() = default;

      const Action* make_action(const std::vector<const Rule*>& rules);
      const Node* make_node(const std::vector<const Rule*>& rules);
      const MemberPlan* make_member(std::vector<const Rule*> rules);
      void note_too_complex(std::string message);

      Selection m_selection;
      Rule m_root_rule;
      const MemberPlan* m_root = nullptr;
      std::deque<Node> m_nodes;
      std::deque<MemberPlan> m_members;
      std::deque<Action> m_actions;
      Action m_whole{true, nullptr};
      std::optional<Error> m_error;
      mutable std::mutex m_lazy_mutex;  // guards lazy construction from action_for
};

}  // namespace leastdata::detail
