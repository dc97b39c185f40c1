// The names seen in one JSON object, for the filter's duplicate_key check (DESIGN §2.3: a
// member the selection keeps may occur only once). Internal to the core.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_set>

namespace leastdata::detail {

/// Whether two member names are equal. Names are short, and `string_view ==` calls memcmp,
/// which in wasm's libc is a byte loop behind a call: eight bytes at a time, inline, is
/// cheaper on the filter's path (the path counter's steps, the duplicate-key check and the
/// predicate keys: a few times per member).
inline bool same_name(std::string_view a, std::string_view b) noexcept {
   if(a.size() != b.size()) {
      return false;
   }
   const char* p = a.data();
   const char* q = b.data();
   std::size_t n = a.size();
   for(; n >= 8; n -= 8, p += 8, q += 8) {
      std::uint64_t x;
      std::uint64_t y;
      std::memcpy(&x, p, 8);
      std::memcpy(&y, q, 8);
      if(x != y) {
         return false;
      }
   }
   for(; n != 0; --n, ++p, ++q) {
      if(*p != *q) {
         return false;
      }
   }
   return true;
}

// The names seen in one object, to reject a kept member that occurs twice. Objects
// are usually small: a linear scan, switching to a hash set for large ones.
class NameSet final {
   public:
      bool insert(std::string_view name) {
         if(m_set.empty()) {
            for(std::size_t i = 0; i != m_count; ++i) {
               if(same_name(m_small[i], name)) {
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
