// Builds ledger paths (`tickets[].custom_fields[].value`) while the filter descends and
// counts kept scalars, and removed members and elements, per path. Disabled (every call a no-op) when no ledger is wanted,
// so the hot path pays nothing for it.
//
// Paths form a trie: each step down finds (or adds) a child of the current node by its
// name, and counting is an increment on the current node. A kept scalar costs no string
// building and no hashing of its whole path; a step compares one name against the few
// children seen there before (a hash index takes over for nodes with many children, such
// as objects keyed by IDs).
#pragma once

#include <leastdata/ledger.hpp>

#include <cstdint>
#include <deque>
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
            m_nodes.emplace_back();  // the root: the empty path
         }
      }

      /// Steps into member `name`; returns the mark to `pop` back to.
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
            m_current = child("[]", true);
         }
         return mark;
      }

      void pop(std::size_t mark) noexcept { m_current = mark; }

      /// The path as it stands (empty when disabled).
      std::string_view path() const noexcept {
         return m_enabled ? std::string_view(m_nodes[m_current].path) : std::string_view();
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

      /// Hands the counts to `ledger` in first-seen order, with their totals. Different
      /// steps can spell the same path (a member named "a.b" and a member b of a; a member
      /// named "" and its parent): paths are text, so equal texts are one entry.
      void fill(Ledger& ledger) const {
         ledger.fields_kept = merge_by_path(m_first_seen, &Node::count, ledger.kept_paths);
         ledger.fields_dropped = merge_by_path(m_first_dropped, &Node::dropped, ledger.dropped_paths);
      }

   private:
      // Children are found by a linear scan up to this many, then through `index`.
      static constexpr std::size_t linear_children = 16;

      struct Node {
            std::string path;
            std::uint64_t count = 0;
            std::uint64_t dropped = 0;
            // (step name, node id); the name views the tail of the child's `path`, which a
            // deque never moves.
            std::vector<std::pair<std::string_view, std::size_t>> children;
            std::unordered_map<std::string_view, std::size_t> index;
      };

      // Writes (path, count) for `ids` in order, equal paths summed at their first place;
      // returns the total.
      std::uint64_t merge_by_path(const std::vector<std::size_t>& ids, std::uint64_t Node::*counter,
                                  std::vector<std::pair<std::string, std::uint64_t>>& out) const {
         out.clear();
         std::unordered_map<std::string_view, std::size_t> place;
         std::uint64_t total = 0;
         for(const std::size_t id : ids) {
            const Node& node = m_nodes[id];
            const std::uint64_t count = node.*counter;
            total += count;
            const auto [it, added] = place.emplace(node.path, out.size());
            if(added) {
               out.emplace_back(node.path, count);
            } else {
               out[it->second].second += count;
            }
         }
         return total;
      }

      void count_dropped(std::size_t id) {
         if(m_nodes[id].dropped++ == 0) {
            m_first_dropped.push_back(id);
         }
      }

      std::size_t child(std::string_view name, bool array_step) {
         Node& parent = m_nodes[m_current];
         if(parent.index.empty()) {
            for(const auto& [step, id] : parent.children) {
               if(step == name) {
                  return id;
               }
            }
         } else if(const auto it = parent.index.find(name); it != parent.index.end()) {
            return it->second;
         }

         // Appended to `m_nodes` first: `parent` stays valid (deque), the new node's path
         // is built in place and the step name views its tail.
         const std::size_t id = m_nodes.size();
         Node& node = m_nodes.emplace_back();
         node.path.reserve(parent.path.size() + 1 + name.size());
         node.path.append(parent.path);
         if(!array_step && !parent.path.empty()) {
            node.path.push_back('.');
         }
         node.path.append(name);
         const std::string_view step = std::string_view(node.path).substr(node.path.size() - name.size());
         parent.children.emplace_back(step, id);
         if(!parent.index.empty()) {
            parent.index.emplace(step, id);
         } else if(parent.children.size() > linear_children) {
            parent.index.insert(parent.children.begin(), parent.children.end());
         }
         return id;
      }

      bool m_enabled;
      std::size_t m_current = 0;
      std::deque<Node> m_nodes;
      std::vector<std::size_t> m_first_seen;
      std::vector<std::size_t> m_first_dropped;
};

}  // namespace leastdata::detail
