// Zeroing primitives and the global allocation hooks that make every freed C++ heap
// block zero (see wipe.hpp).
#include <leastdata/wipe.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__EMSCRIPTEN__)
#include <emscripten/stack.h>
#endif

#if defined(__GLIBC__) || defined(__EMSCRIPTEN__)
#include <malloc.h>
#endif

namespace leastdata {

void secure_zero(void* p, std::size_t n) noexcept {
   if(p == nullptr || n == 0) {
      return;
   }
   std::memset(p, 0, n);
   // The empty asm with a memory clobber tells the compiler the zeroed bytes may be
   // read, so the memset above cannot be removed as a dead store.
   __asm__ __volatile__("" : : "r"(p) : "memory");
}

namespace stack_mark {

namespace {
std::uintptr_t g_lowest = UINTPTR_MAX;

std::uintptr_t current() noexcept {
#if defined(__EMSCRIPTEN__)
   return emscripten_stack_get_current();
#else
   return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
#endif
}
}  // namespace

void reset() noexcept { g_lowest = current(); }

void note() noexcept {
   const std::uintptr_t here = current();
   if(here < g_lowest) {
      g_lowest = here;
   }
}

std::uintptr_t lowest() noexcept { return g_lowest; }

}  // namespace stack_mark

}  // namespace leastdata

// Replacing the global allocation functions zeroes every C++ heap block as it is freed:
// std::string and std::vector scratch that held payload bytes is wiped without each
// call site having to remember.
namespace {

void zero_and_free(void* p) noexcept {
   if(p == nullptr) {
      return;
   }
   leastdata::secure_zero(p, malloc_usable_size(p));
   std::free(p);
}

void* checked_malloc(std::size_t n) {
   void* p = std::malloc(n == 0 ? 1 : n);
   if(p == nullptr) {
      throw std::bad_alloc();
   }
   return p;
}

void* checked_aligned(std::size_t n, std::align_val_t align) {
   void* p = nullptr;
   const std::size_t alignment = std::max(static_cast<std::size_t>(align), sizeof(void*));
   if(posix_memalign(&p, alignment, n == 0 ? 1 : n) != 0) {
      throw std::bad_alloc();
   }
   return p;
}

}  // namespace

void* operator new(std::size_t n) { return checked_malloc(n); }
void* operator new[](std::size_t n) { return checked_malloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n == 0 ? 1 : n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n == 0 ? 1 : n); }
void* operator new(std::size_t n, std::align_val_t a) { return checked_aligned(n, a); }
void* operator new[](std::size_t n, std::align_val_t a) { return checked_aligned(n, a); }

void operator delete(void* p) noexcept { zero_and_free(p); }
void operator delete[](void* p) noexcept { zero_and_free(p); }
void operator delete(void* p, std::size_t) noexcept { zero_and_free(p); }
void operator delete[](void* p, std::size_t) noexcept { zero_and_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { zero_and_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { zero_and_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { zero_and_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { zero_and_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { zero_and_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { zero_and_free(p); }
