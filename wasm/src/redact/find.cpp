// The detection driver: one left-to-right pass over the bytes that calls a detector's matcher
// only at that detector's cheap triggers, then resolves overlapping candidates and computes
// UTF-16 offsets.
//
// Triggers: a word start (a letter, digit or '_' not preceded by one) that is a digit
// (IPv4 when a '.' follows within 3, credit_card for 1–6, phone for '0'), a letter followed
// by a letter and two digits (iban), "eyJ" (jwt), a hex digit whose group ends in ':' (IPv6);
// and the punctuation '@' (email), '+' and '(' (phone), '=' (url_secret query values),
// ':' ("://" for url_secret userinfo, "::" for IPv6). Bytes inside words, spaces, other
// punctuation and non-ASCII text cost one table lookup.
//
// A detector is not re-triggered inside its own last match, so the pass stays linear even
// on adversarial input ("?token=?token=?token=..."). Candidates hold offsets only, never text.

#include "scan.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <set>
#include <vector>

namespace leastdata::redact {

namespace {

using detail::Span;
using detail::Text;

struct Candidate {
      Detector type;
      std::size_t start;
      std::size_t end;
};

enum : std::uint8_t {
   word_byte = 1,
   trigger_byte = 2,
};

constexpr std::array<std::uint8_t, 256> make_byte_classes() noexcept {
   std::array<std::uint8_t, 256> classes{};
   for(unsigned c = 0; c < 256; ++c) {
      if(detail::is_word(static_cast<std::uint8_t>(c))) {
         classes[c] = word_byte;
      }
   }
   for(char c : {'@', '+', '(', '=', ':'}) {
      classes[static_cast<std::uint8_t>(c)] = trigger_byte;
   }
   return classes;
}

constexpr std::array<std::uint8_t, 256> byte_classes = make_byte_classes();

/// Tie-break order among equally long candidates at the same start (lower wins).
constexpr std::uint8_t priority(Detector type) noexcept { return detector_info(type).rank; }

class Scanner final {
   public:
      Scanner(std::string_view text, DetectorSet detectors, std::vector<Candidate>& out) noexcept :
         m_text(text), m_detectors(detectors), m_out(out) {}

      void run() {
         const std::size_t size = m_text.size();
         const std::uint8_t* bytes = m_text.data();
         std::size_t i = 0;
         while(i < size) {
            const std::uint8_t c = bytes[i];
            const std::uint8_t cls = byte_classes[c];
            if(cls == word_byte) {
               at_word_start(i, c);
               ++i;
               while(i < size && byte_classes[bytes[i]] == word_byte) {
                  ++i;  // the rest of a word triggers nothing
               }
               continue;
            }
            if(cls == trigger_byte) {
               at_punctuation(i, c);
            }
            ++i;
         }
      }

   private:
      bool wants(Detector type, std::size_t pos) const noexcept {
         return m_detectors.contains(type) && pos >= m_until[static_cast<std::size_t>(type)];
      }

      /// An IPv6 address that starts with a group has a ':' after its first 1–4 hex digits.
      bool may_start_ipv6(std::size_t i) const noexcept {
         for(std::size_t n = 1; n <= 4; ++n) {
            const std::uint8_t next = m_text.at(i + n);
            if(next == ':') {
               return true;
            }
            if(!detail::is_hex(next)) {
               return false;
            }
         }
         return false;  // five hex digits: not a group
      }

      void add(Detector type, const std::optional<Span>& span) {
         if(!span || span->start < m_until[static_cast<std::size_t>(type)]) {
            return;
         }
         m_out.push_back(Candidate{type, span->start, span->end});
         m_until[static_cast<std::size_t>(type)] = span->end;
      }

      void at_word_start(std::size_t i, std::uint8_t c) {
         if(detail::is_digit(c)) {
            if(wants(Detector::ip, i)) {
               if(m_text.at(i + 1) == '.' || m_text.at(i + 2) == '.' || m_text.at(i + 3) == '.') {
                  add(Detector::ip, detail::match_ipv4(m_text, i));
               }
               if(may_start_ipv6(i)) {
                  add(Detector::ip, detail::match_ipv6(m_text, i));
               }
            }
            if(c >= '1' && c <= '6' && wants(Detector::credit_card, i)) {
               const std::size_t card_end = m_until[static_cast<std::size_t>(Detector::credit_card)];
               const bool after_card = card_end != 0 && card_end + 1 == i;
               add(Detector::credit_card, detail::match_credit_card(m_text, i, after_card));
            }
            if(c == '0' && wants(Detector::phone, i)) {
               add(Detector::phone, detail::match_phone(m_text, i));
            }
            return;
         }
         if(!detail::is_alpha(c)) {
            return;  // '_'
         }
         if(wants(Detector::iban, i) && detail::is_alpha(m_text.at(i + 1)) && detail::is_digit(m_text.at(i + 2)) &&
            detail::is_digit(m_text.at(i + 3))) {
            add(Detector::iban, detail::match_iban(m_text, i));
         }
         if(c == 'e' && m_text.at(i + 1) == 'y' && m_text.at(i + 2) == 'J' && wants(Detector::jwt, i)) {
            add(Detector::jwt, detail::match_jwt(m_text, i));
         }
         if(detail::is_hex(c) && wants(Detector::ip, i) && may_start_ipv6(i)) {
            add(Detector::ip, detail::match_ipv6(m_text, i));
         }
      }

      void at_punctuation(std::size_t i, std::uint8_t c) {
         switch(c) {
            case '@':
               if(wants(Detector::email, i)) {
                  add(Detector::email, detail::match_email(m_text, i));
               }
               break;
            case '+':
            case '(':
               if(wants(Detector::phone, i)) {
                  add(Detector::phone, detail::match_phone(m_text, i));
               }
               break;
            case '=':
               if(wants(Detector::url_secret, i)) {
                  add(Detector::url_secret, detail::match_query_secret(m_text, i));
               }
               break;
            case ':':
               if(m_text.at(i + 1) == '/') {
                  if(wants(Detector::url_secret, i)) {
                     add(Detector::url_secret, detail::match_userinfo(m_text, i));
                  }
               } else if(m_text.at(i + 1) == ':' && wants(Detector::ip, i)) {
                  add(Detector::ip, detail::match_ipv6(m_text, i));
               }
               break;
            default:
               break;
         }
      }

      Text m_text;
      DetectorSet m_detectors;
      std::vector<Candidate>& m_out;
      std::array<std::size_t, detector_count()> m_until{};
};

bool wins_over(const Candidate& a, const Candidate& b) noexcept {
   const std::size_t la = a.end - a.start;
   const std::size_t lb = b.end - b.start;
   if(la != lb) {
      return la > lb;
   }
   if(a.start != b.start) {
      return a.start < b.start;
   }
   return priority(a.type) < priority(b.type);
}

/// Picks from mutually overlapping candidates, longest first, every one that does not
/// overlap an earlier pick.
void resolve_cluster(std::vector<Candidate>::iterator first,
                     std::vector<Candidate>::iterator last,
                     std::vector<Candidate>& kept) {
   std::sort(first, last, wins_over);
   const auto by_start = [](const Candidate& a, const Candidate& b) { return a.start < b.start; };
   std::set<Candidate, decltype(by_start)> picked(by_start);
   for(auto it = first; it != last; ++it) {
      auto next = picked.lower_bound(*it);
      if(next != picked.end() && next->start < it->end) {
         continue;
      }
      if(next != picked.begin() && std::prev(next)->end > it->start) {
         continue;
      }
      picked.insert(next, *it);
   }
   kept.insert(kept.end(), picked.begin(), picked.end());
}

/// Sorted, non-overlapping winners among `candidates` (which it reorders).
std::vector<Candidate> resolve(std::vector<Candidate>& candidates) {
   std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return a.start != b.start ? a.start < b.start : a.end > b.end;
   });
   std::vector<Candidate> kept;
   kept.reserve(candidates.size());
   auto it = candidates.begin();
   while(it != candidates.end()) {
      auto cluster_end = std::next(it);
      std::size_t reach = it->end;
      while(cluster_end != candidates.end() && cluster_end->start < reach) {
         reach = std::max(reach, cluster_end->end);
         ++cluster_end;
      }
      if(cluster_end == std::next(it)) {
         kept.push_back(*it);
      } else {
         resolve_cluster(it, cluster_end, kept);
      }
      it = cluster_end;
   }
   return kept;
}

}  // namespace

std::vector<Finding> find(std::string_view utf8, DetectorSet detectors) {
   std::vector<Candidate> candidates;
   if(detectors.empty()) {
      return {};
   }
   Scanner(utf8, detectors, candidates).run();
   const std::vector<Candidate> kept = resolve(candidates);

   std::vector<Finding> findings;
   findings.reserve(kept.size());
   const auto* bytes = reinterpret_cast<const std::uint8_t*>(utf8.data());
   std::size_t byte_pos = 0;
   std::size_t unit_pos = 0;
   for(const Candidate& c : kept) {
      const std::size_t start_utf16 = unit_pos + detail::utf16_length(bytes + byte_pos, c.start - byte_pos);
      const std::size_t end_utf16 = start_utf16 + detail::utf16_length(bytes + c.start, c.end - c.start);
      findings.push_back(Finding{c.type, c.start, c.end, start_utf16, end_utf16});
      byte_pos = c.end;
      unit_pos = end_utf16;
   }
   return findings;
}

}  // namespace leastdata::redact
