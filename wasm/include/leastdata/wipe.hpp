// Wiping: the "processed transiently" promise in code.
//
// `secure_zero` is a memset the optimiser may not remove. Every heap block freed through
// C++ `operator delete` is zeroed first (wipe.cpp replaces the global operators), so
// std::string / std::vector scratch never leaves copies behind. `WipedBuffer` is the
// growable byte buffer used for inputs and outputs: it zeroes on reallocation and on
// destruction. `stack_mark` tracks how much of the wasm shadow stack a call used.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace leastdata {

/// Zeroes `n` bytes at `p`; never optimised away.
void secure_zero(void* p, std::size_t n) noexcept;

/// An allocator that zeroes memory before giving it back to `Blocks` (the heap; a test
/// substitutes an allocator that looks at each block as it comes back).
template <typename T, typename Blocks = std::allocator<T>>
struct ZeroingAllocator {
      using value_type = T;
      ZeroingAllocator() noexcept = default;
      template <typename U>
      ZeroingAllocator(const ZeroingAllocator<U, Blocks>&) noexcept {}

      T* allocate(std::size_t n) { return blocks().allocate(n); }
      // `resize(n)` default-initialises rather than zero-fills: the filter sizes its output
      // for the whole input and writes only a prefix, and zeroing a megabyte it is about
      // to overwrite cost 2 % of a call. Nothing unwritten is ever read or handed out.
      template <typename U>
      void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
         ::new(static_cast<void*>(p)) U;
      }
      template <typename U, typename... Args>
      void construct(U* p, Args&&... args) {
         ::new(static_cast<void*>(p)) U(std::forward<Args>(args)...);
      }
      void deallocate(T* p, std::size_t n) noexcept {
         secure_zero(p, n * sizeof(T));
         blocks().deallocate(p, n);
      }
      template <typename U>
      bool operator==(const ZeroingAllocator<U, Blocks>&) const noexcept { return true; }
      template <typename U>
      bool operator!=(const ZeroingAllocator<U, Blocks>&) const noexcept { return false; }

   private:
      static auto blocks() noexcept { return typename std::allocator_traits<Blocks>::template rebind_alloc<T>(); }
};

using WipedBuffer = std::vector<std::uint8_t, ZeroingAllocator<std::uint8_t>>;

/// The deepest point of the wasm shadow stack reached since the last reset. Locals whose
/// address is taken (SSO strings, small buffers) live there, in linear memory, after a
/// call returns. The core's exports reset the mark before each call and, once the call
/// has returned and no wasm frame is live, zeroes from the mark up to the stack pointer
/// (js/ does the fill: zeroing from inside wasm would overwrite the zeroing code's own
/// frame). Recursive code calls `note()` once per level. Native builds keep the mark too;
/// nothing reads it there.
namespace stack_mark {
void reset() noexcept;
void note() noexcept;
std::uintptr_t lowest() noexcept;
}  // namespace stack_mark

}  // namespace leastdata
