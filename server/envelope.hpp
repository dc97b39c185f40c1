// Envelope encryption at rest (DESIGN §7): every tenant has a random 32-byte data key;
// the data key is stored wrapped (AES-256-GCM) by the current master key; tokens, agent
// emails, settings and the tenant's JWT secret are sealed (AES-256-GCM) under the data key.
//
// Every blob starts with a 7-byte header: "LD", a format byte (1), and the big-endian
// 32-bit version of the key that sealed it (master key version for wrapped data keys,
// data key version for values). The associated data is the header followed by the
// length-prefixed context (table, column, tenant id, row key), so a ciphertext copied to
// another row, column, table or tenant — or relabelled with another key version — fails
// to open. Destroying a tenant's wrapped data key makes all its ciphertexts unreadable
// (crypto-erase).
#pragma once

#include "keys.hpp"

#include <botan/secmem.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata::server {

using Blob = std::vector<std::uint8_t>;

/// A ciphertext that does not open: tampering, a wrong key, or a missing master key version.
class IntegrityError final : public std::runtime_error {
   public:
      using std::runtime_error::runtime_error;
};

struct DataKey {
      std::uint32_t version;
      Botan::secure_vector<std::uint8_t> bytes;
};

/// Where a ciphertext lives; all four parts are bound into its associated data.
struct SealContext {
      std::string_view table;
      std::string_view column;
      std::string_view tenant_id;
      std::string_view row;
};

namespace envelope {

inline constexpr std::uint32_t k_data_key_version = 1;

/// The size of the header in front of every blob.
constexpr std::size_t header_size() noexcept { return 7; }

DataKey generate_data_key();

/// The key version written in a blob's header; throws IntegrityError if there is no valid header.
std::uint32_t key_version(const Blob& blob);

Blob wrap(const MasterKey& master, const DataKey& key, std::string_view tenant_id);

/// Looks up the master key version named in the header (reloading the keyring once).
DataKey unwrap(Keyring& keyring, const Blob& wrapped, std::uint32_t data_key_version, std::string_view tenant_id);

Blob seal(const DataKey& key, const SealContext& context, std::string_view plaintext);

/// The plaintext as a secure_vector (zeroed when released).
Botan::secure_vector<std::uint8_t> open(const DataKey& key, const SealContext& context, const Blob& sealed);

/// `open`, as a string, for values handed on in a response.
std::string open_string(const DataKey& key, const SealContext& context, const Blob& sealed);

}  // namespace envelope

}  // namespace leastdata::server
