// The wiping primitives (wipe.hpp). That freed blocks and the stack really end up
// zeroed is audited on the wasm memory itself (tests/js/memory-audit.test.js).
#include <leastdata/wipe.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace {

std::size_t g_blocks_returned = 0;
std::size_t g_blocks_with_data = 0;

// A heap that counts the blocks given back to it that still hold a non-zero byte.
template <typename T>
struct BlockInspector {
      using value_type = T;
      BlockInspector() noexcept = default;
      template <typename U>
      BlockInspector(const BlockInspector<U>&) noexcept {}

      T* allocate(std::size_t n) { return std::allocator<T>().allocate(n); }
      void deallocate(T* p, std::size_t n) noexcept {
         const auto* bytes = reinterpret_cast<const volatile std::uint8_t*>(p);
         ++g_blocks_returned;
         for(std::size_t i = 0; i != n * sizeof(T); ++i) {
            if(bytes[i] != 0) {
               ++g_blocks_with_data;
               break;
            }
         }
         std::allocator<T>().deallocate(p, n);
      }
};

std::uintptr_t recurse_and_note(int levels) {
   volatile std::uint8_t frame[64];  // a frame the compiler must keep
   frame[0] = static_cast<std::uint8_t>(levels);
   leastdata::stack_mark::note();
   const std::uintptr_t lowest = levels == 0 ? leastdata::stack_mark::lowest() : recurse_and_note(levels - 1);
   return lowest + (frame[0] & 0U);  // reads the frame after the call: no tail call
}

}  // namespace

TEST_CASE("secure_zero zeroes every byte it is given and nothing else", "[wipe]") {
   std::array<std::uint8_t, 64> bytes;
   bytes.fill(0xA5);
   leastdata::secure_zero(bytes.data() + 8, 40);
   CHECK(std::all_of(bytes.begin(), bytes.begin() + 8, [](auto b) { return b == 0xA5; }));
   CHECK(std::all_of(bytes.begin() + 8, bytes.begin() + 48, [](auto b) { return b == 0; }));
   CHECK(std::all_of(bytes.begin() + 48, bytes.end(), [](auto b) { return b == 0xA5; }));
   leastdata::secure_zero(nullptr, 10);  // tolerated
}

TEST_CASE("the stack mark follows the deepest noted frame and resets", "[wipe]") {
   leastdata::stack_mark::reset();
   const std::uintptr_t start = leastdata::stack_mark::lowest();
   const std::uintptr_t deep = recurse_and_note(16);
   CHECK(deep < start);
   CHECK(start - deep >= 16 * 2 * sizeof(void*));  // every level has a frame of its own
   CHECK(leastdata::stack_mark::lowest() == deep);
   leastdata::stack_mark::reset();
   CHECK(leastdata::stack_mark::lowest() > deep);
}

TEST_CASE("WipedBuffer zeroes every block it gives back, on growth and on destruction", "[wipe]") {
   // The same allocator as WipedBuffer, over a heap that checks each returned block
   // before freeing it (reading a block after it is freed would prove nothing).
   using Checked = std::vector<std::uint8_t, leastdata::ZeroingAllocator<std::uint8_t, BlockInspector<std::uint8_t>>>;
   static_assert(std::is_same_v<leastdata::WipedBuffer::allocator_type, leastdata::ZeroingAllocator<std::uint8_t>>);
   g_blocks_returned = 0;
   g_blocks_with_data = 0;
   {
      Checked buffer;
      for(int i = 0; i < 1000; ++i) {
         buffer.push_back(static_cast<std::uint8_t>(0xA5));  // growth gives back smaller blocks
      }
      REQUIRE(buffer.size() == 1000);
      CHECK(g_blocks_returned > 0);
   }
   CHECK(g_blocks_returned > 1);  // the growth blocks and the last one, at destruction
   CHECK(g_blocks_with_data == 0);
}
