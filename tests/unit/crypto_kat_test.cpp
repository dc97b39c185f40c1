// Known-answer tests of leastdata::crypto against the published vectors: RFC 8032 (Ed25519),
// RFC 4231 (HMAC-SHA256), RFC 5869 (HKDF-SHA256) and the GCM specification of McGrew and
// Viega (AES-256-GCM test cases 13, 14, 15, 16). They run natively and under wasm, so both
// Botan builds are checked.
#include "leastdata/crypto.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crypto = leastdata::crypto;

namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
   const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
   std::vector<std::uint8_t> out;
   for(std::size_t i = 0; i + 1 < text.size(); i += 2) {
      out.push_back(static_cast<std::uint8_t>(nibble(text[i]) * 16 + nibble(text[i + 1])));
   }
   return out;
}

std::vector<std::uint8_t> repeat(std::uint8_t byte, std::size_t n) {
   return std::vector<std::uint8_t>(n, byte);
}

std::vector<std::uint8_t> text_bytes(std::string_view text) {
   return std::vector<std::uint8_t>(text.begin(), text.end());
}

template <typename Bytes>
std::vector<std::uint8_t> vec(const Bytes& bytes) {
   return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

}  // namespace

TEST_CASE("Ed25519 RFC 8032 section 7.1 test vectors", "[crypto][kat]") {
   const struct {
         const char* name;
         const char* secret_key;
         const char* public_key;
         const char* message;
         const char* signature;
   } vectors[] = {
      {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe2"
       "4655141438e7a100b"},
      {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302ae"
       "eb00d291612bb0c00"},
      {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
       "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
       "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28"
       "dc027beceea1ec40a"},
      {"TEST SHA(abc)", "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
       "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80"
       "e2a9ac94fa54ca49f",
       "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17"
       "ad9bef1177331a704"},
   };
   for(const auto& v : vectors) {
      SECTION(v.name) {
         const auto key = crypto::SigningKey::from_seed(hex(v.secret_key));
         REQUIRE(key.ok());
         CHECK(vec(key.value().public_key().bytes()) == hex(v.public_key));
         CHECK(vec(key.value().seed()) == hex(v.secret_key));

         const auto message = hex(v.message);
         const crypto::Signature signature = key.value().sign(message);
         CHECK(vec(signature) == hex(v.signature));

         const auto public_key = crypto::PublicKey::from_bytes(hex(v.public_key));
         REQUIRE(public_key.ok());
         CHECK(public_key.value().verify(message, hex(v.signature)));
         auto flipped = hex(v.signature);
         flipped[10] ^= 0x01;
         CHECK_FALSE(public_key.value().verify(message, flipped));
      }
   }
}

TEST_CASE("Ed25519 rejects a signature whose S is not reduced (RFC 8032 section 5.1.7)", "[crypto][kat]") {
   // TEST 1 with L added to S: the same point equation holds, so only the S < L check
   // rejects it. L = 2^252 + 27742317777372353535851937790883648493, little-endian.
   const auto public_key = crypto::PublicKey::from_bytes(hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
   REQUIRE(public_key.ok());
   auto signature = hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b4"
                        "6bd25bf5f0595bbe24655141438e7a100b");
   const auto order = hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
   unsigned carry = 0;
   for(std::size_t i = 0; i < 32; ++i) {
      const unsigned sum = signature[32 + i] + order[i] + carry;
      signature[32 + i] = static_cast<std::uint8_t>(sum);
      carry = sum >> 8;
   }
   REQUIRE(carry == 0);
   REQUIRE((signature[63] & 0xE0) == 0);  // passes Botan's own top-bits check
   CHECK_FALSE(public_key.value().verify({}, signature));
}

TEST_CASE("HMAC-SHA256 RFC 4231 test cases", "[crypto][kat]") {
   const struct {
         const char* name;
         std::vector<std::uint8_t> key;
         std::vector<std::uint8_t> data;
         const char* mac;  // test case 5 gives only the first 128 bits
   } cases[] = {
      {"1", repeat(0x0b, 20), text_bytes("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"2", text_bytes("Jefe"), text_bytes("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"3", repeat(0xaa, 20), repeat(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4", hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"5", repeat(0x0c, 20), text_bytes("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b"},
      {"6", repeat(0xaa, 131), text_bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"7", repeat(0xaa, 131),
       text_bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs "
                  "to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
   };
   for(const auto& c : cases) {
      SECTION(std::string("test case ") + c.name) {
         const auto mac = crypto::hmac_sha256(c.key, c.data);
         const auto expected = hex(c.mac);
         CHECK(std::vector<std::uint8_t>(mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(expected.size())) ==
               expected);
      }
   }
   SECTION("a key longer than Botan's 4096-byte HMAC key limit") {
      // HMAC hashes keys longer than a block first (RFC 2104 section 2). Expected value from
      // Node's crypto.createHmac.
      const auto mac = crypto::hmac_sha256(repeat(0x5a, 5000), text_bytes("m"));
      CHECK(vec(mac) == hex("c4b55843736e87c653967eb631f1800061a638be28e4422d79ca4083db734ef0"));
   }
}

TEST_CASE("HKDF-SHA256 RFC 5869 test cases", "[crypto][kat]") {
   SECTION("test case 1") {
      const auto okm = crypto::hkdf_sha256(repeat(0x0b, 22), hex("000102030405060708090a0b0c"),
                                           hex("f0f1f2f3f4f5f6f7f8f9"), 42);
      REQUIRE(okm.ok());
      CHECK(vec(okm.value()) ==
            hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
   }
   SECTION("test case 2: long inputs") {
      std::vector<std::uint8_t> ikm, salt, info;
      for(int i = 0; i < 80; ++i) {
         ikm.push_back(static_cast<std::uint8_t>(i));
         salt.push_back(static_cast<std::uint8_t>(0x60 + i));
         info.push_back(static_cast<std::uint8_t>(0xb0 + i));
      }
      const auto okm = crypto::hkdf_sha256(ikm, salt, info, 82);
      REQUIRE(okm.ok());
      CHECK(vec(okm.value()) ==
            hex("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da32"
                "75600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"));
   }
   SECTION("test case 3: no salt, no info") {
      const auto okm = crypto::hkdf_sha256(repeat(0x0b, 22), {}, {}, 42);
      REQUIRE(okm.ok());
      CHECK(vec(okm.value()) ==
            hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
   }
   SECTION("a salt longer than Botan's 4096-byte HMAC key limit (expected value from Node's crypto.hkdfSync)") {
      const auto okm = crypto::hkdf_sha256(text_bytes("input key"), repeat(0x33, 5000), text_bytes("info"), 32);
      REQUIRE(okm.ok());
      CHECK(vec(okm.value()) == hex("b66f2b3afa25e2dd1f32bd37b93839a20e4f717e278189e99d7d13365e7d561e"));
   }
   SECTION("output length limit") {
      CHECK(crypto::hkdf_sha256(repeat(1, 32), {}, {}, crypto::hkdf_sha256_max_size()).ok());
      const auto too_long = crypto::hkdf_sha256(repeat(1, 32), {}, {}, crypto::hkdf_sha256_max_size() + 1);
      REQUIRE_FALSE(too_long.ok());
      CHECK(too_long.error().code() == leastdata::ErrorCode::invalid_argument);
   }
}

TEST_CASE("AES-256-GCM test cases of the GCM specification", "[crypto][kat]") {
   // aes256_gcm_open takes nonce || ciphertext || tag, the layout aes256_gcm_seal writes.
   const struct {
         const char* name;
         const char* key;
         const char* nonce;
         const char* plaintext;
         const char* associated_data;
         const char* ciphertext;
         const char* tag;
   } cases[] = {
      {"13", "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000", "", "", "",
       "530f8afbc74536b9a963b4f1c4cb738b"},
      {"14", "0000000000000000000000000000000000000000000000000000000000000000", "000000000000000000000000",
       "00000000000000000000000000000000", "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
      {"15", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
       "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de65"
       "7ba637b391aafd255",
       "",
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0"
       "abcc9f662898015ad",
       "b094dac5d93471bdec1a502270e3cc6c"},
      {"16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
       "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de65"
       "7ba637b39",
       "feedfacedeadbeeffeedfacedeadbeefabaddad2",
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0"
       "abcc9f662",
       "76fc6ece0f4e1768cddf8853bb2d551b"},
   };
   for(const auto& c : cases) {
      SECTION(std::string("test case ") + c.name) {
         auto sealed = hex(c.nonce);
         for(const auto& part : {hex(c.ciphertext), hex(c.tag)}) {
            sealed.insert(sealed.end(), part.begin(), part.end());
         }
         const auto opened = crypto::aes256_gcm_open(hex(c.key), sealed, hex(c.associated_data));
         REQUIRE(opened.ok());
         CHECK(vec(opened.value()) == hex(c.plaintext));

         auto forged = sealed;
         forged.back() ^= 0x80;
         CHECK_FALSE(crypto::aes256_gcm_open(hex(c.key), forged, hex(c.associated_data)).ok());
      }
   }
}
