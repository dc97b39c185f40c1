// Entities and hard negatives of the generated redaction corpus (redact_corpus.cpp): each
// maker writes one value of its kind in one of the forms people write it in, drawn from the
// seeded PRNG, so the corpus is the same on every platform.

#include "redact_corpus_entities.hpp"

#include "redact_iban_examples.hpp"

namespace redact_test {

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
   if(rng.chance(15)) {
      // Internationalised domains, as punycode and as written.
      static constexpr std::array<std::string_view, 10> idn = {
         "xn--d1acufc.xn--p1ai", "xn--80a1acny.xn--p1ai", "xn--bcher-kva.de", "xn--mller-kva.ch",
         "xn--hxajbheg2az3al.xn--qxam", "почта.рф", "пример.бг", "bücher.de", "müller-bau.at", "παράδειγμα.ελ"};
      domain << rng.pick(idn);
   } else {
      domain << rng.pick(domains) << "." << rng.pick(tlds);
   }
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

namespace {

std::string card_number(Rng& rng, std::size_t& network) {
   network = rng.below(9);
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
      case 7:  // Diners 14
         payload << "36" << digits(rng, 11);
         break;
      default:  // UATP 15
         payload << "1" << digits(rng, 13);
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
   if(network == 8) {
      return group(number, {4, 5, 6}, separator);
   }
   return group4(number, separator);
}
}  // namespace

std::string make_card(Rng& rng) {
   std::size_t network = 0;
   const std::string number = card_number(rng, network);
   return format_card(rng, number, network);
}

namespace {

/// An IBAN of a random registry country: the country's example with every digit and letter
/// replaced by a random one of the same kind (so the BBAN structure holds), and check digits
/// that pass — or, when `valid` is false, that fail.
std::string iban_number(Rng& rng, bool valid) {
   const std::string_view example = iban_registry_examples[rng.below(std::size(iban_registry_examples))];
   const std::string_view country = example.substr(0, 2);
   std::string bban;
   for(char c : example.substr(4)) {
      bban += c >= '0' && c <= '9' ? digits(rng, 1) : letters(rng, 1, true);
   }
   unsigned check = 98 - mod97((Cat() << bban << country << "00").str());
   if(!valid) {
      check = (check + rng.between(1, 9)) % 100;
   }
   return (Cat() << country << (check < 10 ? "0" : "") << check << bban).str();
}

/// A valid-checksum IBAN with a character of the wrong class for its country: a letter in a
/// German or Polish account number (BBAN all digits), digits for a Dutch or British bank code
/// (four letters).
std::string iban_off_structure(Rng& rng) {
   std::string bban;
   std::string_view country;
   switch(rng.below(4)) {
      case 0:
         country = "DE";
         bban = (Cat() << digits(rng, 17) << letters(rng, 1, true)).str();
         break;
      case 1:
         country = "PL";
         bban = (Cat() << digits(rng, 10) << letters(rng, 1, true) << digits(rng, 13)).str();
         break;
      case 2:
         country = "NL";
         bban = digits(rng, 14);
         break;
      default:
         country = "GB";
         bban = digits(rng, 18);
         break;
   }
   const unsigned check = 98 - mod97((Cat() << bban << country << "00").str());
   return (Cat() << country << (check < 10 ? "0" : "") << check << bban).str();
}
}  // namespace

std::string make_iban(Rng& rng) {
   const std::string number = iban_number(rng, true);
   return rng.chance(50) ? number : group4(number, ' ');
}

namespace {

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

}  // namespace

std::string make_ip(Rng& rng) {
   Cat ip;
   switch(rng.below(8)) {
      case 6:  // an IPv4 block
         ip << quad(rng) << "/" << rng.between(0, 32);
         break;
      case 7:  // an IPv6 block
         ip << "2001:db8:" << hex_group(rng) << "::/" << rng.between(16, 128);
         break;
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

namespace {

std::string two(unsigned v) { return (Cat() << (v < 10 ? "0" : "") << v).str(); }

}  // namespace

std::string make_negative(Rng& rng) {
   Cat out;
   switch(rng.below(19)) {
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
      case 15: {  // IBAN with a valid checksum and a character its country's structure refuses
         const std::string number = iban_off_structure(rng);
         out << (rng.chance(50) ? number : group4(number, ' '));
         break;
      }
      case 16: {  // Luhn-valid, first digit 1, but not of UATP's length
         const std::string payload = (Cat() << "1" << digits(rng, rng.chance(50) ? 14 : 12)).str();
         out << payload << luhn_check_digit(payload);
         break;
      }
      case 17: {  // colons that are no IPv6 address
         static constexpr std::array<std::string_view, 4> colons = {":::", "::::", "a ::: b", "fe80:::1"};
         out << rng.pick(colons);
         break;
      }
      default:
         out << "ISO " << rng.between(1000, 99999);
         break;
   }
   return out.str();
}

}  // namespace redact_test
