// Finds the depth-1 and depth-2 value spans of the filter's output, and long digit runs
// (see output_spans.hpp). The output is the filter's own compact JSON, so the scan only
// tells strings, containers and scalars apart, with the lexer's unchecked skippers.
#include <leastdata/output_spans.hpp>

#include "json_text.hpp"

#if defined(__wasm_simd128__)
   #include <wasm_simd128.h>
#endif

namespace leastdata {

namespace {

// Digits in a number JSON.parse may round: 2^53 = 9007199254740992 has 16.
constexpr std::uint32_t long_run = 16;

class SpanFinder final {
   public:
      SpanFinder(std::span<const std::uint8_t> json, std::vector<OutputSpan>& out) :
            m_begin(json.data()), m_end(json.data() + json.size()), m_out(out) {}

      bool run() {
         if(m_begin == m_end) {
            return false;
         }
         const std::uint8_t* p = (*m_begin == '{' || *m_begin == '[') ? container(m_begin, 0) : skip_value(m_begin);
         return p == m_end;
      }

   private:
      std::uint32_t offset(const std::uint8_t* p) const { return static_cast<std::uint32_t>(p - m_begin); }

      // The byte after the value at `p`, or null: a string or a container is skipped
      // whole, a scalar runs up to the next ',', '}' or ']'.
      const std::uint8_t* skip_value(const std::uint8_t* p) const {
         if(*p == '"') {
            const std::uint8_t* close = json_text::find_string_end(p + 1, m_end);
            return close == nullptr ? nullptr : close + 1;
         }
         if(*p == '{' || *p == '[') {
            return json_text::skip_container_unchecked(p, m_end);
         }
         while(p < m_end && *p != ',' && *p != '}' && *p != ']') {
            ++p;
         }
         return p;
      }

      // Records the members or elements of the container opened at `p` (at `depth`) when
      // they lie at depth 1 or 2; returns the byte after the container, or null.
      const std::uint8_t* container(const std::uint8_t* p, std::uint32_t depth) {
         const bool object = *p == '{';
         const std::uint8_t close = object ? '}' : ']';
         if(++p < m_end && *p == close) {
            return p + 1;
         }
         while(p < m_end) {
            const std::uint8_t* member = p;
            if(object) {
               if(*p != '"' || (p = skip_value(p)) == nullptr || p >= m_end || *p != ':') {
                  return nullptr;
               }
               ++p;
            }
            if(p >= m_end) {
               return nullptr;
            }
            const std::size_t at = m_out.size();
            m_out.push_back({depth + 1, offset(member), offset(p), 0});
            p = (depth + 1 < 2 && (*p == '{' || *p == '[')) ? container(p, depth + 1) : skip_value(p);
            if(p == nullptr || p >= m_end) {
               return nullptr;
            }
            m_out[at].value_end = offset(p);
            if(*p == close) {
               return p + 1;
            }
            if(*p != ',') {
               return nullptr;
            }
            ++p;
         }
         return nullptr;
      }

      const std::uint8_t* m_begin;
      const std::uint8_t* m_end;
      std::vector<OutputSpan>& m_out;
};

bool is_digit(std::uint8_t c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

bool find_output_spans(std::span<const std::uint8_t> json, std::vector<OutputSpan>& out) {
   out.clear();
   return SpanFinder(json, out).run();
}

bool has_long_digit_run(std::span<const std::uint8_t> json) noexcept {
   const std::uint8_t* p = json.data();
   const std::uint8_t* const end = p + json.size();
   std::uint32_t run = 0;  // digits just before p
#if defined(__wasm_simd128__)
   // Sixteen bytes at a time: a block of all digits extends the run; otherwise the run
   // ends at the block's first non-digit and restarts after its last one (a run wholly
   // inside a block is shorter than sixteen).
   const v128_t zero = wasm_i8x16_splat('0');
   const v128_t nine = wasm_i8x16_splat('9');
   while(end - p >= 16) {
      const v128_t v = wasm_v128_load(p);
      const auto digits = static_cast<std::uint32_t>(
         wasm_i8x16_bitmask(wasm_v128_and(wasm_u8x16_ge(v, zero), wasm_u8x16_le(v, nine))));
      if(digits == 0xFFFF) {
         run += 16;
      } else {
         if(run + static_cast<std::uint32_t>(__builtin_ctz(~digits)) >= long_run) {
            return true;
         }
         run = static_cast<std::uint32_t>(__builtin_clz(~(digits << 16)));  // digits at the block's end
      }
      if(run >= long_run) {
         return true;
      }
      p += 16;
   }
#endif
   for(; p < end; ++p) {
      run = is_digit(*p) ? run + 1 : 0;
      if(run >= long_run) {
         return true;
      }
   }
   return false;
}

}  // namespace leastdata
