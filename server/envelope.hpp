// Envelope encryption at rest (DESIGN §7): every tenant has a random 32-byte data key;
// tokens, agent emails, settings, job contents and the tenant's JWT secret are sealed
// (AES-256-GCM) under it. The data key is stored wrapped (AES-256-GCM) under a key derived
// (HKDF-SHA256) from the current master key together with the tenant's own key-encryption
// key, a file in the keys directory (keys.hpp). A deletion destroys that file, so every
// copy of the wrapped key — in a backup, a dead tuple, a WAL frame — stays closed even to
// an operator holding every key that remains (crypto-erase; docs/certificates.md).
//
// Every blob starts with a 7-byte header: "LD", a format byte, and the big-endian 32-bit
// version of the key that sealed it (master key version for wrapped data keys, data key
// version for values). Format 1: a sealed value, or a data key wrapped under the master
// key alone (tenants created before per-tenant keys; rotate-master-key upgrades them).
// Format 2: a data key wrapped under master and tenant key. The associated data is the
// header followed by the length-prefixed context (table, column, tenant id, row key), so a
// ciphertext copied to another row, column, table or tenant — or relabelled with another
// key version or format — fails to open.
#pragma once

#include "keys.hpp"

#include <botan/secmem.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata::server {

using Blob = std::vector<std::uint8_t>;

/// A ciphertext that does not open: tampering, a wrong key, or a missing master key version.
class IntegrityError : public std::runtime_error {
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

/// A data key whose tenant key file is gone: the tenant was erased (a database restored
/// from a backup older than its deletion, or a deletion that did not commit).
class KeyDestroyedError final : public IntegrityError {
   public:
      using IntegrityError::IntegrityError;
};

namespace envelope {

inline constexpr std::uint32_t k_data_key_version = 1;

/// The size of the header in front of every blob.
constexpr std::size_t header_size() noexcept { return 7; }

DataKey generate_data_key();

/// The key version written in a blob's header; throws IntegrityError if there is no valid header.
std::uint32_t key_version(const Blob& blob);

/// Wraps under the master key and the tenant's key-encryption key (format 2).
Blob wrap(const MasterKey& master, std::span<const std::uint8_t> tenant_key, const DataKey& key,
          std::string_view tenant_id);

/// True for format 2: unwrapping needs the tenant's key file. Throws IntegrityError for a
/// blob without a valid header.
bool needs_tenant_key(const Blob& wrapped);

/// Looks up the master key version named in the header (reloading the keyring once) and,
/// for format 2, the tenant's key file; throws KeyDestroyedError if that file is gone and
/// IntegrityError for anything else that does not open.
DataKey unwrap(Keyring& keyring, const Blob& wrapped, std::uint32_t data_key_version, std::string_view tenant_id);

Blob seal(const DataKey& key, const SealContext& context, std::string_view plaintext);

/// The plaintext as a secure_vector (zeroed when released).
Botan::secure_vector<std::uint8_t> open(const DataKey& key, const SealContext& context, const Blob& sealed);

/// `open`, as a string, for values handed on in a response.
std::string open_string(const DataKey& key, const SealContext& context, const Blob& sealed);

}  // namespace envelope

}  // namespace leastdata::server
