// Deletion certificates: a known-answer certificate (signed independently with Node's
// crypto), sign/verify round trips, and that every alteration, wrong key and malformed
// member is rejected.
#include "leastdata/certificate.hpp"

#include "leastdata/jcs.hpp"

#include "../fixtures/example_certificate.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace certificate = leastdata::certificate;
namespace crypto = leastdata::crypto;
using nlohmann::json;

namespace {

// The known answer: seed 00 01 .. 1f; certificate text, public key and signature computed by
// Node's crypto (Ed25519) over a JCS written in JavaScript, independently of this code.
constexpr const char* k_kat_key_id = leastdata::fixtures::k_example_key_id;
constexpr const char* k_kat_x = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";
constexpr const char* k_kat_certificate =
   "{\"certificate_id\":\"dc_01HZX3K9Q7W2M5N8P4R6T0V1YA\",\"completed_at\":\"2024-05-02T09:14:03.457Z\",\"deleted\":{"
   "\"agents\":3,\"jobs\":0,\"settings\":1,\"stats_rows\":40,\"tokens\":2},\"issuer\":\"leastdata endpoint, "
   "Frankfurt am Main \xe2\x80\x94 eu-central-1\",\"key_id\":\"ed25519-2024-05\",\"method\":\"crypto-erase (tenant "
   "data key destroyed), then row deletion\",\"requested_at\":\"2024-05-02T09:14:03.120Z\",\"signature\":"
   "\"bu1QBb_LAvosyWcPCTC__s0_hE5CMESp5yT-oY2tMJYS10Ks1_w-8WBL19DUcMyO3Q-QMCWsCtrNoAWlQwnaDg\",\"storage_region\":"
   "\"eu-central-1\",\"subdomain\":\"acme\",\"trigger\":\"customer_request\",\"type\":\"leastdata.deletion-"
   "certificate/v1\"}";

// The certificate and key of docs/certificates.md (tests/fixtures/example_certificate.hpp).
crypto::SigningKey kat_key() { return leastdata::fixtures::example_signing_key(); }
json kat_unsigned() { return leastdata::fixtures::example_unsigned_certificate(); }

std::string kat_jwks() {
   return std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","x":")") + k_kat_x + "\"}]}";
}

std::string jwks_of(const crypto::SigningKey& key, const std::string& key_id) {
   return certificate::jwks({{key_id, key.public_key()}}).value();
}

// Expects `verify` to fail with a message containing `reason`.
void require_rejected(const std::string& certificate_json, const std::string& jwks_json, const std::string& reason) {
   const auto result = certificate::verify(certificate_json, jwks_json);
   REQUIRE_FALSE(result.ok());
   INFO(result.error().message());
   CHECK(result.error().message().find(reason) != std::string::npos);
}

}  // namespace

TEST_CASE("a fixed key signs the known-answer certificate", "[certificate][kat]") {
   const crypto::SigningKey key = kat_key();
   CHECK(key.public_key().to_base64url() == k_kat_x);

   const auto signed_text = certificate::sign(kat_unsigned(), key, k_kat_key_id);
   REQUIRE(signed_text.ok());
   CHECK(signed_text.value() == k_kat_certificate);

   const auto published = certificate::jwks({{k_kat_key_id, key.public_key()}});
   REQUIRE(published.ok());
   CHECK(published.value() == R"({"keys":[{"crv":"Ed25519","kid":"ed25519-2024-05","kty":"OKP","x":")" +
                                 std::string(k_kat_x) + "\"}]}");

   const auto verified = certificate::verify(k_kat_certificate, kat_jwks());
   REQUIRE(verified.ok());
   const certificate::VerifiedCertificate& v = verified.value();
   CHECK(v.certificate_id == "dc_01HZX3K9Q7W2M5N8P4R6T0V1YA");
   CHECK(v.subdomain == "acme");
   CHECK(v.trigger == certificate::Trigger::customer_request);
   CHECK(certificate::trigger_name(v.trigger) == "customer_request");
   CHECK(v.requested_at == "2024-05-02T09:14:03.120Z");
   CHECK(v.completed_at == "2024-05-02T09:14:03.457Z");
   CHECK(v.deleted == std::map<std::string, std::uint64_t>{
                         {"agents", 3}, {"jobs", 0}, {"settings", 1}, {"stats_rows", 40}, {"tokens", 2}});
   CHECK(v.method == "crypto-erase (tenant data key destroyed), then row deletion");
   CHECK(v.storage_region == "eu-central-1");
   CHECK(v.issuer == "leastdata endpoint, Frankfurt am Main \xe2\x80\x94 eu-central-1");
   CHECK(v.key_id == k_kat_key_id);
}

TEST_CASE("sign then verify round-trips", "[certificate]") {
   const crypto::SigningKey key = crypto::SigningKey::generate();
   json unsigned_certificate = kat_unsigned();
   unsigned_certificate["trigger"] = "retention_inactive_30d";
   const auto signed_text = certificate::sign(unsigned_certificate, key, "k1");
   REQUIRE(signed_text.ok());

   const auto verified = certificate::verify(signed_text.value(), jwks_of(key, "k1"));
   REQUIRE(verified.ok());
   CHECK(verified.value().trigger == certificate::Trigger::retention_inactive_30d);
   CHECK(verified.value().key_id == "k1");

   SECTION("the signed text is canonical") {
      CHECK(leastdata::jcs::canonicalize(std::string_view(signed_text.value())).value() == signed_text.value());
   }
   SECTION("a key_id already present and equal is kept") {
      unsigned_certificate["key_id"] = "k1";
      const auto again = certificate::sign(unsigned_certificate, key, "k1");
      REQUIRE(again.ok());
      CHECK(again.value() == signed_text.value());
   }
   SECTION("the key set may hold several keys, of several types") {
      const crypto::SigningKey other = crypto::SigningKey::generate();
      const std::string keys = R"({"keys":[{"kty":"RSA","kid":"rsa-1","n":"AQAB","e":"AQAB"},)"
                               R"({"kty":"OKP","crv":"Ed25519","kid":"k0","x":")" +
                               other.public_key().to_base64url() +
                               R"("},{"kty":"OKP","crv":"Ed25519","kid":"k1","alg":"EdDSA","use":"sig","x":")" +
                               key.public_key().to_base64url() + R"("}],"other":true})";
      CHECK(certificate::verify(signed_text.value(), keys).ok());
   }
}

TEST_CASE("member order, whitespace and escapes do not matter (JCS)", "[certificate]") {
   json parsed = json::parse(k_kat_certificate);
   SECTION("pretty-printed") {
      CHECK(certificate::verify(parsed.dump(4), kat_jwks()).ok());
   }
   SECTION("members in reverse order, \\u escapes, 40.0 for 40") {
      std::string reordered = "{\n";
      std::vector<std::pair<std::string, json>> members;
      for(const auto& [name, value] : parsed.items()) {
         members.emplace_back(name, value);
      }
      for(auto it = members.rbegin(); it != members.rend(); ++it) {
         std::string value = it->second.dump();
         if(it->first == "subdomain") {
            value = R"("\u0061cme")";
         } else if(it->first == "deleted") {
            value = R"({ "tokens" : 2, "stats_rows" : 40.0, "settings" : 1, "jobs" : 0, "agents" : 3e0 })";
         }
         reordered += "  \"" + it->first + "\" :\t" + value + (std::next(it) == members.rend() ? "\n" : ",\n");
      }
      reordered += "}\n";
      const auto verified = certificate::verify(reordered, kat_jwks());
      REQUIRE(verified.ok());
      CHECK(verified.value().subdomain == "acme");
      CHECK(verified.value().deleted.at("stats_rows") == 40);
   }
}

TEST_CASE("every altered member breaks the signature", "[certificate]") {
   const json original = json::parse(k_kat_certificate);
   // Each replacement is well-formed, so only the signature can reject it.
   const std::vector<std::pair<std::string, json>> alterations = {
      {"certificate_id", "dc_01HZX3K9Q7W2M5N8P4R6T0V1YB"},
      {"subdomain", "acmf"},
      {"trigger", "retention_inactive_30d"},
      {"requested_at", "2024-05-02T09:14:03.121Z"},
      {"requested_at", "2024-05-02T09:14:03.12Z"},  // the same instant, other text: signed text wins
      {"completed_at", "2024-05-02T09:14:03.458Z"},
      {"deleted", {{"agents", 4}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"deleted", {{"agents", 3}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}, {"extra", 0}}},
      {"method", "row deletion"},
      {"storage_region", "us-east-1"},
      {"issuer", "someone else"},
   };
   for(const auto& [member, value] : alterations) {
      SECTION(member + " = " + value.dump()) {
         json altered = original;
         altered[member] = value;
         require_rejected(altered.dump(), kat_jwks(), "signature does not verify");
      }
   }
   SECTION("key_id changed, with a key of that id holding the same public key") {
      json altered = original;
      altered["key_id"] = "ed25519-2024-06";
      const std::string keys =
         std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-06","x":")") + k_kat_x + "\"}]}";
      require_rejected(altered.dump(), keys, "signature does not verify");
   }
   SECTION("a member added") {
      json altered = original;
      altered["note"] = "x";
      require_rejected(altered.dump(), kat_jwks(), "unknown member \"note\"");
   }
   SECTION("a member removed") {
      json altered = original;
      altered.erase("issuer");
      require_rejected(altered.dump(), kat_jwks(), "missing member \"issuer\"");
   }
   SECTION("a member repeated, as an attacker would to fool a lenient parser") {
      std::string text = k_kat_certificate;
      text.insert(text.size() - 1, R"(,"subdomain":"victim")");
      const auto result = certificate::verify(text, kat_jwks());
      REQUIRE_FALSE(result.ok());
      CHECK(result.error().code() == leastdata::ErrorCode::duplicate_key);
   }
   SECTION("every single bit of the signature") {
      const std::string signature = original["signature"];
      const auto raw = crypto::base64url_decode(signature).value();
      for(std::size_t bit = 0; bit < raw.size() * 8; bit += 3) {
         auto flipped = raw;
         flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
         json altered = original;
         altered["signature"] = crypto::base64url_encode(flipped);
         CHECK_FALSE(certificate::verify(altered.dump(), kat_jwks()).ok());
      }
   }
}

TEST_CASE("the wrong key, an unknown key id or a malformed signature fails", "[certificate]") {
   const json original = json::parse(k_kat_certificate);
   SECTION("another key under the same id") {
      require_rejected(k_kat_certificate, jwks_of(crypto::SigningKey::generate(), k_kat_key_id),
                       "signature does not verify");
   }
   SECTION("unknown key id") {
      require_rejected(k_kat_certificate, jwks_of(kat_key(), "ed25519-2023-01"), "no key with id");
      require_rejected(k_kat_certificate, R"({"keys":[]})", "no key with id");
   }
   const std::string signature = original["signature"];
   const std::vector<std::pair<const char*, std::string>> bad_signatures = {
      {"padding", signature + "=="},
      {"standard alphabet", std::string(signature).replace(signature.find('_'), 1, "/")},
      {"whitespace", signature.substr(0, 40) + " " + signature.substr(40)},
      {"truncated", signature.substr(0, 85)},
      {"too short", signature.substr(0, 84)},
      {"non-zero unused bits", signature.substr(0, 85) + "h"},
      {"empty", ""},
   };
   for(const auto& [name, bad] : bad_signatures) {
      SECTION(std::string("signature: ") + name) {
         json altered = original;
         altered["signature"] = bad;
         require_rejected(altered.dump(), kat_jwks(), "signature");
      }
   }
   SECTION("signature not a string") {
      json altered = original;
      altered["signature"] = 42;
      require_rejected(altered.dump(), kat_jwks(), "\"signature\" is not a string");
   }
   SECTION("unsigned") {
      json altered = original;
      altered.erase("signature");
      require_rejected(altered.dump(), kat_jwks(), "missing member \"signature\"");
   }
   SECTION("a signature over a non-canonical form") {
      json unsigned_certificate = original;
      unsigned_certificate.erase("signature");
      // Indented, and with non-ASCII escaped as \u2014: same data, not the canonical bytes.
      for(const std::string& form : {unsigned_certificate.dump(2), unsigned_certificate.dump(-1, ' ', true)}) {
         json altered = unsigned_certificate;
         altered["signature"] = crypto::base64url_encode(kat_key().sign(crypto::as_bytes(form)));
         require_rejected(altered.dump(), kat_jwks(), "signature does not verify");
      }
   }
}

TEST_CASE("the key set must name one Ed25519 public key", "[certificate]") {
   const std::string x = k_kat_x;
   const std::vector<std::pair<const char*, std::string>> key_sets = {
      {"not a JWKS", R"([])"},
      {"keys not an array", R"({"keys":{}})"},
      {"a key not an object", R"({"keys":["ed25519-2024-05"]})"},
      {"wrong kty", R"({"keys":[{"kty":"RSA","crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x + "\"}]}"},
      {"wrong crv", R"({"keys":[{"kty":"OKP","crv":"X25519","kid":"ed25519-2024-05","x":")" + x + "\"}]}"},
      {"no kty", R"({"keys":[{"crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x + "\"}]}"},
      {"wrong alg", R"({"keys":[{"kty":"OKP","crv":"Ed25519","alg":"ES256","kid":"ed25519-2024-05","x":")" + x + "\"}]}"},
      {"wrong use", R"({"keys":[{"kty":"OKP","crv":"Ed25519","use":"enc","kid":"ed25519-2024-05","x":")" + x + "\"}]}"},
      {"private key published", R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","d":")" + x +
                                    R"(","x":")" + x + "\"}]}"},
      {"x missing", R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05"}]}")},
      {"x too short", R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x.substr(0, 42) +
                          "\"}]}"},
      {"x with padding", R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x + "=\"}]}"},
      {"kid twice", R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x +
                        R"("},{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x + "\"}]}"},
      {"duplicate member", R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed25519-2024-05","x":")" + x +
                               R"(","x":")" + x + "\"}]}"},
      {"not JSON", "keys"},
   };
   for(const auto& [name, keys] : key_sets) {
      SECTION(name) {
         const auto result = certificate::verify(k_kat_certificate, keys);
         REQUIRE_FALSE(result.ok());
         INFO(result.error().message());
         CHECK(result.error().message().rfind("key set", 0) == 0);
      }
   }
}

TEST_CASE("sign and verify enforce the format of every member", "[certificate]") {
   const crypto::SigningKey key = kat_key();
   const std::vector<std::tuple<const char*, std::string, json>> malformed = {
      {"type", "type", "leastdata.deletion-certificate/v2"},
      {"type not a string", "type", 1},
      {"certificate_id prefix", "certificate_id", "xc_123"},
      {"certificate_id empty after prefix", "certificate_id", "dc_"},
      {"certificate_id characters", "certificate_id", "dc_12 34"},
      {"subdomain uppercase", "subdomain", "Acme"},
      {"subdomain leading hyphen", "subdomain", "-acme"},
      {"subdomain underscore", "subdomain", "ac_me"},
      {"subdomain host name", "subdomain", "acme.zendesk.com"},
      {"subdomain empty", "subdomain", ""},
      {"subdomain too long", "subdomain", std::string(64, 'a')},
      {"trigger", "trigger", "manual"},
      {"requested_at space", "requested_at", "2024-05-02 09:14:03Z"},
      {"requested_at offset", "requested_at", "2024-05-02T09:14:03+00:00"},
      {"requested_at lowercase", "requested_at", "2024-05-02t09:14:03z"},
      {"requested_at no zone", "requested_at", "2024-05-02T09:14:03"},
      {"requested_at 30 February", "requested_at", "2024-02-30T00:00:00Z"},
      {"requested_at 29 February 2023", "requested_at", "2023-02-29T00:00:00Z"},
      {"requested_at hour 24", "requested_at", "2024-05-02T24:00:00Z"},
      {"requested_at leap second", "requested_at", "2016-12-31T23:59:60Z"},
      {"requested_at empty fraction", "requested_at", "2024-05-02T09:14:03.Z"},
      {"requested_at ten fraction digits", "requested_at", "2024-05-02T09:14:03.1234567890Z"},
      {"requested_at after completed_at", "requested_at", "2024-05-02T09:14:03.458Z"},
      {"completed_at number", "completed_at", 1714641243},
      {"deleted not an object", "deleted", json::array({3, 2, 1, 40, 0})},
      {"deleted negative", "deleted", {{"agents", -1}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"deleted fraction", "deleted", {{"agents", 1.5}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"deleted string", "deleted", {{"agents", "3"}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"deleted 2^53", "deleted",
       {{"agents", std::uint64_t{1} << 53}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"deleted category missing", "deleted", {{"agents", 3}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}}},
      {"deleted category name", "deleted",
       {{"agents", 3}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}, {"Shared Tokens", 1}}},
      {"method empty", "method", ""},
      {"method control character", "method", "row deletion\nforged line"},
      {"storage_region uppercase", "storage_region", "EU-CENTRAL-1"},
      {"issuer too long", "issuer", std::string(1025, 'i')},
      {"key_id differs from the signing key's", "key_id", "other"},
      {"signature already present", "signature", "x"},
      {"unknown member", "extra", true},
   };
   for(const auto& [name, member, value] : malformed) {
      SECTION(name) {
         json unsigned_certificate = kat_unsigned();
         unsigned_certificate[member] = value;
         const auto signed_text = certificate::sign(unsigned_certificate, key, k_kat_key_id);
         REQUIRE_FALSE(signed_text.ok());
         CHECK(signed_text.error().code() == leastdata::ErrorCode::invalid_certificate);
         INFO(signed_text.error().message());
         CHECK(signed_text.error().message().find(member) != std::string::npos);

         // The same member in an otherwise valid, correctly signed certificate is rejected by verify.
         json tampered = json::parse(k_kat_certificate);
         tampered[member] = value;
         CHECK_FALSE(certificate::verify(tampered.dump(), kat_jwks()).ok());
      }
   }
   for(const char* member : {"type", "certificate_id", "subdomain", "trigger", "requested_at", "completed_at",
                             "deleted", "method", "storage_region", "issuer"}) {
      SECTION(std::string("missing ") + member) {
         json unsigned_certificate = kat_unsigned();
         unsigned_certificate.erase(member);
         CHECK_FALSE(certificate::sign(unsigned_certificate, key, k_kat_key_id).ok());
      }
   }
   SECTION("not an object, bad key ids") {
      CHECK_FALSE(certificate::sign(json::array(), key, k_kat_key_id).ok());
      CHECK_FALSE(certificate::sign(kat_unsigned(), key, "").ok());
      CHECK_FALSE(certificate::sign(kat_unsigned(), key, "key id").ok());
      CHECK_FALSE(certificate::sign(kat_unsigned(), key, std::string(129, 'k')).ok());
   }
   SECTION("a string that is not UTF-8") {
      json unsigned_certificate = kat_unsigned();
      unsigned_certificate["issuer"] = std::string("issuer \xff");
      const auto signed_text = certificate::sign(unsigned_certificate, key, k_kat_key_id);
      REQUIRE_FALSE(signed_text.ok());
      CHECK(signed_text.error().code() == leastdata::ErrorCode::invalid_utf8);
   }
}

TEST_CASE("well-formed variants are accepted", "[certificate]") {
   const crypto::SigningKey key = kat_key();
   const std::vector<std::tuple<const char*, std::string, json>> variants = {
      {"time without fraction", "completed_at", "2024-05-02T09:15:00Z"},
      {"nine fraction digits", "completed_at", "2024-05-02T09:14:03.457000001Z"},
      {"leap day", "completed_at", "2024-02-29T23:59:59Z"},  // with requested_at earlier, below
      {"same instant", "completed_at", "2024-05-02T09:14:03.12Z"},
      {"extra category", "deleted",
       {{"agents", 3}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}, {"shared_tokens", 1}}},
      {"integral float count", "deleted", {{"agents", 3.0}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"largest count", "deleted",
       {{"agents", (std::uint64_t{1} << 53) - 1}, {"tokens", 2}, {"settings", 1}, {"stats_rows", 40}, {"jobs", 0}}},
      {"subdomain with digits and hyphen", "subdomain", "acme-2"},
      {"one-letter subdomain", "subdomain", "a"},
   };
   for(const auto& [name, member, value] : variants) {
      SECTION(name) {
         json unsigned_certificate = kat_unsigned();
         unsigned_certificate["requested_at"] = "2024-01-01T00:00:00Z";
         unsigned_certificate[member] = value;
         const auto signed_text = certificate::sign(unsigned_certificate, key, k_kat_key_id);
         REQUIRE(signed_text.ok());
         CHECK(certificate::verify(signed_text.value(), kat_jwks()).ok());
      }
   }
}

TEST_CASE("size limits and key publication", "[certificate]") {
   SECTION("texts beyond 64 KiB are refused before parsing") {
      CHECK(certificate::max_certificate_size() == 65536);
      CHECK(certificate::max_keys_size() == 65536);
      const std::string padded = std::string(k_kat_certificate) + std::string(65536, ' ');
      const auto result = certificate::verify(padded, kat_jwks());
      REQUIRE_FALSE(result.ok());
      CHECK(result.error().code() == leastdata::ErrorCode::size_limit);
      const auto keys = certificate::verify(k_kat_certificate, kat_jwks() + std::string(65536, ' '));
      REQUIRE_FALSE(keys.ok());
      CHECK(keys.error().code() == leastdata::ErrorCode::size_limit);
   }
   SECTION("jwks keeps order and refuses bad or repeated ids") {
      const crypto::SigningKey a = crypto::SigningKey::generate();
      const crypto::SigningKey b = crypto::SigningKey::generate();
      const auto published = certificate::jwks({{"b", b.public_key()}, {"a", a.public_key()}});
      REQUIRE(published.ok());
      const json parsed = json::parse(published.value());
      REQUIRE(parsed["keys"].size() == 2);
      CHECK(parsed["keys"][0]["kid"] == "b");
      CHECK(parsed["keys"][1]["x"] == a.public_key().to_base64url());
      CHECK(certificate::jwks({}).value() == R"({"keys":[]})");
      CHECK_FALSE(certificate::jwks({{"a", a.public_key()}, {"a", b.public_key()}}).ok());
      CHECK_FALSE(certificate::jwks({{"", a.public_key()}}).ok());
      CHECK_FALSE(certificate::jwks({{"a\"b", a.public_key()}}).ok());
   }
}
