// leastdata::crypto beyond the published vectors: base64url strictness, round trips, and
// that every alteration of a signed or sealed message is detected.
#include "leastdata/crypto.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crypto = leastdata::crypto;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) {
   return std::vector<std::uint8_t>(text.begin(), text.end());
}

}  // namespace

TEST_CASE("base64url encodes RFC 4648 test vectors without padding", "[crypto][base64url]") {
   const std::pair<const char*, const char*> vectors[] = {
      {"", ""},        {"f", "Zg"},         {"fo", "Zm8"},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
   };
   for(const auto& [plain, encoded] : vectors) {
      CHECK(crypto::base64url_encode(crypto::as_bytes(plain)) == encoded);
      const auto decoded = crypto::base64url_decode(encoded);
      REQUIRE(decoded.ok());
      CHECK(decoded.value() == bytes_of(plain));
   }
   SECTION("the URL-safe alphabet") {
      const std::vector<std::uint8_t> data = {0xfb, 0xff, 0xbf};
      CHECK(crypto::base64url_encode(data) == "-_-_");
      const auto decoded = crypto::base64url_decode("-_-_");
      REQUIRE(decoded.ok());
      CHECK(decoded.value() == data);
   }
   SECTION("every byte value round-trips") {
      std::vector<std::uint8_t> all(256);
      for(std::size_t i = 0; i < all.size(); ++i) {
         all[i] = static_cast<std::uint8_t>(i);
      }
      for(std::size_t length = 0; length <= all.size(); length += 7) {
         const std::vector<std::uint8_t> data(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(length));
         const auto decoded = crypto::base64url_decode(crypto::base64url_encode(data));
         REQUIRE(decoded.ok());
         CHECK(decoded.value() == data);
      }
   }
}

TEST_CASE("base64url decoding is strict", "[crypto][base64url]") {
   for(const char* text : {
          "Zg==",      // padding
          "Zm8=",      // padding
          "Zm9v\n",    // whitespace
          "Zm9v Yg",   // whitespace
          " Zm9v",     // whitespace
          "Zm+v",      // standard base64 alphabet
          "Zm/v",      // standard base64 alphabet
          "Z",         // a length of 1 mod 4 encodes no whole byte
          "Zm9vY",     // likewise
          "Zh",        // non-zero unused bits ("Zg" is the canonical form)
          "Zm9",       // non-zero unused bits ("Zm8")
          "Zm9v\xc3\xa9",  // non-ASCII
       }) {
      INFO(text);
      const auto decoded = crypto::base64url_decode(text);
      REQUIRE_FALSE(decoded.ok());
      CHECK(decoded.error().code() == leastdata::ErrorCode::invalid_argument);
   }
   CHECK_FALSE(crypto::base64url_decode(std::string_view("Zm\0v", 4)).ok());  // embedded NUL
}

TEST_CASE("random bytes come from the system and fill any length", "[crypto]") {
   std::array<std::uint8_t, 32> a{};
   std::array<std::uint8_t, 32> b{};
   crypto::random_bytes(a);
   crypto::random_bytes(b);
   CHECK(a != b);
   std::vector<std::uint8_t> large(1000);  // beyond getentropy's 256 bytes per call
   crypto::random_bytes(large);
   CHECK(std::count(large.end() - 256, large.end(), 0) < 32);
}

TEST_CASE("constant_time_equal compares contents and lengths", "[crypto]") {
   const auto abc = bytes_of("abc");
   CHECK(crypto::constant_time_equal(abc, bytes_of("abc")));
   CHECK_FALSE(crypto::constant_time_equal(abc, bytes_of("abd")));
   CHECK_FALSE(crypto::constant_time_equal(abc, bytes_of("ab")));
   CHECK(crypto::constant_time_equal({}, {}));
}

TEST_CASE("Ed25519 keys sign and verify", "[crypto][ed25519]") {
   const crypto::SigningKey key = crypto::SigningKey::generate();
   CHECK(key.seed().size() == crypto::ed25519_seed_size());
   const auto message = bytes_of("delete everything about acme");
   const crypto::Signature signature = key.sign(message);
   CHECK(key.public_key().verify(message, signature));

   SECTION("signing is deterministic") {
      CHECK(key.sign(message) == signature);
   }
   SECTION("the same seed gives the same key") {
      const auto again = crypto::SigningKey::from_seed(key.seed());
      REQUIRE(again.ok());
      CHECK(again.value().public_key() == key.public_key());
   }
   SECTION("public keys round-trip through base64url") {
      const std::string x = key.public_key().to_base64url();
      CHECK(x.size() == 43);
      const auto decoded = crypto::PublicKey::from_base64url(x);
      REQUIRE(decoded.ok());
      CHECK(decoded.value() == key.public_key());
   }
   SECTION("another message, another key, or an altered signature does not verify") {
      CHECK_FALSE(key.public_key().verify(bytes_of("delete everything about acmf"), signature));
      CHECK_FALSE(crypto::SigningKey::generate().public_key().verify(message, signature));
      for(std::size_t i = 0; i < signature.size(); i += 5) {
         crypto::Signature altered = signature;
         altered[i] ^= 0x04;
         CHECK_FALSE(key.public_key().verify(message, altered));
      }
      CHECK_FALSE(key.public_key().verify(message, std::span(signature).first(63)));
      CHECK_FALSE(key.public_key().verify(message, {}));
   }
   SECTION("wrong sizes are errors") {
      CHECK_FALSE(crypto::SigningKey::from_seed(std::vector<std::uint8_t>(31)).ok());
      CHECK_FALSE(crypto::SigningKey::from_seed(std::vector<std::uint8_t>(64)).ok());
      CHECK_FALSE(crypto::PublicKey::from_bytes(std::vector<std::uint8_t>(33)).ok());
      CHECK_FALSE(crypto::PublicKey::from_base64url("AAAA").ok());
      CHECK_FALSE(crypto::PublicKey::from_base64url("not base64url!").ok());
   }
}

TEST_CASE("AES-256-GCM seals and opens", "[crypto][aes-gcm]") {
   std::vector<std::uint8_t> key(crypto::aes256_gcm_key_size());
   crypto::random_bytes(key);
   const auto plaintext = bytes_of("zendesk oauth token: 0123456789abcdef");
   const auto associated_data = bytes_of("tenant=acme;table=tokens;column=value;row=42");

   const auto sealed = crypto::aes256_gcm_seal(key, plaintext, associated_data);
   REQUIRE(sealed.ok());
   CHECK(sealed.value().size() == plaintext.size() + crypto::aes256_gcm_overhead());
   const auto opened = crypto::aes256_gcm_open(key, sealed.value(), associated_data);
   REQUIRE(opened.ok());
   CHECK(std::vector<std::uint8_t>(opened.value().begin(), opened.value().end()) == plaintext);

   SECTION("each seal uses a fresh nonce") {
      const auto again = crypto::aes256_gcm_seal(key, plaintext, associated_data);
      REQUIRE(again.ok());
      CHECK(again.value() != sealed.value());
      CHECK(!std::equal(again.value().begin(), again.value().begin() + 12, sealed.value().begin()));
   }
   SECTION("empty plaintext and empty associated data") {
      const auto empty = crypto::aes256_gcm_seal(key, {}, {});
      REQUIRE(empty.ok());
      CHECK(empty.value().size() == crypto::aes256_gcm_overhead());
      const auto back = crypto::aes256_gcm_open(key, empty.value(), {});
      REQUIRE(back.ok());
      CHECK(back.value().empty());
   }
   SECTION("a long plaintext (many counter blocks)") {
      std::vector<std::uint8_t> long_text(70000);
      crypto::random_bytes(long_text);
      const auto long_sealed = crypto::aes256_gcm_seal(key, long_text, associated_data);
      REQUIRE(long_sealed.ok());
      const auto back = crypto::aes256_gcm_open(key, long_sealed.value(), associated_data);
      REQUIRE(back.ok());
      CHECK(std::equal(back.value().begin(), back.value().end(), long_text.begin(), long_text.end()));
   }
   SECTION("any altered byte of nonce, ciphertext or tag is rejected") {
      for(std::size_t i = 0; i < sealed.value().size(); ++i) {
         auto altered = sealed.value();
         altered[i] ^= 0x01;
         INFO("byte " << i);
         const auto result = crypto::aes256_gcm_open(key, altered, associated_data);
         REQUIRE_FALSE(result.ok());
         CHECK(result.error().code() == leastdata::ErrorCode::invalid_argument);
      }
   }
   SECTION("other associated data or another key is rejected") {
      CHECK_FALSE(crypto::aes256_gcm_open(key, sealed.value(), bytes_of("tenant=acme;table=tokens;column=value;row=43")).ok());
      CHECK_FALSE(crypto::aes256_gcm_open(key, sealed.value(), {}).ok());
      auto other_key = key;
      other_key[0] ^= 0x80;
      CHECK_FALSE(crypto::aes256_gcm_open(other_key, sealed.value(), associated_data).ok());
   }
   SECTION("truncated input and wrong key sizes are errors") {
      const auto& s = sealed.value();
      CHECK_FALSE(crypto::aes256_gcm_open(key, std::span(s).first(crypto::aes256_gcm_overhead() - 1), associated_data).ok());
      CHECK_FALSE(crypto::aes256_gcm_open(key, std::span(s).first(s.size() - 1), associated_data).ok());
      CHECK_FALSE(crypto::aes256_gcm_seal(std::span(key).first(16), plaintext, {}).ok());
      CHECK_FALSE(crypto::aes256_gcm_open(std::span(key).first(31), s, associated_data).ok());
   }
}
