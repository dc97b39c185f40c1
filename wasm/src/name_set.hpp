// The names seen in one JSON object, for the filter's duplicate_key check (DESIGN §2.3: a
// member the selection keeps may occur only once). Internal to the core.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_set>

namespace leastdata::detail {

/// Whether two member names (or other short byte strings) are equal. Names are short, and
/// `string_view ==` calls memcmp, which in wasm's libc is a byte loop behind a call: eight
/// bytes at a time, inline, is cheaper on the filter's path (the path counter's steps, the
/// duplicate-key check and the predicate keys: a few times per member; the walker's
/// literals).
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
      // User-provided, so that `NameSet{}` too leaves m_small uninitialised (value
      // initialisation zeroes a class whose constructor the compiler writes).
      NameSet() {}

      bool insert(std::string_view name) {
         if(m_set.empty()) {
            for(std::size_t i = 0; i != m_count; ++i) {
               if(same_name(m_small[i].view(), name)) {
                  return false;
               }
            }
            if(m_count < std::size(m_small)) {
               m_small[m_count++] = {name.data(), name.size()};
               return true;
            }
            for(const SmallName& seen : m_small) {
               m_set.insert(seen.view());
            }
         }
         return m_set.insert(name).second;
      }

   private:
      // A string_view without its constructor, so that the array is left uninitialised
      // (only the first m_count are read): the filter makes a NameSet per object it keeps,
      // and zeroing 128 bytes each time is a memory.fill, which V8 runs as a call out of
      // the module.
      struct SmallName {
            const char* data;
            std::size_t size;
            std::string_view view() const noexcept { return {data, size}; }
      };
      SmallName m_small[16];
      std::size_t m_count = 0;
      std::unordered_set<std::string_view> m_set;
};

}  // namespace leastdata::detail
