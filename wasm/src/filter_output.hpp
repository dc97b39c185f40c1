// The filter's output buffer, and the bound that keeps every write inside it.
//
// The bound, stated once. Every byte the filter writes stands for an input byte it has
// already read — a copied token, or the `{ [ , : ] }` it corresponds to — or for the byte
// the reader is on (an opening bracket is written just before the reader steps over it).
// Two things may write more than they read, and each says so first:
//  - `null` for a dropped top-level scalar (put_null(): at most kSyntheticBytes), and
//  - redaction, whose replacement may be longer than the string it replaces
//    (reserve_growth() before writing it, settle_growth() after).
// Closing brackets are written only once their input bracket has been read, never while
// an error unwinds, so the bound holds on every path, for valid input and invalid alike.
// Hence `written <= read + 1 (at most the input size) + growth`, and a buffer of the input
// size + kSyntheticBytes + growth holds every write: sized once, grown only by
// reserve_growth(). Builds with LEASTDATA_CHECKED_WRITES (debug, sanitizer and fuzz
// builds) check the bound itself at every write — stricter than the buffer's end — and
// abort when it breaks, so a fuzzer finds a broken charge before it could ever overflow.
#pragma once

#include <leastdata/wipe.hpp>

#include "json_text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if !defined(NDEBUG) && !defined(LEASTDATA_CHECKED_WRITES)
   #define LEASTDATA_CHECKED_WRITES 1
#endif

namespace leastdata::detail {

class FilterOutput final {
   public:
      /// The most bytes written for no input byte: `null` for a dropped top-level scalar.
      static constexpr std::size_t kSyntheticBytes = 4;

      /// Writes into `buffer` (emptied and sized here) for the input [begin, end), whose
      /// reader's position is `read_position` (a reference to the reader's own cursor).
      FilterOutput(WipedBuffer& buffer, const std::uint8_t* begin, const std::uint8_t* end,
                   const std::uint8_t* const& read_position) :
            m_buffer(buffer), m_begin(begin), m_end(end), m_read(read_position) {
         m_buffer.clear();
         m_buffer.resize(input_size() + kSyntheticBytes);
         m_out = m_buffer.data();
      }

      FilterOutput(const FilterOutput&) = delete;
      FilterOutput& operator=(const FilterOutput&) = delete;

      std::size_t written() const noexcept { return static_cast<std::size_t>(m_out - m_buffer.data()); }

      void put(std::uint8_t byte) noexcept {
         check(1);
         *m_out++ = byte;
      }

      void put(const std::uint8_t* from, const std::uint8_t* to) noexcept {
         const auto n = static_cast<std::size_t>(to - from);
         check(n);
         copy_token(m_out, from, n);
         m_out += n;
      }

      /// `null` in place of a dropped top-level scalar: the one write with no input byte behind it.
      void put_null() noexcept {
         m_growth += kSyntheticBytes;
         put(reinterpret_cast<const std::uint8_t*>("null"), reinterpret_cast<const std::uint8_t*>("null") + 4);
      }

      /// One byte of text inside a JSON string, escaped (at most 6 bytes: \u00XX).
      void put_escaped(std::uint8_t byte) noexcept {
         check(6);
         json_text::put_escaped(m_out, byte);
      }

      /// Redaction: allows `worst` bytes more than the bound, for the replacement written next.
      void reserve_growth(std::size_t worst) {
         m_growth += worst;
         const std::size_t needed = input_size() + kSyntheticBytes + m_growth;
         if(needed > m_buffer.size()) {
            const std::size_t at = written();
            m_buffer.resize(std::max(needed, m_buffer.size() * 2));
            m_out = m_buffer.data() + at;
         }
      }

      /// After a replacement: the allowance shrinks to what the output really exceeds the
      /// input read so far by (the buffer keeps its size).
      void settle_growth() noexcept {
         const std::size_t at = written();
         const std::size_t read = read_bytes();
         m_growth = at > read ? at - read : 0;
      }

      /// Wipes what was written and empties the buffer (a failed call leaves nothing).
      void discard() noexcept {
         secure_zero(m_buffer.data(), written());
         m_buffer.clear();
         m_out = nullptr;
      }

      /// Cuts the buffer to what was written (a successful call).
      void finish() {
         m_buffer.resize(written());
         m_out = nullptr;
      }

   private:
      // Most tokens are short (names, numbers, punctuation). A memcpy of a length known only
      // at run time becomes wasm's memory.copy, which V8 runs as a call out of the module;
      // up to 32 bytes are moved inline instead, as two overlapping loads and stores.
      static void copy_token(std::uint8_t* to, const std::uint8_t* from, std::size_t n) noexcept {
         if(n > 32) {
            std::memcpy(to, from, n);
         } else if(n >= 16) {
            copy_overlapping<16>(to, from, n);
         } else if(n >= 8) {
            copy_overlapping<8>(to, from, n);
         } else if(n >= 4) {
            copy_overlapping<4>(to, from, n);
         } else if(n != 0) {
            to[0] = from[0];
            to[n / 2] = from[n / 2];
            to[n - 1] = from[n - 1];
         }
      }

      // The first and the last `Width` bytes of `n` (Width <= n <= 2 * Width).
      template <std::size_t Width>
      static void copy_overlapping(std::uint8_t* to, const std::uint8_t* from, std::size_t n) noexcept {
         std::uint8_t head[Width];
         std::uint8_t tail[Width];
         std::memcpy(head, from, Width);
         std::memcpy(tail, from + n - Width, Width);
         std::memcpy(to, head, Width);
         std::memcpy(to + n - Width, tail, Width);
      }

      std::size_t input_size() const noexcept { return static_cast<std::size_t>(m_end - m_begin); }
      std::size_t read_bytes() const noexcept { return static_cast<std::size_t>(m_read - m_begin); }

      // The bound of the header comment, checked before writing `n` more bytes.
      void check([[maybe_unused]] std::size_t n) const noexcept {
#if LEASTDATA_CHECKED_WRITES
         const std::size_t allowed = std::min(read_bytes() + 1, input_size()) + m_growth;
         if(written() + n > allowed || written() + n > m_buffer.size()) {
            std::fprintf(stderr,
                         "leastdata: filter output bound broken: %zu + %zu bytes written, %zu allowed "
                         "(%zu of %zu input bytes read, growth %zu, buffer %zu)\n",
                         written(), n, allowed, read_bytes(), input_size(), m_growth, m_buffer.size());
            std::abort();
         }
#endif
      }

      WipedBuffer& m_buffer;
      const std::uint8_t* const m_begin;
      const std::uint8_t* const m_end;
      const std::uint8_t* const& m_read;
      std::uint8_t* m_out = nullptr;
      std::size_t m_growth = 0;
};

}  // namespace leastdata::detail
