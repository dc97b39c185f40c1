// The cryptographic primitives leastdata uses, as thin wrappers over Botan 2, shared by the
// endpoint (native: signs certificates, encrypts at rest) and the browser module (wasm:
// verifies certificates, keyed pseudonyms).
//
// Keys and seeds live in `Botan::secure_vector`, which zeroes on release. Nothing here
// throws on bad input, so code compiled without exceptions can call it and wasm pays for no
// JS-emulated unwinding: failures are `Error`s with code `invalid_argument`. (Botan throws
// only if the build lacks a module: a build defect.) Sizes are exposed as functions, as
// libsodium does.
#pragma once

#include "leastdata/error.hpp"

#include <botan/secmem.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leastdata::crypto {

/// Read-only bytes: any contiguous byte container converts (std::vector, secure_vector, std::array).
using Bytes = std::span<const std::uint8_t>;

/// The bytes of a string, without a copy.
inline Bytes as_bytes(std::string_view text) noexcept {
   return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::size_t ed25519_public_key_size() noexcept { return 32; }
constexpr std::size_t ed25519_seed_size() noexcept { return 32; }
constexpr std::size_t ed25519_signature_size() noexcept { return 64; }
constexpr std::size_t hmac_sha256_size() noexcept { return 32; }
constexpr std::size_t hkdf_sha256_max_size() noexcept { return 255 * 32; }
constexpr std::size_t aes256_gcm_key_size() noexcept { return 32; }
constexpr std::size_t aes256_gcm_nonce_size() noexcept { return 12; }
constexpr std::size_t aes256_gcm_tag_size() noexcept { return 16; }
/// What `aes256_gcm_seal` adds to the plaintext: the nonce in front, the tag behind.
constexpr std::size_t aes256_gcm_overhead() noexcept { return aes256_gcm_nonce_size() + aes256_gcm_tag_size(); }

// ---- Encoding ---------------------------------------------------------------------------

/// Base64url (RFC 4648 §5) without padding.
std::string base64url_encode(Bytes data);

/// Strict inverse of `base64url_encode`: rejects padding, whitespace, characters outside the
/// base64url alphabet, a length of 1 mod 4 and non-zero unused trailing bits, so every byte
/// string has exactly one accepted encoding.
Result<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

// ---- Randomness and comparison ----------------------------------------------------------

/// Fills `out` from the operating system's CSPRNG (getentropy: getrandom(2) natively,
/// crypto.getRandomValues or Node's crypto under Emscripten, which needs no filesystem).
/// Aborts the process if there is none, as libsodium does: continuing would be worse.
void random_bytes(std::span<std::uint8_t> out) noexcept;

/// Whether `a` and `b` are equal, in time that depends only on their lengths.
bool constant_time_equal(Bytes a, Bytes b) noexcept;

// ---- Ed25519 (RFC 8032, pure) -----------------------------------------------------------

using Signature = std::array<std::uint8_t, 64>;

/// A raw 32-byte Ed25519 public key.
class PublicKey final {
   public:
      explicit PublicKey(const std::array<std::uint8_t, 32>& bytes) noexcept : m_bytes(bytes) {}

      /// Exactly `ed25519_public_key_size()` bytes.
      static Result<PublicKey> from_bytes(Bytes bytes);
      static Result<PublicKey> from_base64url(std::string_view text);

      const std::array<std::uint8_t, 32>& bytes() const noexcept { return m_bytes; }
      std::string to_base64url() const;

      /// Whether `signature` is a valid Ed25519 signature of `message` under this key.
      /// Rejects signatures whose scalar S is not reduced (S >= L), as RFC 8032 §5.1.7
      /// requires, so a valid signature cannot be altered into a second valid one.
      bool verify(Bytes message, Bytes signature) const;

      friend bool operator==(const PublicKey&, const PublicKey&) = default;

   private:
      std::array<std::uint8_t, 32> m_bytes;
};

/// An Ed25519 private key, held as its 32-byte seed (RFC 8032's "private key").
class SigningKey final {
   public:
      static SigningKey generate();
      /// Exactly `ed25519_seed_size()` bytes.
      static Result<SigningKey> from_seed(Bytes seed);

      const Botan::secure_vector<std::uint8_t>& seed() const noexcept { return m_seed; }
      const PublicKey& public_key() const noexcept { return m_public_key; }

      Signature sign(Bytes message) const;

   private:
      SigningKey(Botan::secure_vector<std::uint8_t> seed, const PublicKey& public_key) :
         m_seed(std::move(seed)), m_public_key(public_key) {}

      Botan::secure_vector<std::uint8_t> m_seed;
      PublicKey m_public_key;
};

// ---- MAC and key derivation -------------------------------------------------------------

/// HMAC-SHA256 (RFC 2104); any key length.
std::array<std::uint8_t, hmac_sha256_size()> hmac_sha256(Bytes key, Bytes message);

/// HKDF-SHA256 (RFC 5869) extract-and-expand; `length` up to `hkdf_sha256_max_size()`.
Result<Botan::secure_vector<std::uint8_t>> hkdf_sha256(Bytes input_key, Bytes salt, Bytes info, std::size_t length);

// ---- Authenticated encryption -----------------------------------------------------------

/// AES-256-GCM under a fresh random 12-byte nonce. Returns nonce || ciphertext || tag.
/// `associated_data` is authenticated, not encrypted: bind the ciphertext to its context.
Result<std::vector<std::uint8_t>> aes256_gcm_seal(Bytes key, Bytes plaintext, Bytes associated_data);

/// Inverse of `aes256_gcm_seal`: fails, releasing nothing, if the key, nonce, ciphertext,
/// tag or associated data differ from those sealed.
Result<Botan::secure_vector<std::uint8_t>> aes256_gcm_open(Bytes key, Bytes sealed, Bytes associated_data);

}  // namespace leastdata::crypto
