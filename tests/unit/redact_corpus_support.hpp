// Building blocks of the generated redaction corpus (redact_corpus.cpp): a fully specified
// PRNG, so every platform builds the same texts, and the digit, letter, check-digit and
// grouping helpers the entity makers share.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace redact_test {

/// SplitMix64: small, fast, and fully specified, so the corpus is the same everywhere.
class Rng final {
   public:
      explicit Rng(std::uint64_t seed) : m_state(seed) {}

      std::uint64_t next() {
         std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
         z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
         z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
         return z ^ (z >> 31);
      }

      /// Uniform in [0, n).
      std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
      /// Uniform in [lo, hi].
      unsigned between(unsigned lo, unsigned hi) { return lo + static_cast<unsigned>(below(hi - lo + 1)); }
      bool chance(unsigned percent) { return below(100) < percent; }

      template <typename T, std::size_t N>
      const T& pick(const std::array<T, N>& items) {
         return items[below(N)];
      }

   private:
      std::uint64_t m_state;
};

inline std::string digits(Rng& rng, std::size_t count, bool nonzero_first = false) {
   std::string out;
   for(std::size_t i = 0; i < count; ++i) {
      const unsigned lo = (i == 0 && nonzero_first) ? 1 : 0;
      out.push_back(static_cast<char>('0' + rng.between(lo, 9)));
   }
   return out;
}

inline std::string letters(Rng& rng, std::size_t count, bool upper = false) {
   std::string out;
   for(std::size_t i = 0; i < count; ++i) {
      out.push_back(static_cast<char>((upper ? 'A' : 'a') + rng.below(26)));
   }
   return out;
}

inline std::string base64url(Rng& rng, std::size_t count) {
   static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
   std::string out;
   for(std::size_t i = 0; i < count; ++i) {
      out.push_back(alphabet[rng.below(alphabet.size())]);
   }
   return out;
}

inline std::string base64url_encode(std::string_view bytes) {
   static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
   std::string out;
   std::size_t i = 0;
   for(; i + 3 <= bytes.size(); i += 3) {
      const auto v = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                     (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                     static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
      for(int shift = 18; shift >= 0; shift -= 6) {
         out.push_back(alphabet[(v >> shift) & 63]);
      }
   }
   const std::size_t rest = bytes.size() - i;
   if(rest > 0) {
      unsigned v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
      if(rest == 2) {
         v |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
      }
      out.push_back(alphabet[(v >> 18) & 63]);
      out.push_back(alphabet[(v >> 12) & 63]);
      if(rest == 2) {
         out.push_back(alphabet[(v >> 6) & 63]);
      }
   }
   return out;
}

inline unsigned luhn_check_digit(std::string_view payload) {
   unsigned sum = 0;
   bool twice = true;  // the check digit will take the rightmost place
   for(std::size_t i = payload.size(); i > 0; --i) {
      unsigned d = static_cast<unsigned>(payload[i - 1] - '0');
      if(twice) {
         d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      twice = !twice;
   }
   return (10 - sum % 10) % 10;
}

inline std::string group(std::string_view number, std::initializer_list<std::size_t> sizes, char separator) {
   std::string out;
   std::size_t at = 0;
   for(std::size_t size : sizes) {
      if(at >= number.size()) {
         break;
      }
      if(at > 0) {
         out.push_back(separator);
      }
      out.append(number.substr(at, size));
      at += size;
   }
   return out;
}

inline std::string group4(std::string_view number, char separator) {
   std::string out;
   for(std::size_t at = 0; at < number.size(); at += 4) {
      if(at > 0) {
         out.push_back(separator);
      }
      out.append(number.substr(at, 4));
   }
   return out;
}

/// ISO 7064 MOD 97-10 remainder of an IBAN rearranged for the check (letters as 10..35).
inline unsigned mod97(std::string_view rearranged) {
   unsigned r = 0;
   for(char c : rearranged) {
      if(c >= '0' && c <= '9') {
         r = (r * 10 + static_cast<unsigned>(c - '0')) % 97;
      } else {
         r = (r * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
      }
   }
   return r;
}

/// Concatenation in a fixed order. `a + f(rng) + g(rng)` leaves the order of the two calls
/// unspecified (GCC and Clang differ), which would make the corpus compiler-dependent; the
/// operands of `<<` are evaluated left to right since C++17.
class Cat final {
   public:
      Cat& operator<<(std::string_view part) {
         m_text.append(part);
         return *this;
      }
      Cat& operator<<(unsigned number) { return *this << std::string_view(std::to_string(number)); }
      std::string str() const { return m_text; }

   private:
      std::string m_text;
};

}  // namespace redact_test
