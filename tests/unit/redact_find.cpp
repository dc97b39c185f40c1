// Unit tests of `find`: the overlap rule, detector selection, ordering, UTF-16 offsets next
// to emoji and CJK text, and linear behaviour on adversarial input.

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace {

using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;
using leastdata::redact::Finding;
using leastdata::redact::find;

struct Expected {
      Detector type;
      std::string_view text;
};

std::vector<std::pair<Detector, std::string>> typed_spans(std::string_view text, DetectorSet detectors) {
   std::vector<std::pair<Detector, std::string>> out;
   for(const Finding& f : find(text, detectors)) {
      out.emplace_back(f.type, std::string(text.substr(f.start, f.end - f.start)));
   }
   return out;
}

std::vector<std::pair<Detector, std::string>> expect(std::initializer_list<Expected> list) {
   std::vector<std::pair<Detector, std::string>> out;
   for(const Expected& e : list) {
      out.emplace_back(e.type, std::string(e.text));
   }
   return out;
}

}  // namespace

TEST_CASE("redact/find: overlapping candidates, the longest wins", "[redact][find]") {
   // A phone number that is the local part of an address: the address is longer.
   CHECK(typed_spans("write to +4930123456789@example.com", DetectorSet::all()) ==
         expect({{Detector::email, "+4930123456789@example.com"}}));
   CHECK(typed_spans("write to +4930123456789@example.com", DetectorSet().with(Detector::phone)) ==
         expect({{Detector::phone, "+4930123456789"}}));

   // A secret query value that contains an address: the whole value is longer.
   CHECK(typed_spans("https://x.io/?token=xyz:a@b.com&n=1", DetectorSet::all()) ==
         expect({{Detector::url_secret, "xyz:a@b.com"}}));

   // A userinfo password is a secret, not an address, even when host@domain looks like one.
   CHECK(typed_spans("https://user:pass@example.com/x", DetectorSet::all()) ==
         expect({{Detector::url_secret, "user:pass"}}));

   // An IP address inside a secret value is covered by the longer secret.
   CHECK(typed_spans("https://x.io/?key=10.0.0.1-abc", DetectorSet::all()) ==
         expect({{Detector::url_secret, "10.0.0.1-abc"}}));
}

TEST_CASE("redact/find: equal spans go to the earlier detector in the tie order", "[redact][find]") {
   constexpr std::string_view jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
   const std::string url = "https://x.io/cb?token=" + std::string(jwt) + "&x=1";
   // url_secret before jwt
   CHECK(typed_spans(url, DetectorSet::all()) == expect({{Detector::url_secret, jwt}}));
   CHECK(typed_spans(url, DetectorSet().with(Detector::jwt)) == expect({{Detector::jwt, jwt}}));
   // email before url_secret
   CHECK(typed_spans("https://x.io/?key=ann@example.org", DetectorSet::all()) ==
         expect({{Detector::email, "ann@example.org"}}));
   CHECK(typed_spans("https://x.io/?key=ann@example.org", DetectorSet().with(Detector::url_secret)) ==
         expect({{Detector::url_secret, "ann@example.org"}}));
}

TEST_CASE("redact/find: only the selected detectors run", "[redact][find]") {
   const std::string_view text = "mail a@b.de, call +49 30 1234567, host 10.0.0.1";
   CHECK(find(text, DetectorSet()).empty());
   CHECK(typed_spans(text, DetectorSet().with(Detector::ip)) == expect({{Detector::ip, "10.0.0.1"}}));
   CHECK(typed_spans(text, DetectorSet().with(Detector::email).with(Detector::phone)) ==
         expect({{Detector::email, "a@b.de"}, {Detector::phone, "+49 30 1234567"}}));
}

TEST_CASE("redact/find: findings are sorted, non-overlapping and typed", "[redact][find]") {
   const std::string_view text =
      "Hi, I'm jane.doe@example.com (phone +44 20 7946 0958). Card 4111 1111 1111 1111, "
      "IBAN DE89 3704 0044 0532 0130 00, from 2001:db8::1 and 192.168.0.10. "
      "Link: https://app.example.com/reset?token=R3set-T0ken&lang=en, "
      "JWT eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln. Order #123456 on 2024-03-15 at 12:30:45.";
   CHECK(typed_spans(text, DetectorSet::all()) == expect({
                                                      {Detector::email, "jane.doe@example.com"},
                                                      {Detector::phone, "+44 20 7946 0958"},
                                                      {Detector::credit_card, "4111 1111 1111 1111"},
                                                      {Detector::iban, "DE89 3704 0044 0532 0130 00"},
                                                      {Detector::ip, "2001:db8::1"},
                                                      {Detector::ip, "192.168.0.10"},
                                                      {Detector::url_secret, "R3set-T0ken"},
                                                      {Detector::jwt, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"},
                                                   }));
   const auto findings = find(text, DetectorSet::all());
   for(std::size_t i = 1; i < findings.size(); ++i) {
      CHECK(findings[i - 1].end <= findings[i].start);
   }
}

TEST_CASE("redact/find: neighbouring entities separated by one space", "[redact][find]") {
   // A complete IBAN does not swallow the number after it; a number followed by a space and
   // an unspaced entity does not hide it.
   CHECK(typed_spans("AT61 1904 3002 3457 3201 0171-1234567", DetectorSet::all()) ==
         expect({{Detector::iban, "AT61 1904 3002 3457 3201"}, {Detector::phone, "0171-1234567"}}));
   CHECK(typed_spans("order 12345678 4111111111111111 10.0.0.1", DetectorSet::all()) ==
         expect({{Detector::credit_card, "4111111111111111"}, {Detector::ip, "10.0.0.1"}}));
   CHECK(typed_spans("a@b.de c@d.de", DetectorSet::all()) ==
         expect({{Detector::email, "a@b.de"}, {Detector::email, "c@d.de"}}));
   // A list of cards, one space apart: a space-grouped card may follow a whole card (it cannot
   // be the tail of a number that is a card by itself).
   CHECK(typed_spans("4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881", DetectorSet::all()) ==
         expect({{Detector::credit_card, "4012888888881881"},
                 {Detector::credit_card, "4012-8888-8888-1881"},
                 {Detector::credit_card, "4012 8888 8888 1881"}}));
   CHECK(typed_spans("4111 1111 1111 1111 5555 5555 5555 4444 3782 822463 10005", DetectorSet::all()) ==
         expect({{Detector::credit_card, "4111 1111 1111 1111"},
                 {Detector::credit_card, "5555 5555 5555 4444"},
                 {Detector::credit_card, "3782 822463 10005"}}));
   // ... but not a number that is not a card.
   CHECK(typed_spans("1234 4111 1111 1111 1111", DetectorSet::all()).empty());
   // A phone ends before a time or date that follows it.
   CHECK(typed_spans("030 1234567 12:30 2024-03-15", DetectorSet::all()) == expect({{Detector::phone, "030 1234567"}}));
}

TEST_CASE("redact/find: UTF-16 offsets count code units", "[redact][find][utf16]") {
   struct Case {
         std::string_view text;
         std::size_t start_utf16;
         std::size_t end_utf16;
   };
   const Case cases[] = {
      {"john@example.com", 0, 16},
      // U+1F4E7 is four bytes in UTF-8 and a surrogate pair in UTF-16.
      {"📧 john@example.com", 3, 19},
      {"📧📧john@example.com 📧", 4, 20},
      // CJK ideographs and the full-width colon: three bytes, one unit each.
      {"联系人：john@example.com", 4, 20},
      {"メールjohn@example.comです", 3, 19},
      // Two-byte Latin-1 letters.
      {"Grüße, john@example.com", 7, 23},
      // A family emoji built with zero-width joiners: 4+3+4+3+4 bytes, 2+1+2+1+2 units.
      {"👩‍👩‍👧 john@example.com", 9, 25},
   };
   for(const Case& c : cases) {
      INFO("text: " << c.text);
      const auto findings = find(c.text, DetectorSet::all());
      REQUIRE(findings.size() == 1);
      CHECK(findings[0].start_utf16 == c.start_utf16);
      CHECK(findings[0].end_utf16 == c.end_utf16);
      CHECK(c.text.substr(findings[0].start, findings[0].end - findings[0].start) == "john@example.com");
   }

   // Several findings: each offset accounts for everything before it.
   const std::string_view text = "😀 a@b.de 漢字 10.0.0.1 🎉🎉 +49 30 1234567";
   const auto findings = find(text, DetectorSet::all());
   REQUIRE(findings.size() == 3);
   CHECK(findings[0].start_utf16 == 3);
   CHECK(findings[0].end_utf16 == 9);
   CHECK(findings[1].start_utf16 == 13);
   CHECK(findings[1].end_utf16 == 21);
   CHECK(findings[2].start_utf16 == 27);
   CHECK(findings[2].end_utf16 == 41);
}

TEST_CASE("redact/find: entities glued to letters or digits are not matched", "[redact][find]") {
   constexpr std::string_view glued[] = {
      "x4111111111111111",
      "4111111111111111x",
      "94111111111111111",
      "abc+49 30 1234567",
      "ID0301234567",
      "v10.0.0.1",
      "10.0.0.1x",
      "XDE89370400440532013000",
      "_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln",
      "john@example.com_x",
      "a2001:db8::1",
   };
   for(std::string_view text : glued) {
      INFO("text: " << text);
      CHECK(find(text, DetectorSet::all()).empty());
   }
}

TEST_CASE("redact/find: adversarial input stays linear", "[redact][find]") {
   // Each would be quadratic for a scanner that re-reads the same run from every trigger.
   const std::string_view units[] = {
      "?token=", "a@", "a.", "0 ", "1.", "1:", "::", "eyJa.", "(0", "+1 ", "4111 ", "DE89 ", "https://a:", "&key=",
   };
   constexpr std::size_t size = 1 << 20;
   for(std::string_view unit : units) {
      std::string text;
      text.reserve(size + unit.size());
      while(text.size() < size) {
         text.append(unit);
      }
      INFO("unit: " << unit);
      const auto begin = std::chrono::steady_clock::now();
      const auto findings = find(text, DetectorSet::all());
      const auto elapsed = std::chrono::steady_clock::now() - begin;
      CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() < 2000);
      for(std::size_t i = 1; i < findings.size(); ++i) {
         CHECK(findings[i - 1].end <= findings[i].start);
      }
   }
}
