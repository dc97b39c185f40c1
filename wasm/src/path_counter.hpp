// Builds ledger paths (`tickets[].custom_fields[].value`) while the filter descends and
// counts kept scalars per path. Disabled (every call a no-op) when no ledger is wanted,
// so the hot path pays nothing for it.
#pragma once

#include <leastdata/ledger.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace leastdata::detail {

class PathCounter final {
   public:
      explicit PathCounter(bool enabled) : m_enabled(enabled) {}

      /// Appends a member step; returns the mark to `pop` back to.
      std::size_t push_member(std::string_view name) {
         const std::size_t mark = m_path.size();
         if(m_enabled) {
            if(!m_path.empty()) {
               m_path.push_back('.');
            }
            m_path.append(name);
         }
         return mark;
      }

      /// Appends an array step (`[]`).
      std::size_t push_array() {
         const std::size_t mark = m_path.size();
         if(m_enabled) {
            m_path.append("[]");
         }
         return mark;
      }

      void pop(std::size_t mark) { m_path.resize(mark); }

      /// The path as it stands (empty when disabled).
      std::string_view path() const noexcept { return m_path; }

      /// One more kept scalar at the current path.
      void count() {
         if(!m_enabled) {
            return;
         }
         auto it = m_index.find(m_path);
         if(it == m_index.end()) {
            const std::string& stored = m_names.emplace_back(m_path);
            it = m_index.emplace(stored, m_counts.size()).first;
            m_counts.push_back(0);
         }
         ++m_counts[it->second];
      }

      /// Hands the counts to `ledger` in first-seen order, with their total.
      void move_into(Ledger& ledger) {
         ledger.kept_paths.clear();
         ledger.fields_kept = 0;
         for(std::size_t i = 0; i != m_counts.size(); ++i) {
            ledger.kept_paths.emplace_back(std::move(m_names[i]), m_counts[i]);
            ledger.fields_kept += m_counts[i];
         }
      }

   private:
      bool m_enabled;
      std::string m_path;
      std::deque<std::string> m_names;  // stable storage the index keys point into
      std::unordered_map<std::string_view, std::size_t> m_index;
      std::vector<std::uint64_t> m_counts;
};

}  // namespace leastdata::detail
