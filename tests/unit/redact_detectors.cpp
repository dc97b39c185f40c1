// Unit tests of the seven redaction detectors: for each, a table of positives whose exact
// span is checked in many surrounding contexts (sentence ends, brackets, quotes, CJK, emoji),
// and a table of look-alikes it must leave alone. Hard negatives that no detector may touch
// are checked with every detector enabled.

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;
using leastdata::redact::Finding;

struct Positive {
      std::string_view text;    // contains `entity` once
      std::string_view entity;  // the exact expected span
};

// Where each positive is embedded; '%' stands for the positive's text.
constexpr std::string_view contexts[] = {
   "%",
   "Contact: % today",
   "%.",
   "(%)",
   "[%]",
   "\"%\"",
   "'%'",
   "<%>",
   "%, thanks",
   "联系%谢谢",
   "📞 % 🙂",
   "line one\n%\nline two",
   "\t%\t",
};

std::string embed(std::string_view context, std::string_view text) {
   std::string out;
   for(char c : context) {
      if(c == '%') {
         out.append(text);
      } else {
         out.push_back(c);
      }
   }
   return out;
}

std::vector<std::string> spans(std::string_view text, DetectorSet detectors) {
   std::vector<std::string> out;
   for(const Finding& f : leastdata::redact::find(text, detectors)) {
      out.emplace_back(text.substr(f.start, f.end - f.start));
   }
   return out;
}

bool has_finding(std::string_view text, Detector type, std::size_t start, std::size_t end) {
   for(const Finding& f : leastdata::redact::find(text, DetectorSet::all())) {
      if(f.type == type && f.start == start && f.end == end) {
         return true;
      }
   }
   return false;
}

void check_positives(Detector type, const std::vector<Positive>& table) {
   const DetectorSet only = DetectorSet().with(type);
   for(const Positive& p : table) {
      for(std::string_view context : contexts) {
         const std::string text = embed(context, p.text);
         INFO("text: " << text);
         const std::vector<std::string> expected{std::string(p.entity)};
         CHECK(spans(text, only) == expected);
         const std::size_t start = text.find(p.entity);
         CHECK(has_finding(text, type, start, start + p.entity.size()));
      }
   }
}

void check_negatives(Detector type, const std::vector<std::string_view>& table) {
   const DetectorSet only = DetectorSet().with(type);
   for(std::string_view text : table) {
      INFO("text: " << text);
      CHECK(spans(text, only).empty());
      const std::string sentence = embed("Please see % for details.", text);
      INFO("sentence: " << sentence);
      CHECK(spans(sentence, only).empty());
   }
}

}  // namespace

TEST_CASE("redact/detectors: email", "[redact][email]") {
   check_positives(Detector::email,
                   {
                      {"john@example.com", "john@example.com"},
                      {"john.doe@example.co.uk", "john.doe@example.co.uk"},
                      {"j.d+tag@sub.example.org", "j.d+tag@sub.example.org"},
                      {"first_last@company-name.de", "first_last@company-name.de"},
                      {"a@b.cd", "a@b.cd"},
                      {"x-y%z@mail.example.museum", "x-y%z@mail.example.museum"},
                      {"1234@numbers.io", "1234@numbers.io"},
                      {"UPPER.Case@Example.COM", "UPPER.Case@Example.COM"},
                      {"user@xn--bcher-kva.de", "user@xn--bcher-kva.de"},
                      {"a@xn--d1acufc.xn--p1ai", "a@xn--d1acufc.xn--p1ai"},
                      {"info@XN--80A1ACNY.XN--P1AI", "info@XN--80A1ACNY.XN--P1AI"},
                      {"ivan@почта.рф", "ivan@почта.рф"},
                      {"user@bücher.de", "user@bücher.de"},
                      {"kontakt@müller-bau.at", "kontakt@müller-bau.at"},
                      {"info@παράδειγμα.ελ", "info@παράδειγμα.ελ"},
                      {"a@пример.испытание", "a@пример.испытание"},
                      {"nguyen@việtnam.vn", "nguyen@việtnam.vn"},
                      {"mail ivan@почта.рф, спасибо", "ivan@почта.рф"},
                      {"mailto:jane@example.net", "jane@example.net"},
                      {"https://x.io/form?email=jane@example.com&x=1", "jane@example.com"},
                      {"Reply to ...john@example.com", "john@example.com"},
                      {"support@mail.server-01.example.com", "support@mail.server-01.example.com"},
                   });
   check_negatives(Detector::email,
                   {
                      "john@localhost",
                      "john@example.c",
                      "john@example.123",
                      "john@example.com1",
                      "@example.com",
                      "john@",
                      "john.@example.com",
                      "john..doe@example.com",
                      "john@-example.com",
                      "john@example..com",
                      "user@host_name.com",
                      "john@example.com_x",
                      "follow @johndoe on social media",
                      "https://user:secret@example.com/path",
                      "a@b",
                      "foo@bar.baz1",
                      "a@example.xn--",
                      "a@example.рф1",
                      "иван@почта.рф",
                      "user@例子.中国",
                      "user@ตัวอย่าง.ไทย",
                      "user@例子.com",
                   });
}

TEST_CASE("redact/detectors: phone", "[redact][phone]") {
   check_positives(Detector::phone,
                   {
                      {"+49 30 1234567", "+49 30 1234567"},
                      {"+49 (0)30 1234567", "+49 (0)30 1234567"},
                      {"+1 (555) 123-4567", "+1 (555) 123-4567"},
                      {"+1-800-555-0199", "+1-800-555-0199"},
                      {"+44 20 7946 0958", "+44 20 7946 0958"},
                      {"+33 1 23 45 67 89", "+33 1 23 45 67 89"},
                      {"+41.44.668.18.00", "+41.44.668.18.00"},
                      {"+4915112345678", "+4915112345678"},
                      {"+49 151 1234 5678", "+49 151 1234 5678"},
                      {"+31 (0)20 123 4567", "+31 (0)20 123 4567"},
                      {"+49 1234 5678 901 23", "+49 1234 5678 901 23"},
                      {"030 1234567", "030 1234567"},
                      {"030/1234567", "030/1234567"},
                      {"030-123 456 78", "030-123 456 78"},
                      {"0171 1234567", "0171 1234567"},
                      {"01711234567", "01711234567"},
                      {"0049 30 1234567", "0049 30 1234567"},
                      {"(030) 1234567", "(030) 1234567"},
                      {"(555) 123-4567", "(555) 123-4567"},
                      {"(555)123-4567", "(555)123-4567"},
                      {"020 7946 0958", "020 7946 0958"},
                      {"01 23 45 67 89", "01 23 45 67 89"},
                      {"01.23.45.67.89", "01.23.45.67.89"},
                      {"Tel.: 089 123456", "089 123456"},
                      {"call +49 30 1234567 or", "+49 30 1234567"},
                      {"030 1234567 12:30", "030 1234567"},
                      {"+49 30 1234567 2024-03-15", "+49 30 1234567"},
                      {"0171 1234567 15.03.2024", "0171 1234567"},
                      {"order 12345678 0171-1234567", "0171-1234567"},
                      {"ticket 4711 030/1234567", "030/1234567"},
                      {"0171 1234567 25%", "0171 1234567"},
                      {"+49 30 1234567 5 %", "+49 30 1234567 5"},
                   });
   check_negatives(Detector::phone,
                   {
                      "2024-03-15",
                      "15.03.2024",
                      "01.02.2024",
                      "01/02/2024",
                      "05-06-2023",
                      "01.02.2024 12:30",
                      "03/15/2024",
                      "2024-03-15T12:30:45Z",
                      "12:30:45",
                      "09:30",
                      "0.123456789",
                      "0 1 2 3 4 5 6 7 8 9",
                      "order 12345678",
                      "#123456",
                      "1,299.00",
                      "+49 30",
                      "0301234",
                      "0123456789012345",
                      "+4912345678901234",
                      "+49-1234-5678-901-234",
                      "ID0301234567",
                      "0301234567abc",
                      "+0 30 1234567",
                      "+0301234567",
                      "5+0301234567",
                      "10.0.19045",
                      "0.0.0.0",
                      "(5 items)",
                      "978-3-16-148410-0",
                      "DE89 3704 0044 0532 0130 00",
                      "5500 0000 0000 0004",
                      "12 0171 1234567",
                      "0301234567:30",
                      "+49 30 (1234567",
                   });
}

TEST_CASE("redact/detectors: credit_card", "[redact][credit_card]") {
   check_positives(Detector::credit_card,
                   {
                      {"4111111111111111", "4111111111111111"},
                      {"4111 1111 1111 1111", "4111 1111 1111 1111"},
                      {"4111-1111-1111-1111", "4111-1111-1111-1111"},
                      {"5555555555554444", "5555555555554444"},
                      {"5555 5555 5555 4444", "5555 5555 5555 4444"},
                      {"378282246310005", "378282246310005"},
                      {"3782 822463 10005", "3782 822463 10005"},
                      {"6011111111111117", "6011111111111117"},
                      {"3530111333300000", "3530111333300000"},
                      {"30569309025904", "30569309025904"},
                      {"4222222222222", "4222222222222"},
                      {"4222 2222 2222 2", "4222 2222 2222 2"},
                      {"2221000000000009", "2221000000000009"},
                      {"6011000000000000001", "6011000000000000001"},
                      {"4111 1111 1111 1111 110", "4111 1111 1111 1111 110"},
                      {"4111 1111 1111 1111 123", "4111 1111 1111 1111"},
                      {"4111111111111111 123", "4111111111111111"},
                      {"Card: 5105-1051-0510-5100", "5105-1051-0510-5100"},
                      {"Visa 4012888888881881 exp 12/25", "4012888888881881"},
                      {"order 12345678 4111111111111111", "4111111111111111"},
                      {"ticket 4711 4111-1111-1111-1111", "4111-1111-1111-1111"},
                      {"122000000000003", "122000000000003"},
                      {"1220 00000 000003", "1220 00000 000003"},
                      {"UATP 1220-00000-000003", "1220-00000-000003"},
                   });
   check_negatives(Detector::credit_card,
                   {
                      "4111111111111112",
                      "4111 1111 1111 1112",
                      "1234567812345670",
                      "12345678901237",
                      "1234 5678 9012 37",
                      "411111111111",
                      "41111111111111111111",
                      "44111111111111111111",
                      "x4111111111111111",
                      "4111111111111111x",
                      "4111-1111-1111-1111-1234",
                      "4111.1111.1111.1111",
                      "+4111111111111111",
                      "4111  1111 1111 1111",
                      "4111 1111-1111 1111",
                      "41 11 11 11 11 11 11 11",
                      "order 12345678",
                      "2024-03-15",
                      "1,299.00",
                      "12.4111111111111111",
                      "1234 4111 1111 1111 1111",
                      "1234 5500 0000 0000 0004",
                   });
}

TEST_CASE("redact/detectors: iban", "[redact][iban]") {
   check_positives(Detector::iban,
                   {
                      {"DE89370400440532013000", "DE89370400440532013000"},
                      {"DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"},
                      {"GB82WEST12345698765432", "GB82WEST12345698765432"},
                      {"GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"},
                      {"CH9300762011623852957", "CH9300762011623852957"},
                      {"CH93 0076 2011 6238 5295 7", "CH93 0076 2011 6238 5295 7"},
                      {"FR14 2004 1010 0505 0001 3M02 606", "FR14 2004 1010 0505 0001 3M02 606"},
                      {"NL91ABNA0417164300", "NL91ABNA0417164300"},
                      {"BE68539007547034", "BE68539007547034"},
                      {"AT611904300234573201", "AT611904300234573201"},
                      {"ES9121000418450200051332", "ES9121000418450200051332"},
                      {"IT60X0542811101000000123456", "IT60X0542811101000000123456"},
                      {"NO9386011117947", "NO9386011117947"},
                      {"MT84MALT011000012345MTLCAST001S", "MT84MALT011000012345MTLCAST001S"},
                      {"PL61109010140000071219812874", "PL61109010140000071219812874"},
                      {"SE4550000000058398257466", "SE4550000000058398257466"},
                      {"FI2112345600000785", "FI2112345600000785"},
                      {"IE29AIBK93115212345678", "IE29AIBK93115212345678"},
                      {"LI21088100002324013AA", "LI21088100002324013AA"},
                      {"HU42117730161111101800000000", "HU42117730161111101800000000"},
                      {"AL47212110090000000235698741", "AL47212110090000000235698741"},
                      {"de89370400440532013000", "de89370400440532013000"},
                      {"IBAN: DE89 3704 0044 0532 0130 00 (Berlin)", "DE89 3704 0044 0532 0130 00"},
                   });
   check_negatives(Detector::iban,
                   {
                      "DE89370400440532013001",
                      "DE89 3704 0044 0532 0130 01",
                      "DE8937040044053201300",
                      "DE893704004405320130000",
                      "US64SVBKUS6S3300958879",
                      "DE89 3704 0044 0532 013000",
                      "DE89 37040044 0532 0130 00",
                      "DE89-3704-0044-0532-0130-00",
                      "XDE89370400440532013000",
                      "DE89370400440532013000X",
                      "DE89 3704 0044 0532 0130 00X",
                      "DE00370400440532013000",
                   });
}

TEST_CASE("redact/detectors: ip", "[redact][ip]") {
   check_positives(Detector::ip,
                   {
                      {"192.168.0.1", "192.168.0.1"},
                      {"10.0.0.1", "10.0.0.1"},
                      {"0.0.0.0", "0.0.0.0"},
                      {"255.255.255.255", "255.255.255.255"},
                      {"8.8.8.8", "8.8.8.8"},
                      {"1.2.3.4", "1.2.3.4"},
                      {"10.0.0.1:8080", "10.0.0.1"},
                      {"http://192.168.1.10/admin", "192.168.1.10"},
                      {"::", "::"},
                      {"::1", "::1"},
                      {"fe80::1", "fe80::1"},
                      {"FE80::ABCD", "FE80::ABCD"},
                      {"2001:db8::1", "2001:db8::1"},
                      {"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"},
                      {"2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334"},
                      {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
                      {"64:ff9b::192.0.2.33", "64:ff9b::192.0.2.33"},
                      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:1.2.3.4"},
                      {"2001:db8::", "2001:db8::"},
                      {"::1:2:3:4:5:6:7", "::1:2:3:4:5:6:7"},
                      {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7::"},
                      {"1:2:3:4:5:6::8", "1:2:3:4:5:6::8"},
                      {"[2001:db8::1]:443", "2001:db8::1"},
                      {"fe80::1%eth0", "fe80::1"},
                      {"client 203.0.113.7 connected", "203.0.113.7"},
                      {"10.0.0.0/24", "10.0.0.0/24"},
                      {"192.168.0.0/16", "192.168.0.0/16"},
                      {"0.0.0.0/0", "0.0.0.0/0"},
                      {"2001:db8::/32", "2001:db8::/32"},
                      {"fe80::1/128", "fe80::1/128"},
                      {"::/0", "::/0"},
                      {"route 10.1.0.0/16 via eth0", "10.1.0.0/16"},
                      {"10.0.0.0/33", "10.0.0.0"},
                      {"10.0.0.0/08", "10.0.0.0"},
                      {"10.0.0.0/24x", "10.0.0.0"},
                      {"10.0.0.0/24/x", "10.0.0.0"},
                      {"1.2.3.4/2024", "1.2.3.4"},
                      {"1.2.3.4/12.5", "1.2.3.4"},
                      {"2001:db8::/129", "2001:db8::"},
                      {"http://10.0.0.1/24", "10.0.0.1"},
                      {"https://[2001:db8::1]/64", "2001:db8::1"},
                   });
   check_negatives(Detector::ip,
                   {
                      "256.1.1.1",
                      "1.2.3.256",
                      "01.2.3.4",
                      "1.2.3.04",
                      "1.2.3",
                      "1.2.3.4.5",
                      "10.0.19045",
                      "10.0.19045.3693",
                      "v1.2.3.4",
                      "1.2.3.4a",
                      "192.168.1",
                      "999.999.999.999",
                      "12:30:45",
                      "00:1A:2B:3C:4D:5E",
                      "1:2:3:4:5:6:7",
                      "1::2::3",
                      "1:2:3:4:5:6:7:8:9",
                      "1::2:3:4:5:6:7:8",
                      "12345::1",
                      "std::vector<int>",
                      "::g",
                      ":::",
                      "::::",
                      "a ::: b",
                      ":::1",
                      "2001:db8:::1",
                      "fe80:::",
                      "2024-03-15",
                      "15.03.2024",
                   });
}

TEST_CASE("redact/detectors: url_secret", "[redact][url_secret]") {
   check_positives(Detector::url_secret,
                   {
                      {"https://api.example.com/v1/items?token=abc123", "abc123"},
                      {"https://x.io/?access_token=ya29.a0AfH6SMB&foo=bar", "ya29.a0AfH6SMB"},
                      {"https://x.io/cb#access_token=XYZ789&token_type=bearer", "XYZ789"},
                      {"https://maps.example.com/api?api_key=AIzaSyD-12345_abc", "AIzaSyD-12345_abc"},
                      {"https://x.io/?apikey=K3yK3y", "K3yK3y"},
                      {"https://x.io/?APIKEY=K3yK3y", "K3yK3y"},
                      {"https://x.io/?Api_Key=K3yK3y", "K3yK3y"},
                      {"https://x.io/search?q=1&key=v%2Fx", "v%2Fx"},
                      {"https://x.io/login?user=bob&password=hunter2", "hunter2"},
                      {"https://x.io/?secret=s3cr3t&z=1", "s3cr3t"},
                      {"https://x.io/file?sig=abcdef==", "abcdef=="},
                      {"https://x.io/file?signature=abc%3D", "abc%3D"},
                      {"https://x.io/?auth=Basic123", "Basic123"},
                      {"https://x.io/?a=1&amp;token=abc123", "abc123"},
                      {"/relative/path?token=tok_42", "tok_42"},
                      {"https://user:p4ss@example.com/path", "user:p4ss"},
                      {"ftp://admin:secret@ftp.example.org", "admin:secret"},
                      {"postgres://app:pw@db.internal:5432/main", "app:pw"},
                      {"https://user:p@ss@example.com/", "user:p@ss"},
                   });
   check_negatives(Detector::url_secret,
                   {
                      "https://x.io/?tokens=abc",
                      "https://x.io/?mykey=abc",
                      "https://x.io/?token=",
                      "https://x.io/?token=&x=1",
                      "token=abc",
                      "password = hunter2",
                      "https://user@example.com",
                      "https://example.com:8080/",
                      "https://x.io/?q=token=abc",
                      "https://x.io/?key_id=5",
                      "https://user:@example.com",
                      "https://x.io/?token=.",
                   });
}

TEST_CASE("redact/detectors: jwt", "[redact][jwt]") {
   constexpr std::string_view jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
      "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
   const std::string bearer = "Authorization: Bearer " + std::string(jwt);
   check_positives(Detector::jwt,
                   {
                      {jwt, jwt},
                      {bearer, jwt},
                      {"eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.c2ln", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.c2ln"},
                      {"eyJraWQiOiJrMSJ9.eyJ4IjoxfQ.a-b_c", "eyJraWQiOiJrMSJ9.eyJ4IjoxfQ.a-b_c"},
                   });
   check_negatives(Detector::jwt,
                   {
                      "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
                      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
                      "abc.def.ghi",
                      "xeyJhbGciOiJIUzI1NiJ9.a.b",
                      "eyJhbGciOiJIUzI1NiJ9.a.b.c.d",
                      "eyJ.a.b",
                      "eyJhbGciOiJIUzI1NiJ9..sig",
                      "a.eyJhbGciOiJIUzI1NiJ9.b.c",
                   });
}

TEST_CASE("redact/detectors: hard negatives stay untouched by every detector", "[redact]") {
   constexpr std::string_view negatives[] = {
      "2024-03-15",
      "15.03.2024",
      "03/15/2024",
      "01.02.2024",
      "01/02/2024 12:30",
      "12:30:45",
      "2024-03-15T12:30:45Z",
      "15.03.2024 12:30:45",
      "10.0.19045",
      "10.0.19045.3693",
      "v1.2.3.4",
      "1.2.3.4.5",
      "version 2.10.3",
      "#123456",
      "order 12345678",
      "order #98765432",
      "ticket #4567890",
      "1,299.00",
      "$1,299.00",
      "EUR 1.299,00",
      "€ 0,99",
      "4111 1111 1111 1112",
      "4111111111111112",
      "1234567812345670",
      "DE89 3704 0044 0532 0130 01",
      "DE89370400440532013001",
      "256.1.1.1",
      "192.168.1.256",
      "999.999.999.999",
      "0.123456789",
      "3.14159265358979",
      "978-3-16-148410-0",
      "00:1A:2B:3C:4D:5E",
      "std::vector<int>",
      "a.b.c",
      "user@localhost",
      "Call me at 5pm",
      "Room 101, floor 3",
      "ISO 8601",
      "+5 points",
      "SKU 123-456-789",
      "1234 5678",
      ":::",
      "a ::: b",
      "12345678901237",
      "DE05 3704 0044 0532 0130 0A",
   };
   for(std::string_view text : negatives) {
      INFO("text: " << text);
      CHECK(spans(text, DetectorSet::all()).empty());
      const std::string sentence = embed("On % we noted it.", text);
      INFO("sentence: " << sentence);
      CHECK(spans(sentence, DetectorSet::all()).empty());
   }
}
