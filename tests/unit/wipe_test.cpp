// The wiping primitives (wipe.hpp). That freed blocks and the stack really end up
// zeroed is audited on the wasm memory itself (tests/js/memory-audit.test.js).
#include <leastdata/wipe.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>

namespace {

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

TEST_CASE("WipedBuffer behaves as a byte vector", "[wipe]") {
   leastdata::WipedBuffer buffer;
   for(int i = 0; i < 1000; ++i) {
      buffer.push_back(static_cast<std::uint8_t>(i));
   }
   REQUIRE(buffer.size() == 1000);
   CHECK(buffer[999] == static_cast<std::uint8_t>(999));
}
