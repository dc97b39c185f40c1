// The names seen in one JSON object, for the filter's duplicate_key check (DESIGN §2.3: a
// member the selection keeps may occur only once). Internal to the core.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <unordered_set>

namespace leastdata::detail {

// The names seen in one object, to reject a kept member that occurs twice. Objects
// are usually small: a linear scan, switching to a hash set for large ones.
class NameSet final {
   public:
      bool insert(std::string_view name) {
         if(m_set.empty()) {
            for(std::size_t i = 0; i != m_count; ++i) {
               if(m_small[i] == name) {
                  return false;
               }
            }
            if(m_count < m_small.size()) {
               m_small[m_count++] = name;
               return true;
            }
            m_set.insert(m_small.begin(), m_small.end());
         }
         return m_set.insert(name).second;
      }

   private:
      std::array<std::string_view, 16> m_small{};
      std::size_t m_count = 0;
      std::unordered_set<std::string_view> m_set;
};

}  // namespace leastdata::detail
