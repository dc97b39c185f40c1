// Builds ledger paths (`tickets[].custom_fields[].value`) while the filter descends and
// counts kept scalars, and removed members and elements, per path. Disabled (every call a
// no-op) when neither a ledger nor a redact rule wants paths, so the hot path pays nothing.
//
// Paths form a trie of steps: each step down finds (or adds) a child of the current node by
// its name, and counting is an increment on the current node. Adding a node copies nothing
// and allocates nothing but its slot: its name is a view of the input or of the walker's
// decoded names, which outlive the counter (filter.cpp declares the walker first). The
// text of a path is built only when asked: for the ledger once at the end, for redact rules
// (matched by path) once per node. A step compares its name against the few children seen
// there before (first the one that followed the previous step last time: objects of one
// array repeat their members' order); one hash index serves the nodes with many children
// (objects keyed by IDs). A step also remembers which rule of the policy plan named it, so
// the filter searches the plan once per member name rather than once per object.
#pragma once

#include <leastdata/ledger.hpp>

#include "ledger_text.hpp"
#include "name_set.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace leastdata::detail {

struct MemberPlan;
struct Node;

class PathCounter final {
   public:
      explicit PathCounter(bool enabled) : m_enabled(enabled) {
         if(m_enabled) {
            m_nodes.reserve(64);
            m_nodes.emplace_back();  // the root: the empty path
         }
      }

      /// Steps into member `name` (a view that lives as long as the counter); returns the
      /// mark to `pop` back to.
      std::size_t push_member(std::string_view name) { return push_step(step(name)); }

      /// Steps into array elements (`[]`).
      std::size_t push_array() {
         const std::size_t mark = m_current;
         if(m_enabled) {
            m_current = child(array_step_name, true);
         }
         return mark;
      }

      void pop(std::size_t mark) noexcept { m_current = mark; }

      /// The step into member `name` below the current path, found (or added) once for
      /// both questions the filter asks of a member: which rule of `plan_node` names it
      /// (`member_plan`, remembered per step and plan node, so a member seen before costs
      /// no search of the plan), and then where to count or descend (`push_step`,
      /// `count_dropped_step`). 0 when disabled.
      std::size_t step(std::string_view name) { return m_enabled ? child(name, false) : 0; }

      /// `plan_node.find(name)` for the member at `step`: `find()` computes it when the
      /// step last met another plan node (or none), and always when disabled.
      template <typename Find>
      const MemberPlan* member_plan(std::size_t step, const Node& plan_node, Find find) {
         if(!m_enabled) {
            return find();
         }
         PathNode& node = m_nodes[step];
         if(node.plan_node != &plan_node) {
            node.plan_node = &plan_node;
            node.plan = find();
         }
         return node.plan;
      }

      /// As push_member, for a step found by `step`; returns the mark to `pop` back to.
      std::size_t push_step(std::size_t step) noexcept {
         const std::size_t mark = m_current;
         if(m_enabled) {
            m_current = step;
         }
         return mark;
      }

      /// One more member removed at `step` (its subtree counts once).
      void count_dropped_step(std::size_t step) {
         if(m_enabled) {
            count_dropped(step);
         }
      }

      /// The path as it stands (empty when disabled). Valid until the counter is destroyed.
      std::string_view path() {
         if(!m_enabled) {
            return {};
         }
         PathNode& node = m_nodes[m_current];
         if(node.text == no_text) {
            node.text = m_texts.size();
            append_path(m_current, m_texts.emplace_back());
         }
         return m_texts[node.text];
      }

      /// One more kept scalar at the current path.
      void count() {
         if(!m_enabled) {
            return;
         }
         if(m_nodes[m_current].count++ == 0) {
            m_first_seen.push_back(m_current);
         }
      }

      /// One more element removed from the array at the current path (`tickets[]`), or the
      /// top-level value replaced by `null` (the empty path).
      void count_dropped_here() {
         if(m_enabled) {
            count_dropped(m_current);
         }
      }

      /// Hands the counts to `ledger` in first-seen order, with their totals: as JSON text
      /// when it asks for that and no name makes path texts ambiguous, else as vectors.
      void fill(Ledger& ledger) const {
         if(ledger.paths_as_json && !m_ambiguous) {
            ledger.fields_kept = write_json_counts(m_first_seen, &PathNode::count, ledger.kept_paths_json);
            ledger.fields_dropped = write_json_counts(m_first_dropped, &PathNode::dropped, ledger.dropped_paths_json);
            return;
         }
         ledger.paths_as_json = false;
         ledger.fields_kept = write_counts(m_first_seen, &PathNode::count, ledger.kept_paths);
         ledger.fields_dropped = write_counts(m_first_dropped, &PathNode::dropped, ledger.dropped_paths);
      }

   private:
      static constexpr std::size_t none = static_cast<std::size_t>(-1);
      static constexpr std::size_t no_text = none;
      static constexpr std::string_view array_step_name = "[]";
      // Children are found by walking the sibling list up to this many, then through `m_wide`.
      static constexpr std::uint32_t linear_children = 16;

      struct PathNode {
            std::string_view name;  // the step: a member name, or "[]"
            std::size_t parent = none;
            std::size_t first_child = none;
            std::size_t next_sibling = none;
            std::size_t last_child = none;  // the child stepped into last
            std::size_t next_seen = none;   // the sibling stepped into after this one, last time
            std::size_t text = no_text;  // index of the built path in m_texts
            std::uint64_t count = 0;
            std::uint64_t dropped = 0;
            std::uint32_t children = 0;
            bool array_step = false;
            const Node* plan_node = nullptr;      // the plan node `plan` was found in
            const MemberPlan* plan = nullptr;     // its rule for this step's name
      };

      static std::size_t step_hash(std::size_t parent, std::string_view name, bool array_step) noexcept {
         // Combined as boost::hash_combine does, in size_t (32 bits in wasm).
         std::size_t hash = std::hash<std::string_view>{}(name) ^ static_cast<std::size_t>(array_step);
         hash ^= parent + static_cast<std::size_t>(0x9E3779B9u) + (hash << 6) + (hash >> 2);
         return hash;
      }

      // The children of wide nodes, by (parent, step), in one open-addressing table of node
      // ids (a node-based map cost an allocation, and a zeroing free, per child).
      std::size_t find_wide(std::size_t parent, std::string_view name, bool array_step) const {
         const std::size_t mask = m_wide.size() - 1;
         for(std::size_t i = step_hash(parent, name, array_step) & mask;; i = (i + 1) & mask) {
            if(m_wide[i] == none) {
               return none;
            }
            if(m_nodes[m_wide[i]].parent == parent && is_step(m_wide[i], name, array_step)) {
               return m_wide[i];
            }
         }
      }

      void add_wide(std::size_t id) {
         if(2 * (m_wide_count + 1) > m_wide.size()) {  // at most half full
            std::vector<std::size_t> old(std::max<std::size_t>(64, 2 * m_wide.size()), none);
            old.swap(m_wide);
            for(const std::size_t kept : old) {
               if(kept != none) {
                  place_wide(kept);
               }
            }
         }
         place_wide(id);
         ++m_wide_count;
      }

      void place_wide(std::size_t id) {
         const PathNode& node = m_nodes[id];
         const std::size_t mask = m_wide.size() - 1;
         std::size_t i = step_hash(node.parent, node.name, node.array_step) & mask;
         while(m_wide[i] != none) {
            i = (i + 1) & mask;
         }
         m_wide[i] = id;
      }

      /// Whether a step name makes path texts ambiguous: different steps can then spell the
      /// same text (a member named "a.b" and a member b of a; a member named "" and its
      /// parent; a member named "[]" and an array step).
      static bool ambiguous(std::string_view name) noexcept {
         return name.empty() || name.find_first_of(".[]") != std::string_view::npos;
      }

      // At most the length of the path's text: its names and a '.' per step.
      std::size_t path_capacity(std::size_t id) const {
         std::size_t capacity = 0;
         for(std::size_t at = id; at != 0; at = m_nodes[at].parent) {
            capacity += m_nodes[at].name.size() + 1;
         }
         return capacity;
      }

      // Appends the steps from the root down to `id` to `out`, which is empty or holds the
      // path to an ancestor: recursion, bounded by the walker's max_depth, instead of a
      // list of steps per path.
      void append_steps(std::size_t id, std::string& out) const {
         if(id == 0) {
            return;
         }
         const PathNode& node = m_nodes[id];
         append_steps(node.parent, out);
         if(!node.array_step && !out.empty()) {
            out.push_back('.');
         }
         out.append(node.name);
      }

      void append_path(std::size_t id, std::string& out) const {
         out.reserve(out.size() + path_capacity(id));
         append_steps(id, out);
      }

      // Appends the escaped text of the path to `id` (no name is ambiguous: none is empty).
      void append_escaped_steps(std::size_t id, std::string& out, bool& first) const {
         if(id == 0) {
            return;
         }
         const PathNode& node = m_nodes[id];
         append_escaped_steps(node.parent, out, first);
         if(!node.array_step && !first) {
            out.push_back('.');
         }
         first = false;
         append_json_escaped(out, node.name);
      }

      // Writes `{"path":count,...}` for `ids` in order straight into `out`, names escaped
      // as they are appended, and returns the total.
      std::uint64_t write_json_counts(const std::vector<std::size_t>& ids, std::uint64_t PathNode::*counter,
                                      std::string& out) const {
         std::size_t capacity = 2;
         for(const std::size_t id : ids) {
            capacity += path_capacity(id) + 24;  // quotes, colon, comma, up to 20 digits
         }
         out.clear();
         out.reserve(capacity);
         out.push_back('{');
         std::uint64_t total = 0;
         for(const std::size_t id : ids) {
            if(out.size() > 1) {
               out.push_back(',');
            }
            out.push_back('"');
            bool first = true;
            append_escaped_steps(id, out, first);
            out.append("\":");
            const std::uint64_t count = m_nodes[id].*counter;
            append_count(out, count);
            total += count;
         }
         out.push_back('}');
         return total;
      }

      // Writes (path, count) for `ids` in order and returns the total. Paths are text, so
      // when a name made texts ambiguous, equal texts are one entry, summed at its first place.
      std::uint64_t write_counts(const std::vector<std::size_t>& ids, std::uint64_t PathNode::*counter,
                                 std::vector<std::pair<std::string, std::uint64_t>>& out) const {
         out.clear();
         out.reserve(ids.size());
         std::unordered_map<std::string_view, std::size_t> place;
         std::uint64_t total = 0;
         for(const std::size_t id : ids) {
            const std::uint64_t count = m_nodes[id].*counter;
            total += count;
            std::string text;
            append_path(id, text);
            if(m_ambiguous) {
               if(const auto it = place.find(text); it != place.end()) {
                  out[it->second].second += count;
                  continue;
               }
            }
            out.emplace_back(std::move(text), count);
            if(m_ambiguous) {
               place.emplace(out.back().first, out.size() - 1);
            }
         }
         return total;
      }

      void count_dropped(std::size_t id) {
         if(m_nodes[id].dropped++ == 0) {
            m_first_dropped.push_back(id);
         }
      }

      bool is_step(std::size_t id, std::string_view name, bool array_step) const noexcept {
         return m_nodes[id].array_step == array_step && same_name(m_nodes[id].name, name);
      }

      std::size_t child(std::string_view name, bool array_step) {
         const std::size_t parent = m_current;
         // Objects of one array share their members' order: the step after the last one
         // taken here is most likely the one that followed it before.
         const std::size_t last = m_nodes[parent].last_child;
         if(last != none) {
            const std::size_t guess = m_nodes[last].next_seen;
            if(guess != none && is_step(guess, name, array_step)) {
               m_nodes[parent].last_child = guess;
               return guess;
            }
         }
         const std::size_t id = find_or_add(parent, name, array_step);
         if(last != none) {
            m_nodes[last].next_seen = id;
         }
         m_nodes[parent].last_child = id;
         return id;
      }

      std::size_t find_or_add(std::size_t parent, std::string_view name, bool array_step) {
         if(m_nodes[parent].children <= linear_children) {
            for(std::size_t id = m_nodes[parent].first_child; id != none; id = m_nodes[id].next_sibling) {
               if(is_step(id, name, array_step)) {
                  return id;
               }
            }
         } else if(const std::size_t id = find_wide(parent, name, array_step); id != none) {
            return id;
         }

         const std::size_t id = m_nodes.size();
         PathNode& node = m_nodes.emplace_back();
         node.name = name;
         node.parent = parent;
         node.array_step = array_step;
         PathNode& above = m_nodes[parent];
         node.next_sibling = above.first_child;
         above.first_child = id;
         if(++above.children == linear_children + 1) {
            for(std::size_t sibling = id; sibling != none; sibling = m_nodes[sibling].next_sibling) {
               add_wide(sibling);
            }
         } else if(above.children > linear_children + 1) {
            add_wide(id);
         }
         m_ambiguous = m_ambiguous || (!array_step && ambiguous(name));
         return id;
      }

      bool m_enabled;
      bool m_ambiguous = false;
      std::size_t m_current = 0;
      std::vector<PathNode> m_nodes;
      std::vector<std::size_t> m_wide;  // see find_wide; empty, or a power of two long
      std::size_t m_wide_count = 0;
      std::deque<std::string> m_texts;  // built paths; a deque keeps them in place as it grows
      std::vector<std::size_t> m_first_seen;
      std::vector<std::size_t> m_first_dropped;
};

}  // namespace leastdata::detail
