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
// (objects keyed by IDs).
#pragma once

#include <leastdata/ledger.hpp>

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
      std::size_t push_member(std::string_view name) {
         const std::size_t mark = m_current;
         if(m_enabled) {
            m_current = child(name, false);
         }
         return mark;
      }

      /// Steps into array elements (`[]`).
      std::size_t push_array() {
         const std::size_t mark = m_current;
         if(m_enabled) {
            m_current = child(array_step_name, true);
         }
         return mark;
      }

      void pop(std::size_t mark) noexcept { m_current = mark; }

      /// The path as it stands (empty when disabled). Valid until the counter is destroyed.
      std::string_view path() {
         if(!m_enabled) {
            return {};
         }
         Node& node = m_nodes[m_current];
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

      /// One more member `name` removed below the current path (its subtree counts once).
      void count_dropped_member(std::string_view name) {
         if(m_enabled) {
            count_dropped(child(name, false));
         }
      }

      /// One more element removed from the array at the current path (`tickets[]`), or the
      /// top-level value replaced by `null` (the empty path).
      void count_dropped_here() {
         if(m_enabled) {
            count_dropped(m_current);
         }
      }

      /// Hands the counts to `ledger` in first-seen order, with their totals.
      void fill(Ledger& ledger) const {
         ledger.fields_kept = write_counts(m_first_seen, &Node::count, ledger.kept_paths);
         ledger.fields_dropped = write_counts(m_first_dropped, &Node::dropped, ledger.dropped_paths);
      }

   private:
      static constexpr std::size_t none = static_cast<std::size_t>(-1);
      static constexpr std::size_t no_text = none;
      static constexpr std::string_view array_step_name = "[]";
      // Children are found by walking the sibling list up to this many, then through `m_wide`.
      static constexpr std::uint32_t linear_children = 16;

      struct Node {
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
      };

      struct StepKey {
            std::size_t parent;
            std::string_view name;
            bool array_step;
            bool operator==(const StepKey&) const = default;
      };
      struct StepKeyHash {
            std::size_t operator()(const StepKey& key) const noexcept {
               // Combined as boost::hash_combine does, in size_t (32 bits in wasm).
               std::size_t hash = std::hash<std::string_view>{}(key.name) ^ static_cast<std::size_t>(key.array_step);
               hash ^= key.parent + static_cast<std::size_t>(0x9E3779B9u) + (hash << 6) + (hash >> 2);
               return hash;
            }
      };

      /// Whether a step name makes path texts ambiguous: different steps can then spell the
      /// same text (a member named "a.b" and a member b of a; a member named "" and its
      /// parent; a member named "[]" and an array step).
      static bool ambiguous(std::string_view name) noexcept {
         return name.empty() || name.find_first_of(".[]") != std::string_view::npos;
      }

      void append_path(std::size_t id, std::string& out) const {
         // The steps from the root down; depth is bounded by the walker's max_depth.
         std::vector<std::size_t> steps;
         for(std::size_t at = id; at != 0; at = m_nodes[at].parent) {
            steps.push_back(at);
         }
         for(auto it = steps.rbegin(); it != steps.rend(); ++it) {
            const Node& node = m_nodes[*it];
            if(!node.array_step && !out.empty()) {
               out.push_back('.');
            }
            out.append(node.name);
         }
      }

      // Writes (path, count) for `ids` in order and returns the total. Paths are text, so
      // when a name made texts ambiguous, equal texts are one entry, summed at its first place.
      std::uint64_t write_counts(const std::vector<std::size_t>& ids, std::uint64_t Node::*counter,
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
         return m_nodes[id].name == name && m_nodes[id].array_step == array_step;
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
         } else if(const auto it = m_wide.find(StepKey{parent, name, array_step}); it != m_wide.end()) {
            return it->second;
         }

         const std::size_t id = m_nodes.size();
         Node& node = m_nodes.emplace_back();
         node.name = name;
         node.parent = parent;
         node.array_step = array_step;
         Node& above = m_nodes[parent];
         node.next_sibling = above.first_child;
         above.first_child = id;
         if(++above.children == linear_children + 1) {
            for(std::size_t sibling = id; sibling != none; sibling = m_nodes[sibling].next_sibling) {
               m_wide.emplace(StepKey{parent, m_nodes[sibling].name, m_nodes[sibling].array_step}, sibling);
            }
         } else if(above.children > linear_children + 1) {
            m_wide.emplace(StepKey{parent, name, array_step}, id);
         }
         m_ambiguous = m_ambiguous || (!array_step && ambiguous(name));
         return id;
      }

      bool m_enabled;
      bool m_ambiguous = false;
      std::size_t m_current = 0;
      std::vector<Node> m_nodes;
      std::unordered_map<StepKey, std::size_t, StepKeyHash> m_wide;
      std::deque<std::string> m_texts;  // built paths; a deque keeps them in place as it grows
      std::vector<std::size_t> m_first_seen;
      std::vector<std::size_t> m_first_dropped;
};

}  // namespace leastdata::detail
