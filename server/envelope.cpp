// Header and associated-data layout of envelope.hpp, over leastdata::crypto's AES-256-GCM.
#include "envelope.hpp"

#include "leastdata/crypto.hpp"

#include <algorithm>
#include <array>

namespace leastdata::server::envelope {

namespace {

// Format 1: a value sealed under a data key, or (before per-tenant keys) a data key
// wrapped under the master key alone. Format 2: a data key wrapped under the master key
// and the tenant's key-encryption key together.
constexpr std::uint8_t k_format_sealed = 1;
constexpr std::uint8_t k_format_tenant_wrapped = 2;

std::array<std::uint8_t, 7> header(std::uint8_t format, std::uint32_t version) {
   return {'L',
           'D',
           format,
           static_cast<std::uint8_t>(version >> 24),
           static_cast<std::uint8_t>(version >> 16),
           static_cast<std::uint8_t>(version >> 8),
           static_cast<std::uint8_t>(version)};
}

void append_part(std::vector<std::uint8_t>& out, std::string_view part) {
   const auto n = static_cast<std::uint32_t>(part.size());
   out.push_back(static_cast<std::uint8_t>(n >> 24));
   out.push_back(static_cast<std::uint8_t>(n >> 16));
   out.push_back(static_cast<std::uint8_t>(n >> 8));
   out.push_back(static_cast<std::uint8_t>(n));
   out.insert(out.end(), part.begin(), part.end());
}

std::vector<std::uint8_t> associated_data(const std::array<std::uint8_t, 7>& head, const SealContext& context) {
   std::vector<std::uint8_t> ad(head.begin(), head.end());
   append_part(ad, "leastdata");
   append_part(ad, context.table);
   append_part(ad, context.column);
   append_part(ad, context.tenant_id);
   append_part(ad, context.row);
   return ad;
}

Blob seal_with(std::span<const std::uint8_t> key, std::uint8_t format, std::uint32_t version,
               const SealContext& context, crypto::Bytes plaintext) {
   const auto head = header(format, version);
   auto sealed = crypto::aes256_gcm_seal(key, plaintext, associated_data(head, context));
   if(!sealed) {
      throw IntegrityError("seal failed: " + sealed.error().message());
   }
   const auto& body = sealed.value();
   Blob out(head.size() + body.size());
   std::copy(head.begin(), head.end(), out.begin());
   std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(head.size()));
   return out;
}

Botan::secure_vector<std::uint8_t> open_with(std::span<const std::uint8_t> key, const SealContext& context,
                                             const Blob& blob) {
   const std::uint32_t version = key_version(blob);
   const std::span<const std::uint8_t> body(blob.data() + header_size(), blob.size() - header_size());
   auto plain = crypto::aes256_gcm_open(key, body, associated_data(header(blob[2], version), context));
   if(!plain) {
      throw IntegrityError(std::string("ciphertext of ") + std::string(context.table) + "." +
                           std::string(context.column) + " does not open");
   }
   return std::move(plain).value();
}

constexpr SealContext wrap_context(std::string_view tenant_id) {
   return SealContext{"tenant_keys", "wrapped_key", tenant_id, tenant_id};
}

// The key that wraps a tenant's data key: both inputs are needed, so destroying either
// the master key version or the tenant's key file makes the wrapped key useless.
Botan::secure_vector<std::uint8_t> wrapping_key(const MasterKey& master, std::span<const std::uint8_t> tenant_key,
                                                std::string_view tenant_id) {
   Botan::secure_vector<std::uint8_t> input(master.bytes.begin(), master.bytes.end());
   input.insert(input.end(), tenant_key.begin(), tenant_key.end());
   auto key = crypto::hkdf_sha256(input, crypto::as_bytes("leastdata/tenant-key-wrap/v2"), crypto::as_bytes(tenant_id),
                                  crypto::aes256_gcm_key_size());
   if(!key) {
      throw IntegrityError("key derivation failed: " + key.error().message());
   }
   return std::move(key).value();
}

}  // namespace

DataKey generate_data_key() {
   DataKey key{k_data_key_version, Botan::secure_vector<std::uint8_t>(crypto::aes256_gcm_key_size())};
   crypto::random_bytes(key.bytes);
   return key;
}

std::uint32_t key_version(const Blob& blob) {
   if(blob.size() < header_size() + crypto::aes256_gcm_overhead() || blob[0] != 'L' || blob[1] != 'D' ||
      (blob[2] != k_format_sealed && blob[2] != k_format_tenant_wrapped)) {
      throw IntegrityError("ciphertext without a valid header");
   }
   return (std::uint32_t{blob[3]} << 24) | (std::uint32_t{blob[4]} << 16) | (std::uint32_t{blob[5]} << 8) |
          std::uint32_t{blob[6]};
}

Blob wrap(const MasterKey& master, std::span<const std::uint8_t> tenant_key, const DataKey& key,
          std::string_view tenant_id) {
   return seal_with(wrapping_key(master, tenant_key, tenant_id), k_format_tenant_wrapped, master.version,
                    wrap_context(tenant_id), key.bytes);
}

bool needs_tenant_key(const Blob& wrapped) {
   key_version(wrapped);
   return wrapped[2] == k_format_tenant_wrapped;
}

DataKey unwrap(Keyring& keyring, const Blob& wrapped, std::uint32_t data_key_version, std::string_view tenant_id) {
   const std::uint32_t master_version = key_version(wrapped);
   const auto master = keyring.find(master_version);
   if(!master) {
      throw IntegrityError("master key version " + std::to_string(master_version) + " is not in the keys directory");
   }
   Botan::secure_vector<std::uint8_t> bytes;
   if(needs_tenant_key(wrapped)) {
      const auto tenant_key = keyring.tenant_key(tenant_id);
      if(!tenant_key) {
         throw KeyDestroyedError("the tenant's key file is not in the keys directory (destroyed by its deletion)");
      }
      bytes = open_with(wrapping_key(*master, *tenant_key, tenant_id), wrap_context(tenant_id), wrapped);
   } else {
      bytes = open_with(master->bytes, wrap_context(tenant_id), wrapped);
   }
   if(bytes.size() != crypto::aes256_gcm_key_size()) {
      throw IntegrityError("wrapped data key has the wrong size");
   }
   return DataKey{data_key_version, std::move(bytes)};
}

Blob seal(const DataKey& key, const SealContext& context, std::string_view plaintext) {
   return seal_with(key.bytes, k_format_sealed, key.version, context, crypto::as_bytes(plaintext));
}

Botan::secure_vector<std::uint8_t> open(const DataKey& key, const SealContext& context, const Blob& sealed) {
   if(key_version(sealed) != key.version || sealed[2] != k_format_sealed) {
      throw IntegrityError("ciphertext sealed under another data key version");
   }
   return open_with(key.bytes, context, sealed);
}

std::string open_string(const DataKey& key, const SealContext& context, const Blob& sealed) {
   const auto plain = open(key, context, sealed);
   return std::string(plain.begin(), plain.end());
}

}  // namespace leastdata::server::envelope
