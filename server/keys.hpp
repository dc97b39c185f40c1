// The keys directory (`--keys DIR`): versioned master keys and the certificate signing key.
//
//   master-v<N>.key             base64url of 32 random bytes; the highest N is current
//   tenants/<tenant id>.key     base64url of 32 random bytes: the tenant's key-encryption key
//   ed25519-signing.key         {"kid":"ed25519-...","seed":"<base64url of the 32-byte seed>"}
//
// Files are created with mode 0600 (directories 0700) and refused at load if group or
// others may read them. A tenant's data key is wrapped under both the current master key
// and the tenant's key-encryption key (envelope.hpp), and that file is destroyed when the
// tenant is deleted: a database copy made before the deletion (a backup, PostgreSQL's dead
// tuples, SQLite's WAL) then holds a wrapped key that nothing left can unwrap. That is why
// the tenant keys live here, outside the database, and why this directory must never be
// backed up (docs/operations.md, "Erasure"). The signing key only signs certificates.
#pragma once

#include "leastdata/crypto.hpp"

#include <botan/secmem.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata::server {

class KeyError final : public std::runtime_error {
   public:
      using std::runtime_error::runtime_error;
};

struct MasterKey {
      std::uint32_t version;
      Botan::secure_vector<std::uint8_t> bytes;
};

/// The master keys of a directory, shared by the threads of `serve`. A version it lacks
/// (another process rotated the keys) is looked up again on disk before failing, and
/// each reload also forgets versions that were retired.
class Keyring final {
   public:
      explicit Keyring(std::filesystem::path dir);

      MasterKey current();
      std::optional<MasterKey> find(std::uint32_t version);
      void reload();

      /// The key-encryption key of a tenant, read from disk on every call (a deletion by
      /// another process removes it); empty if there is none.
      std::optional<Botan::secure_vector<std::uint8_t>> tenant_key(std::string_view tenant_id) const;
      const std::filesystem::path& dir() const noexcept { return m_dir; }

   private:
      void load_locked();

      std::filesystem::path m_dir;
      std::mutex m_mutex;
      std::map<std::uint32_t, Botan::secure_vector<std::uint8_t>> m_keys;
};

struct SigningIdentity {
      std::string key_id;
      crypto::SigningKey key;
};

namespace keys {

/// `keygen`: creates DIR (0700) with master key version 1 and a new signing key. Fails
/// if either kind of key already exists there. Returns the signing key id.
std::string generate(const std::filesystem::path& dir);

SigningIdentity load_signing_key(const std::filesystem::path& dir);

/// The versions present, ascending.
std::vector<std::uint32_t> master_versions(const std::filesystem::path& dir);

/// Writes master-v<version>.key with fresh random bytes (0600, fsync'd); fails if it exists.
void add_master_key(const std::filesystem::path& dir, std::uint32_t version);

/// Overwrites master-v<version>.key with zeros, fsyncs and unlinks it.
void retire_master_key(const std::filesystem::path& dir, std::uint32_t version);

/// The text of a secret file other than a key (e.g. --zendesk-oauth-secret-file), trailing
/// newlines removed; refused like a key file if group or others may read it.
std::string read_secret_text(const std::filesystem::path& path);

/// True for the tenant ids this endpoint makes (`t_` and base64url): safe as a file name.
bool valid_tenant_id(std::string_view tenant_id);

/// Writes tenants/<tenant_id>.key with fresh random bytes (0600, fsync'd) and returns them;
/// fails if it exists.
Botan::secure_vector<std::uint8_t> add_tenant_key(const std::filesystem::path& dir, std::string_view tenant_id);

/// Overwrites tenants/<tenant_id>.key with zeros, fsyncs, unlinks it and fsyncs the
/// directory. True if there was such a file; throws KeyError if it could not be removed.
bool destroy_tenant_key(const std::filesystem::path& dir, std::string_view tenant_id);

}  // namespace keys

}  // namespace leastdata::server
