// Botan-backed primitives of leastdata::crypto, written so that no bad input reaches a
// Botan code path that throws.
#include "leastdata/crypto.hpp"

#include <botan/aead.h>
#include <botan/ed25519.h>
#include <botan/hmac.h>
#include <botan/kdf.h>
#include <botan/mem_ops.h>
#include <botan/pubkey.h>
#include <botan/rng.h>
#include <botan/sha2_32.h>
#include <botan/stream_cipher.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include <unistd.h>

namespace leastdata::crypto {

namespace {

constexpr char k_base64url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t k_sha256_block_size = 64;

// The 6-bit value of a base64url character, or -1.
int base64url_value(char c) noexcept {
   if(c >= 'A' && c <= 'Z') {
      return c - 'A';
   }
   if(c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
   }
   if(c >= '0' && c <= '9') {
      return c - '0' + 52;
   }
   if(c == '-') {
      return 62;
   }
   if(c == '_') {
      return 63;
   }
   return -1;
}

Error invalid(std::string message) {
   return Error(ErrorCode::invalid_argument, std::move(message));
}

// HMAC hashes keys longer than the hash's block size before use (RFC 2104 §2). Doing it
// here gives the same MAC and avoids Botan's 4096-byte key limit, which throws.
Botan::secure_vector<std::uint8_t> hmac_key(Bytes key) {
   if(key.size() <= k_sha256_block_size) {
      return Botan::secure_vector<std::uint8_t>(key.begin(), key.end());
   }
   Botan::SHA_256 sha256;
   sha256.update(key.data(), key.size());
   return sha256.final();
}

std::unique_ptr<Botan::AEAD_Mode> gcm_encryption(Bytes key, Bytes nonce, Bytes associated_data) {
   auto mode = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::ENCRYPTION);
   mode->set_key(key.data(), key.size());
   mode->set_associated_data(associated_data.data(), associated_data.size());
   mode->start(nonce.data(), nonce.size());
   return mode;
}

// Botan's System_RNG reads /dev/urandom under Emscripten, which needs the filesystem the
// wasm build leaves out; getentropy works natively and in both browsers and Node.
class EntropyRng final : public Botan::RandomNumberGenerator {
   public:
      void randomize(uint8_t output[], size_t length) override { random_bytes(std::span(output, length)); }
      bool accepts_input() const override { return false; }
      void add_entropy(const uint8_t /*input*/[], size_t /*length*/) override {}
      std::string name() const override { return "getentropy"; }
      void clear() override {}
      bool is_seeded() const override { return true; }
};

// RFC 8032 §5.1.7: S must be below the group order L = 2^252 + 27742317777372353535851937790883648493.
bool scalar_is_reduced(const std::uint8_t* s) noexcept {
   static constexpr std::array<std::uint8_t, 32> k_order = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
   };
   for(std::size_t i = k_order.size(); i-- > 0;) {  // little-endian: most significant byte last
      if(s[i] != k_order[i]) {
         return s[i] < k_order[i];
      }
   }
   return false;  // S == L
}

}  // namespace

// ---- Encoding ---------------------------------------------------------------------------

std::string base64url_encode(Bytes data) {
   std::string out;
   out.reserve((data.size() * 4 + 2) / 3);
   std::size_t i = 0;
   for(; i + 3 <= data.size(); i += 3) {
      const std::uint32_t group = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
      out += k_base64url_alphabet[(group >> 18) & 0x3F];
      out += k_base64url_alphabet[(group >> 12) & 0x3F];
      out += k_base64url_alphabet[(group >> 6) & 0x3F];
      out += k_base64url_alphabet[group & 0x3F];
   }
   const std::size_t rest = data.size() - i;
   if(rest > 0) {
      const std::uint32_t group = (std::uint32_t{data[i]} << 16) | (rest == 2 ? std::uint32_t{data[i + 1]} << 8 : 0);
      out += k_base64url_alphabet[(group >> 18) & 0x3F];
      out += k_base64url_alphabet[(group >> 12) & 0x3F];
      if(rest == 2) {
         out += k_base64url_alphabet[(group >> 6) & 0x3F];
      }
   }
   return out;
}

Result<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
   if(text.size() % 4 == 1) {
      return invalid("base64url text has an impossible length");
   }
   std::vector<std::uint8_t> out;
   out.reserve(text.size() * 3 / 4);
   std::uint32_t bits = 0;
   int bit_count = 0;
   for(std::size_t i = 0; i < text.size(); ++i) {
      const int value = base64url_value(text[i]);
      if(value < 0) {
         return invalid("invalid base64url character at offset " + std::to_string(i));
      }
      bits = (bits << 6) | static_cast<std::uint32_t>(value);
      bit_count += 6;
      if(bit_count >= 8) {
         bit_count -= 8;
         out.push_back(static_cast<std::uint8_t>(bits >> bit_count));
         bits &= (1u << bit_count) - 1;
      }
   }
   if(bits != 0) {
      return invalid("base64url text has non-zero unused bits");
   }
   return out;
}

// ---- Randomness and comparison ----------------------------------------------------------

void random_bytes(std::span<std::uint8_t> out) noexcept {
   constexpr std::size_t k_getentropy_max = 256;
   while(!out.empty()) {
      const std::size_t n = std::min(out.size(), k_getentropy_max);
      if(::getentropy(out.data(), n) != 0) {
         std::abort();
      }
      out = out.subspan(n);
   }
}

bool constant_time_equal(Bytes a, Bytes b) noexcept {
   return a.size() == b.size() && Botan::constant_time_compare(a.data(), b.data(), a.size());
}

// ---- Ed25519 ----------------------------------------------------------------------------

Result<PublicKey> PublicKey::from_bytes(Bytes bytes) {
   if(bytes.size() != ed25519_public_key_size()) {
      return invalid("an Ed25519 public key is 32 bytes");
   }
   std::array<std::uint8_t, 32> raw{};
   std::copy(bytes.begin(), bytes.end(), raw.begin());
   return PublicKey(raw);
}

Result<PublicKey> PublicKey::from_base64url(std::string_view text) {
   auto bytes = base64url_decode(text);
   if(!bytes) {
      return bytes.error();
   }
   return from_bytes(bytes.value());
}

std::string PublicKey::to_base64url() const {
   return base64url_encode(m_bytes);
}

bool PublicKey::verify(Bytes message, Bytes signature) const {
   if(signature.size() != ed25519_signature_size() || !scalar_is_reduced(signature.data() + 32)) {
      return false;
   }
#if defined(__EMSCRIPTEN__)
   // The wasm module calls Botan's raw RFC 8032 function, which its static Botan exports:
   // the key classes' vtables would drag ASN.1, the OID tables and the algorithm registry
   // (about 100 KB gzip) into a module that only verifies. Debian's shared libbotan hides
   // the raw function, so native builds go through the key class; PK_Verifier's "Pure"
   // operation is exactly this call, and the RFC 8032 vectors run on both builds.
   return Botan::ed25519_verify(message.data(), message.size(), signature.data(), m_bytes.data(), nullptr, 0);
#else
   const Botan::Ed25519_PublicKey key(std::vector<std::uint8_t>(m_bytes.begin(), m_bytes.end()));
   Botan::PK_Verifier verifier(key, "Pure");
   return verifier.verify_message(message.data(), message.size(), signature.data(), signature.size());
#endif
}

SigningKey SigningKey::generate() {
   Botan::secure_vector<std::uint8_t> seed(ed25519_seed_size());
   random_bytes(seed);
   return from_seed(seed).value();
}

Result<SigningKey> SigningKey::from_seed(Bytes seed) {
   if(seed.size() != ed25519_seed_size()) {
      return invalid("an Ed25519 seed is 32 bytes");
   }
   Botan::secure_vector<std::uint8_t> owned(seed.begin(), seed.end());
   const Botan::Ed25519_PrivateKey key(owned);
   std::array<std::uint8_t, 32> public_key{};
   const std::vector<std::uint8_t>& raw = key.get_public_key();
   std::copy(raw.begin(), raw.end(), public_key.begin());
   return SigningKey(std::move(owned), PublicKey(public_key));
}

Signature SigningKey::sign(Bytes message) const {
   const Botan::Ed25519_PrivateKey key(m_seed);
   EntropyRng rng;  // required by the interface; pure Ed25519 signing is deterministic
   Botan::PK_Signer signer(key, rng, "Pure");
   const std::vector<std::uint8_t> raw = signer.sign_message(message.data(), message.size(), rng);
   Signature signature{};
   std::copy(raw.begin(), raw.end(), signature.begin());
   return signature;
}

// ---- MAC and key derivation -------------------------------------------------------------

std::array<std::uint8_t, hmac_sha256_size()> hmac_sha256(Bytes key, Bytes message) {
   Botan::HMAC mac(std::make_unique<Botan::SHA_256>().release());  // HMAC takes ownership
   mac.set_key(hmac_key(key));
   mac.update(message.data(), message.size());
   std::array<std::uint8_t, 32> out{};
   mac.final(out.data());
   return out;
}

Result<Botan::secure_vector<std::uint8_t>> hkdf_sha256(Bytes input_key, Bytes salt, Bytes info, std::size_t length) {
   if(length > hkdf_sha256_max_size()) {
      // Botan would silently return fewer bytes.
      return invalid("HKDF-SHA256 yields at most 8160 bytes");
   }
   auto kdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
   const auto salt_key = hmac_key(salt);  // the salt is the HMAC key of the extract step
   Botan::secure_vector<std::uint8_t> out(length);
   kdf->kdf(out.data(), out.size(), input_key.data(), input_key.size(), salt_key.data(), salt_key.size(),
            info.data(), info.size());
   return out;
}

// ---- Authenticated encryption -----------------------------------------------------------

Result<std::vector<std::uint8_t>> aes256_gcm_seal(Bytes key, Bytes plaintext, Bytes associated_data) {
   if(key.size() != aes256_gcm_key_size()) {
      return invalid("an AES-256-GCM key is 32 bytes");
   }
   std::array<std::uint8_t, 12> nonce{};
   random_bytes(nonce);
   Botan::secure_vector<std::uint8_t> buffer(plaintext.begin(), plaintext.end());
   gcm_encryption(key, nonce, associated_data)->finish(buffer);

   std::vector<std::uint8_t> sealed;
   sealed.reserve(nonce.size() + buffer.size());
   sealed.insert(sealed.end(), nonce.begin(), nonce.end());
   sealed.insert(sealed.end(), buffer.begin(), buffer.end());
   return sealed;
}

// Botan's GCM decryption reports a wrong tag by throwing: an abort that skips every
// destructor (and so every wipe) in wasm code built without exceptions, and JS-emulated
// unwinding in code built with them. Instead: decrypt with AES-256-CTR from the counter GCM
// uses for data (J0 + 1, J0 being nonce || 00000001), re-encrypt with GCM to recompute the
// tag over the received ciphertext, and compare tags in constant time. The plaintext is
// released only on a match; otherwise its secure_vector is zeroed on the way out.
Result<Botan::secure_vector<std::uint8_t>> aes256_gcm_open(Bytes key, Bytes sealed, Bytes associated_data) {
   if(key.size() != aes256_gcm_key_size()) {
      return invalid("an AES-256-GCM key is 32 bytes");
   }
   if(sealed.size() < aes256_gcm_overhead()) {
      return invalid("sealed data is shorter than nonce and tag");
   }
   const Bytes nonce = sealed.first(aes256_gcm_nonce_size());
   const Bytes tag = sealed.last(aes256_gcm_tag_size());
   const Bytes ciphertext = sealed.subspan(nonce.size(), sealed.size() - aes256_gcm_overhead());

   std::array<std::uint8_t, 16> counter{};
   std::copy(nonce.begin(), nonce.end(), counter.begin());
   counter[15] = 2;
   auto ctr = Botan::StreamCipher::create_or_throw("CTR-BE(AES-256,4)");
   ctr->set_key(key.data(), key.size());
   ctr->set_iv(counter.data(), counter.size());
   Botan::secure_vector<std::uint8_t> plaintext(ciphertext.begin(), ciphertext.end());
   ctr->cipher1(plaintext.data(), plaintext.size());

   Botan::secure_vector<std::uint8_t> resealed(plaintext);
   gcm_encryption(key, nonce, associated_data)->finish(resealed);
   if(!constant_time_equal(Bytes(resealed).last(aes256_gcm_tag_size()), tag)) {
      return invalid("AES-256-GCM authentication failed");
   }
   return plaintext;
}

}  // namespace leastdata::crypto
