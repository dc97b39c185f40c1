// A generated, labelled corpus for the redaction detectors: a deterministic generator (fixed
// seed, its own PRNG, so every platform builds the same texts) writes support-ticket-like
// sentences with known entities of every type — in varied formats and surrounded by
// punctuation, CJK text and emoji — mixed with hard negatives (dates, times, versions, order
// numbers, prices, Luhn-failing card numbers, IBANs with a wrong checksum, out-of-range quads).
// Every finding must match a labelled span exactly (type, start, end) to count; the test
// reports precision and recall and requires both to be at least 0.99.

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;
using leastdata::redact::Finding;

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

std::string digits(Rng& rng, std::size_t count, bool nonzero_first = false) {
   std::string out;
   for(std::size_t i = 0; i < count; ++i) {
      const unsigned lo = (i == 0 && nonzero_first) ? 1 : 0;
      out.push_back(static_cast<char>('0' + rng.between(lo, 9)));
   }
   return out;
}

std::string letters(Rng& rng, std::size_t count, bool upper = false) {
   std::string out;
   for(std::size_t i = 0; i < count; ++i) {
      out.push_back(static_cast<char>((upper ? 'A' : 'a') + rng.below(26)));
   }
   return out;
}

std::string base64url(Rng& rng, std::size_t count) {
   static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
   std::string out;
   for(std::size_t i = 0; i < count; ++i) {
      out.push_back(alphabet[rng.below(alphabet.size())]);
   }
   return out;
}

std::string base64url_encode(std::string_view bytes) {
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

unsigned luhn_check_digit(std::string_view payload) {
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

std::string group(std::string_view number, std::initializer_list<std::size_t> sizes, char separator) {
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

std::string group4(std::string_view number, char separator) {
   std::string out;
   for(std::size_t at = 0; at < number.size(); at += 4) {
      if(at > 0) {
         out.push_back(separator);
      }
      out.append(number.substr(at, 4));
   }
   return out;
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

// ---- entities ------------------------------------------------------------------------

std::string make_email(Rng& rng) {
   static constexpr std::array<std::string_view, 10> first = {"john", "jane", "anna", "li", "mohammed",
                                                              "sofia", "lukas", "emma", "noah", "zoe"};
   static constexpr std::array<std::string_view, 8> last = {"doe", "smith", "mueller", "wang", "garcia",
                                                            "rossi", "dubois", "kowalski"};
   static constexpr std::array<std::string_view, 8> domains = {"example", "mail", "acme-corp", "support",
                                                               "company", "web", "post", "inbox"};
   static constexpr std::array<std::string_view, 9> tlds = {"com", "de", "org", "net", "io", "co.uk", "fr", "ch",
                                                            "museum"};
   Cat local;
   switch(rng.below(5)) {
      case 0:
         local << rng.pick(first) << "." << rng.pick(last);
         break;
      case 1:
         local << rng.pick(first) << "_" << rng.pick(last) << digits(rng, 2);
         break;
      case 2:
         local << rng.pick(first) << "+" << letters(rng, 4);
         break;
      case 3:
         local << rng.pick(first).substr(0, 1) << rng.pick(last);
         break;
      default:
         local << letters(rng, rng.between(3, 10)) << digits(rng, rng.between(0, 3));
         break;
   }
   std::string address = local.str();
   if(rng.chance(15)) {
      address[0] = static_cast<char>(address[0] - 'a' + 'A');
   }
   Cat domain;
   if(rng.chance(30)) {
      domain << letters(rng, 3) << ".";
   }
   domain << rng.pick(domains) << "." << rng.pick(tlds);
   return (Cat() << address << "@" << domain.str()).str();
}

std::string make_phone(Rng& rng) {
   Cat phone;
   switch(rng.below(12)) {
      case 0:
         phone << "+49 " << digits(rng, rng.between(2, 3), true) << " " << digits(rng, rng.between(6, 8));
         break;
      case 1:
         phone << "+49 (0)" << digits(rng, 2, true) << " " << digits(rng, 7);
         break;
      case 2:
         phone << "0" << digits(rng, rng.between(2, 4), true) << "/" << digits(rng, rng.between(5, 7));
         break;
      case 3:
         phone << "0" << digits(rng, 3, true) << "-" << digits(rng, 7);
         break;
      case 4:
         phone << "+1 (" << digits(rng, 3, true) << ") " << digits(rng, 3, true) << "-" << digits(rng, 4);
         break;
      case 5:
         phone << "(" << digits(rng, 3, true) << ") " << digits(rng, 3, true) << "-" << digits(rng, 4);
         break;
      case 6:
         phone << "+1-" << digits(rng, 3, true) << "-" << digits(rng, 3, true) << "-" << digits(rng, 4);
         break;
      case 7:
         phone << "+44 20 " << digits(rng, 4) << " " << digits(rng, 4);
         break;
      case 8:
         phone << "07" << digits(rng, 3) << " " << digits(rng, 6);
         break;
      case 9:
         phone << "+33 " << digits(rng, 1, true) << " " << digits(rng, 2) << " " << digits(rng, 2) << " "
               << digits(rng, 2) << " " << digits(rng, 2);
         break;
      case 10:
         phone << "0" << digits(rng, 1, true) << "." << digits(rng, 2) << "." << digits(rng, 2) << "."
               << digits(rng, 2) << "." << digits(rng, 2);
         break;
      default:
         phone << "+41 44 " << digits(rng, 3) << " " << digits(rng, 2) << " " << digits(rng, 2);
         break;
   }
   return phone.str();
}

std::string card_number(Rng& rng, std::size_t& network) {
   network = rng.below(8);
   Cat payload;
   switch(network) {
      case 0:  // Visa 16
         payload << "4" << digits(rng, 14);
         break;
      case 1:  // Visa 13
         payload << "4" << digits(rng, 11);
         break;
      case 2:  // Mastercard 51-55
         payload << "5" << rng.between(1, 5) << digits(rng, 13);
         break;
      case 3:  // Mastercard 2-series
         payload << rng.between(2221, 2720) << digits(rng, 11);
         break;
      case 4:  // Amex
         payload << (rng.chance(50) ? "34" : "37") << digits(rng, 12);
         break;
      case 5:  // Discover
         payload << "6011" << digits(rng, 11);
         break;
      case 6:  // JCB
         payload << rng.between(3528, 3589) << digits(rng, 11);
         break;
      default:  // Diners 14
         payload << "36" << digits(rng, 11);
         break;
   }
   const std::string number = payload.str();
   return (Cat() << number << luhn_check_digit(number)).str();
}

std::string format_card(Rng& rng, const std::string& number, std::size_t network) {
   const unsigned style = static_cast<unsigned>(rng.below(3));
   if(style == 0) {
      return number;
   }
   const char separator = style == 1 ? ' ' : '-';
   if(network == 4) {
      return group(number, {4, 6, 5}, separator);
   }
   if(network == 7) {
      return group(number, {4, 6, 4}, separator);
   }
   return group4(number, separator);
}

std::string make_card(Rng& rng) {
   std::size_t network = 0;
   const std::string number = card_number(rng, network);
   return format_card(rng, number, network);
}

struct IbanCountry {
      std::string_view code;
      std::size_t length;
      std::size_t bank_letters;  // leading letters of the BBAN (bank code)
};

constexpr std::array<IbanCountry, 12> iban_countries = {{
   {"DE", 22, 0},
   {"AT", 20, 0},
   {"CH", 21, 0},
   {"FR", 27, 0},
   {"ES", 24, 0},
   {"IT", 27, 0},
   {"NL", 18, 4},
   {"GB", 22, 4},
   {"BE", 16, 0},
   {"PL", 28, 0},
   {"NO", 15, 0},
   {"IE", 22, 4},
}};

unsigned mod97(std::string_view rearranged) {
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

std::string iban_number(Rng& rng, bool valid) {
   const IbanCountry& country = rng.pick(iban_countries);
   const std::string bban =
      (Cat() << letters(rng, country.bank_letters, true) << digits(rng, country.length - 4 - country.bank_letters)).str();
   unsigned check = 98 - mod97((Cat() << bban << country.code << "00").str());
   if(!valid) {
      check = (check + rng.between(1, 9)) % 100;
   }
   return (Cat() << country.code << (check < 10 ? "0" : "") << check << bban).str();
}

std::string make_iban(Rng& rng) {
   const std::string number = iban_number(rng, true);
   return rng.chance(50) ? number : group4(number, ' ');
}

std::string hex_group(Rng& rng) {
   static constexpr std::string_view hex = "0123456789abcdef";
   std::string g;
   const std::size_t n = rng.between(1, 4);
   for(std::size_t i = 0; i < n; ++i) {
      g.push_back(hex[rng.below(16)]);
   }
   if(g.size() > 1 && g[0] == '0') {
      g[0] = 'a';
   }
   return g;
}

std::string quad(Rng& rng) {
   return (Cat() << rng.between(0, 255) << "." << rng.between(0, 255) << "." << rng.between(0, 255) << "."
                 << rng.between(0, 255))
      .str();
}

std::string make_ip(Rng& rng) {
   Cat ip;
   switch(rng.below(6)) {
      case 0:
      case 1:
      case 2:
         ip << quad(rng);
         break;
      case 3:
         ip << hex_group(rng);
         for(int i = 1; i < 8; ++i) {
            ip << ":" << hex_group(rng);
         }
         break;
      case 4:
         ip << "2001:db8:" << hex_group(rng) << "::" << hex_group(rng);
         break;
      default:
         if(rng.chance(50)) {
            ip << "fe80::" << hex_group(rng) << ":" << hex_group(rng);
         } else {
            ip << "::ffff:" << quad(rng);
         }
         break;
   }
   return ip.str();
}

/// A URL with a secret; `secret_at` and `secret_size` receive where the secret is within it.
std::string make_url_secret(Rng& rng, std::size_t& secret_at, std::size_t& secret_size) {
   static constexpr std::array<std::string_view, 12> names = {"token", "access_token", "api_key", "apikey",
                                                              "key", "password", "secret", "sig",
                                                              "signature", "auth", "Token", "API_KEY"};
   static constexpr std::array<std::string_view, 4> hosts = {"api.example.com", "app.acme-corp.io",
                                                             "files.example.org", "login.example.net"};
   Cat url;
   if(rng.chance(20)) {
      const std::string userinfo = (Cat() << letters(rng, rng.between(3, 8)) << ":" << base64url(rng, rng.between(6, 16))).str();
      const std::string_view scheme = rng.chance(50) ? "https://" : "ftp://";
      secret_at = scheme.size();
      secret_size = userinfo.size();
      return (url << scheme << userinfo << "@" << rng.pick(hosts) << "/").str();
   }
   url << "https://" << rng.pick(hosts) << "/" << letters(rng, 5) << "?";
   if(rng.chance(50)) {
      url << "lang=en&";
   }
   url << rng.pick(names) << "=";
   secret_at = url.str().size();
   const std::string value = base64url(rng, rng.between(8, 40));
   secret_size = value.size();
   url << value;
   if(rng.chance(40)) {
      url << "&page=" << digits(rng, 1, true);
   }
   return url.str();
}

std::string make_jwt(Rng& rng) {
   static constexpr std::array<std::string_view, 3> headers = {
      R"({"alg":"HS256","typ":"JWT"})", R"({"alg":"RS256","kid":"k1"})", R"({"alg":"ES256"})"};
   const std::string header = base64url_encode(rng.pick(headers));
   const std::string payload = (Cat() << R"({"sub":")" << digits(rng, 8, true) << R"(","name":")" << letters(rng, 6)
                                      << R"(","iat":)" << digits(rng, 10, true) << "}")
                                  .str();
   return (Cat() << header << "." << base64url_encode(payload) << "." << base64url(rng, 43)).str();
}

// ---- hard negatives ------------------------------------------------------------------

std::string two(unsigned v) { return (Cat() << (v < 10 ? "0" : "") << v).str(); }

std::string make_negative(Rng& rng) {
   Cat out;
   switch(rng.below(16)) {
      case 0:  // ISO date
         out << rng.between(2000, 2030) << "-" << two(rng.between(1, 12)) << "-" << two(rng.between(1, 28));
         break;
      case 1:  // German date
         out << two(rng.between(1, 28)) << "." << two(rng.between(1, 12)) << "." << rng.between(2000, 2030);
         break;
      case 2:  // US date and time
         out << two(rng.between(1, 12)) << "/" << two(rng.between(1, 28)) << "/" << rng.between(2000, 2030) << " "
             << two(rng.between(0, 23)) << ":" << two(rng.between(0, 59));
         break;
      case 3:  // time
         out << two(rng.between(0, 23)) << ":" << two(rng.between(0, 59)) << ":" << two(rng.between(0, 59));
         break;
      case 4:  // build number
         out << rng.between(1, 20) << "." << rng.between(0, 9) << "." << rng.between(256, 30000);
         break;
      case 5:  // four-part version with a prefix
         out << "v" << rng.between(1, 9) << "." << rng.between(0, 20) << "." << rng.between(0, 99) << "."
             << rng.between(0, 99);
         break;
      case 6:
         out << "#" << digits(rng, rng.between(5, 7), true);
         break;
      case 7:
         out << "order " << digits(rng, 8, true);
         break;
      case 8:  // price with thousands separator
         out << rng.between(1, 9) << "," << digits(rng, 3) << "." << digits(rng, 2);
         break;
      case 9:
         out << "$" << rng.between(1, 999) << "." << digits(rng, 2);
         break;
      case 10: {  // card number failing Luhn
         std::size_t network = 0;
         std::string number = card_number(rng, network);
         number.back() = static_cast<char>('0' + (static_cast<unsigned>(number.back() - '0') + rng.between(1, 9)) % 10);
         out << format_card(rng, number, network);
         break;
      }
      case 11: {  // IBAN with a wrong checksum
         const std::string number = iban_number(rng, false);
         out << (rng.chance(50) ? number : group4(number, ' '));
         break;
      }
      case 12: {  // dotted quad with an octet out of range
         std::array<unsigned, 4> octets{};
         for(auto& o : octets) {
            o = rng.between(0, 255);
         }
         octets[rng.below(4)] = rng.between(256, 999);
         out << octets[0] << "." << octets[1] << "." << octets[2] << "." << octets[3];
         break;
      }
      case 13:
         out << rng.between(1, 99) << "%";
         break;
      case 14:
         out << "ticket " << digits(rng, rng.between(4, 7), true);
         break;
      default:
         out << "ISO " << rng.between(1000, 99999);
         break;
   }
   return out.str();
}

// ---- documents -----------------------------------------------------------------------

struct Label {
      Detector type;
      std::size_t start;
      std::size_t end;
};

struct Corpus {
      std::string text;
      std::vector<Label> labels;
      std::size_t negatives = 0;
};

constexpr std::array<std::string_view, 14> templates = {
   "Hello, please contact me at % about the invoice from ~.",
   "My details: %. Thanks!",
   "(%) was mentioned in ticket ~.",
   "Customer wrote \"%\" on ~.",
   "Reached at <%>, follow-up due ~.",
   "联系方式：%。日期 ~。",
   "📞 % 🙂 see ~",
   "Error log ~: value='%'",
   "- %\n- ~\n",
   "Can you check %? It failed at ~.",
   "[%] ~",
   "Noted ~; the other one is %, right?",
   "Grüße aus Köln — % — ~",
   "% ~",
};

void add_sentence(Rng& rng, Corpus& corpus) {
   const std::string_view tmpl = rng.pick(templates);
   for(char c : tmpl) {
      if(c == '~') {
         corpus.text += make_negative(rng);
         ++corpus.negatives;
         continue;
      }
      if(c != '%') {
         corpus.text.push_back(c);
         continue;
      }
      const auto type = static_cast<Detector>(rng.below(leastdata::redact::detector_count()));
      std::string entity;
      std::size_t offset = 0;
      std::size_t size = 0;
      switch(type) {
         case Detector::email:
            entity = make_email(rng);
            break;
         case Detector::phone:
            entity = make_phone(rng);
            break;
         case Detector::credit_card:
            entity = make_card(rng);
            break;
         case Detector::iban:
            entity = make_iban(rng);
            break;
         case Detector::ip:
            entity = make_ip(rng);
            break;
         case Detector::url_secret:
            entity = make_url_secret(rng, offset, size);
            break;
         case Detector::jwt:
            entity = make_jwt(rng);
            break;
      }
      if(size == 0) {
         size = entity.size();
      }
      const std::size_t start = corpus.text.size() + offset;
      corpus.labels.push_back(Label{type, start, start + size});
      corpus.text += entity;
   }
   corpus.text.push_back(' ');
}

Corpus generate(std::uint64_t seed, std::size_t sentences) {
   Rng rng(seed);
   Corpus corpus;
   for(std::size_t i = 0; i < sentences; ++i) {
      add_sentence(rng, corpus);
   }
   return corpus;
}

}  // namespace

TEST_CASE("redact/corpus: precision and recall on a generated labelled corpus", "[redact][corpus]") {
   const Corpus corpus = generate(0x1EA57DA7A, 20000);
   const std::vector<Finding> findings = leastdata::redact::find(corpus.text, DetectorSet::all());

   std::array<std::size_t, leastdata::redact::detector_count()> expected{};
   std::array<std::size_t, leastdata::redact::detector_count()> true_positives{};
   std::array<std::size_t, leastdata::redact::detector_count()> false_positives{};
   for(const Label& label : corpus.labels) {
      ++expected[static_cast<std::size_t>(label.type)];
   }
   // Labels and findings are both sorted by start and non-overlapping: merge them. The first
   // few mismatches each way are kept for the failure message.
   const auto excerpt = [&corpus](std::size_t start, std::size_t end) {
      return std::string(corpus.text.substr(start, end - start));
   };
   std::size_t l = 0;
   std::size_t shown = 0;
   for(const Finding& f : findings) {
      while(l < corpus.labels.size() && corpus.labels[l].end <= f.start) {
         ++l;
      }
      const bool hit = l < corpus.labels.size() && corpus.labels[l].type == f.type &&
                       corpus.labels[l].start == f.start && corpus.labels[l].end == f.end;
      ++(hit ? true_positives : false_positives)[static_cast<std::size_t>(f.type)];
      if(!hit && shown++ < 10) {
         UNSCOPED_INFO("unexpected " << leastdata::redact::detector_name(f.type) << ": " << excerpt(f.start, f.end));
      }
   }
   std::size_t f = 0;
   shown = 0;
   for(const Label& label : corpus.labels) {
      while(f < findings.size() && findings[f].end <= label.start) {
         ++f;
      }
      const bool hit = f < findings.size() && findings[f].type == label.type && findings[f].start == label.start &&
                       findings[f].end == label.end;
      if(!hit && shown++ < 10) {
         UNSCOPED_INFO("missed " << leastdata::redact::detector_name(label.type) << ": "
                                 << excerpt(label.start, label.end));
      }
   }

   std::size_t total_expected = 0;
   std::size_t total_tp = 0;
   std::size_t total_fp = 0;
   for(std::size_t t = 0; t < leastdata::redact::detector_count(); ++t) {
      total_expected += expected[t];
      total_tp += true_positives[t];
      total_fp += false_positives[t];
      const double recall = expected[t] ? static_cast<double>(true_positives[t]) / static_cast<double>(expected[t]) : 1.0;
      const std::size_t reported = true_positives[t] + false_positives[t];
      const double precision = reported ? static_cast<double>(true_positives[t]) / static_cast<double>(reported) : 1.0;
      std::printf("redact corpus %-12s entities %5zu  precision %.4f  recall %.4f\n",
                  std::string(leastdata::redact::detector_name(static_cast<Detector>(t))).c_str(), expected[t],
                  precision, recall);
   }
   const double precision = static_cast<double>(total_tp) / static_cast<double>(total_tp + total_fp);
   const double recall = static_cast<double>(total_tp) / static_cast<double>(total_expected);
   std::printf("redact corpus all          entities %5zu  hard negatives %zu  bytes %zu  precision %.4f  recall %.4f\n",
               total_expected, corpus.negatives, corpus.text.size(), precision, recall);
   WARN("precision " << precision << ", recall " << recall << " over " << total_expected << " entities and "
                     << corpus.negatives << " hard negatives");
   CHECK(precision >= 0.99);
   CHECK(recall >= 0.99);
}
