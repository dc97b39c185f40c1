// Unit tests of `redact`: exact output of every action, pseudonym known answers, stability,
// normalisation and key separation, the pseudonym key's life cycle, and the errors.

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using leastdata::ErrorCode;
using leastdata::redact::Action;
using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;
using leastdata::redact::PseudonymKey;
using leastdata::redact::redact;

PseudonymKey key_from(std::uint8_t first) {
   std::array<std::uint8_t, 32> bytes{};
   for(std::size_t i = 0; i < bytes.size(); ++i) {
      bytes[i] = static_cast<std::uint8_t>(first + i);
   }
   PseudonymKey key;
   REQUIRE(key.set(bytes.data(), bytes.size()).ok());
   return key;
}

std::string apply(std::string_view text, Action action, const PseudonymKey* key = nullptr) {
   auto result = redact(text, DetectorSet::all(), action, key);
   REQUIRE(result.ok());
   const auto& out = result.value().text;
   return std::string(out.begin(), out.end());
}

constexpr std::string_view sample =
   "Mail john.doe@example.com or call +49 30 1234567. Card 4111 1111 1111 1111, "
   "IBAN DE89 3704 0044 0532 0130 00, IP 192.168.0.1.";

}  // namespace

TEST_CASE("redact/actions: remove deletes exactly the spans", "[redact][actions]") {
   CHECK(apply(sample, Action::remove) == "Mail  or call . Card , IBAN , IP .");
   CHECK(apply("<john@example.com>", Action::remove) == "<>");
}

TEST_CASE("redact/actions: label", "[redact][actions]") {
   CHECK(apply(sample, Action::label) ==
         "Mail <EMAIL> or call <PHONE>. Card <CREDIT_CARD>, IBAN <IBAN>, IP <IP>.");
   CHECK(apply("https://u:p@h.io/?token=abc and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", Action::label) ==
         "https://<URL_SECRET>@h.io/?token=<URL_SECRET> and <JWT>");
}

TEST_CASE("redact/actions: mask", "[redact][actions]") {
   struct Case {
         std::string_view input;
         std::string_view output;
   };
   const Case cases[] = {
      {"Mail john.doe@example.com now", "Mail j***@example.com now"},
      {"Mail a@b.de now", "Mail a***@b.de now"},
      {"+49 30 1234567", "+** ** ***4567"},
      {"(555) 123-4567", "(***) ***-4567"},
      {"4111 1111 1111 1111", "**** **** **** 1111"},
      {"4111-1111-1111-1111", "****-****-****-1111"},
      {"378282246310005", "***********0005"},
      {"DE89 3704 0044 0532 0130 00", "**** **** **** **** **30 00"},
      {"GB82WEST12345698765432", "******************5432"},
      {"192.168.0.1", "***.***.*.*"},
      {"2001:db8::1", "****:***::*"},
      {"route 10.0.0.0/24 up", "route **.*.*.*/** up"},
      {"Mail ivan@почта.рф now", "Mail i***@почта.рф now"},
      {"https://x.io/?token=abc123&n=1", "https://x.io/?token=******&n=1"},
      {"https://user:pass@x.io", "https://*********@x.io"},
      {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "********************.***************.****"},
   };
   for(const Case& c : cases) {
      INFO("input: " << c.input);
      CHECK(apply(c.input, Action::mask) == c.output);
   }
}

TEST_CASE("redact/actions: pseudonym known answers", "[redact][actions][pseudonym]") {
   // HMAC-SHA-256 under the key 00 01 .. 1f over "<type>:<normalised value>", first 4 bytes;
   // computed independently with Python's hmac module.
   const PseudonymKey key = key_from(0);
   struct Case {
         std::string_view input;
         std::string_view output;
   };
   const Case cases[] = {
      {"John@Example.com", "<EMAIL:7d66a58b>"},
      {"+49 30 1234567", "<PHONE:d3e2e7af>"},
      {"4111 1111 1111 1111", "<CREDIT_CARD:d4b39ce3>"},
      {"de89 3704 0044 0532 0130 00", "<IBAN:2a0e3cab>"},
      {"2001:DB8::1", "<IP:bb32f514>"},
      {"https://x.io/?token=abc123", "https://x.io/?token=<URL_SECRET:435953d1>"},
   };
   for(const Case& c : cases) {
      INFO("input: " << c.input);
      CHECK(apply(c.input, Action::pseudonym, &key) == c.output);
   }
}

TEST_CASE("redact/actions: pseudonyms are stable and normalised", "[redact][actions][pseudonym]") {
   const PseudonymKey key = key_from(7);
   const auto token = [&](std::string_view text) { return apply(text, Action::pseudonym, &key); };

   CHECK(token("john@example.com") == token("john@example.com"));
   CHECK(token("John@Example.com") == token("john@example.com"));
   CHECK(token("JOHN@EXAMPLE.COM") == token("john@example.com"));
   CHECK(token("john@example.com") != token("jane@example.com"));

   CHECK(token("+49 30 1234567") == token("+49-30-1234567"));
   CHECK(token("+49 30 1234567") == token("+49 (30) 1234567"));
   CHECK(token("4111 1111 1111 1111") == token("4111111111111111"));
   CHECK(token("4111-1111-1111-1111") == token("4111111111111111"));
   CHECK(token("DE89 3704 0044 0532 0130 00") == token("de89370400440532013000"));
   CHECK(token("FE80::1") == token("fe80::1"));

   // The same person in two places of one text gets the same token.
   const std::string twice = token("from ann@example.org to ANN@example.org");
   REQUIRE(twice.size() == std::string("from <EMAIL:12345678> to <EMAIL:12345678>").size());
   CHECK(twice.substr(5, 16) == twice.substr(25, 16));
}

TEST_CASE("redact/actions: pseudonyms differ across keys and types", "[redact][actions][pseudonym]") {
   const PseudonymKey a = key_from(1);
   const PseudonymKey b = key_from(2);
   constexpr std::string_view inputs[] = {"john@example.com", "+49 30 1234567", "4111111111111111", "10.0.0.1"};
   for(std::string_view input : inputs) {
      INFO("input: " << input);
      CHECK(apply(input, Action::pseudonym, &a) != apply(input, Action::pseudonym, &b));
   }
   // The type is hashed too: the same secret as a query value and as a JWT differs beyond the label.
   constexpr std::string_view jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";
   const std::string as_jwt = apply(jwt, Action::pseudonym, &a);
   const std::string as_secret = apply("?token=" + std::string(jwt), Action::pseudonym, &a);
   REQUIRE(as_jwt.size() == std::string("<JWT:12345678>").size());
   CHECK(as_jwt.substr(5, 8) != as_secret.substr(as_secret.size() - 9, 8));
}

TEST_CASE("redact/actions: output equals input without findings", "[redact][actions]") {
   constexpr std::string_view texts[] = {"", "nothing here", "Order #123456 on 2024-03-15 at 12:30:45 — 1,299.00 €"};
   for(std::string_view text : texts) {
      for(Action action : {Action::remove, Action::label, Action::mask}) {
         CHECK(apply(text, action) == text);
      }
   }
}

TEST_CASE("redact/actions: findings are reported in input offsets", "[redact][actions]") {
   const std::string_view text = "📧 john@example.com";
   auto result = redact(text, DetectorSet::all(), Action::label);
   REQUIRE(result.ok());
   CHECK(result.value().findings == leastdata::redact::find(text, DetectorSet::all()));
   REQUIRE(result.value().findings.size() == 1);
   CHECK(result.value().findings[0].start == 5);
   CHECK(result.value().findings[0].start_utf16 == 3);
}

TEST_CASE("redact/actions: pseudonym needs a key", "[redact][actions][pseudonym]") {
   auto missing = redact("john@example.com", DetectorSet::all(), Action::pseudonym, nullptr);
   REQUIRE_FALSE(missing.ok());
   CHECK(missing.error().code() == ErrorCode::invalid_argument);

   PseudonymKey empty;
   auto unset = redact("john@example.com", DetectorSet::all(), Action::pseudonym, &empty);
   REQUIRE_FALSE(unset.ok());
   CHECK(unset.error().code() == ErrorCode::invalid_argument);
}

TEST_CASE("redact/actions: the pseudonym key life cycle", "[redact][actions][pseudonym]") {
   std::array<std::uint8_t, PseudonymKey::min_size()> bytes{};
   PseudonymKey key;
   CHECK(key.empty());

   const auto short_key = key.set(bytes.data(), bytes.size() - 1);
   REQUIRE_FALSE(short_key.ok());
   CHECK(short_key.error().code() == ErrorCode::invalid_argument);
   CHECK(key.empty());

   REQUIRE(key.set(bytes.data(), bytes.size()).ok());
   CHECK_FALSE(key.empty());
   const std::string before = apply("a@b.de", Action::pseudonym, &key);

   // Replacing the key changes the tokens; moving it keeps them.
   bytes[0] = 1;
   REQUIRE(key.set(bytes.data(), bytes.size()).ok());
   const std::string after = apply("a@b.de", Action::pseudonym, &key);
   CHECK(before != after);
   PseudonymKey moved = std::move(key);
   CHECK(apply("a@b.de", Action::pseudonym, &moved) == after);

   moved.clear();
   CHECK(moved.empty());
   CHECK_FALSE(redact("a@b.de", DetectorSet::all(), Action::pseudonym, &moved).ok());
}

TEST_CASE("redact/actions: invalid UTF-8 is an error with the byte offset", "[redact][actions][utf8]") {
   struct Case {
         std::string_view input;
         std::size_t offset;
   };
   const Case cases[] = {
      {"abc\xff", 3},
      {"\x80", 0},
      {"ok \xc0\xaf", 3},               // overlong '/'
      {"\xc1\xbf", 0},                  // overlong
      {"x\xe0\x80\x80", 1},             // overlong three-byte form
      {"xx\xed\xa0\x80", 2},            // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 0},          // above U+10FFFF
      {"\xf5\x80\x80\x80", 0},
      {"ab\xe2\x82", 2},                // truncated at the end
      {"ab\xe2\x82x", 2},               // truncated before ASCII
      {"\xc3\xa9\xff", 2},              // after a valid two-byte sequence
      {"mail a@b.de from here\xfe", 21},  // after the eight-byte ASCII fast path
   };
   for(const Case& c : cases) {
      INFO("offset " << c.offset);
      for(Action action : {Action::remove, Action::label, Action::mask}) {
         auto result = redact(c.input, DetectorSet::all(), action);
         REQUIRE_FALSE(result.ok());
         CHECK(result.error().code() == ErrorCode::invalid_utf8);
         REQUIRE(result.error().offset().has_value());
         CHECK(*result.error().offset() == c.offset);
      }
   }

   constexpr std::string_view valid[] = {
      "\xf4\x8f\xbf\xbf",  // U+10FFFF
      "\xef\xbf\xbf",      // U+FFFF
      "\xed\x9f\xbf",      // U+D7FF
      "\xee\x80\x80",      // U+E000
      "\xf0\x90\x80\x80",  // U+10000
      std::string_view("a\0b", 3),
   };
   for(std::string_view text : valid) {
      CHECK(redact(text, DetectorSet::all(), Action::label).ok());
   }
}
