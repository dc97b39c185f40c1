// Header and associated-data layout of envelope.hpp, over leastdata::crypto's AES-256-GCM.
#include "envelope.hpp"

#include "leastdata/crypto.hpp"

#include <algorithm>
#include <array>

namespace leastdata::server::envelope {

namespace {

constexpr std::uint8_t k_format = 1;

std::array<std::uint8_t, 7> header(std::uint32_t version) {
   return {'L',
           'D',
           k_format,
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

Blob seal_with(std::span<const std::uint8_t> key, std::uint32_t version, const SealContext& context,
               crypto::Bytes plaintext) {
   const auto head = header(version);
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
   auto plain = crypto::aes256_gcm_open(key, body, associated_data(header(version), context));
   if(!plain) {
      throw IntegrityError(std::string("ciphertext of ") + std::string(context.table) + "." +
                           std::string(context.column) + " does not open");
   }
   return std::move(plain).value();
}

constexpr SealContext wrap_context(std::string_view tenant_id) {
   return SealContext{"tenant_keys", "wrapped_key", tenant_id, tenant_id};
}

}  // namespace

DataKey generate_data_key() {
   DataKey key{k_data_key_version, Botan::secure_vector<std::uint8_t>(crypto::aes256_gcm_key_size())};
   crypto::random_bytes(key.bytes);
   return key;
}

std::uint32_t key_version(const Blob& blob) {
   if(blob.size() < header_size() + crypto::aes256_gcm_overhead() || blob[0] != 'L' || blob[1] != 'D' ||
      blob[2] != k_format) {
      throw IntegrityError("ciphertext without a valid header");
   }
   return (std::uint32_t{blob[3]} << 24) | (std::uint32_t{blob[4]} << 16) | (std::uint32_t{blob[5]} << 8) |
          std::uint32_t{blob[6]};
}

Blob wrap(const MasterKey& master, const DataKey& key, std::string_view tenant_id) {
   return seal_with(master.bytes, master.version, wrap_context(tenant_id), key.bytes);
}

DataKey unwrap(Keyring& keyring, const Blob& wrapped, std::uint32_t data_key_version, std::string_view tenant_id) {
   const std::uint32_t master_version = key_version(wrapped);
   const auto master = keyring.find(master_version);
   if(!master) {
      throw IntegrityError("master key version " + std::to_string(master_version) + " is not in the keys directory");
   }
   auto bytes = open_with(master->bytes, wrap_context(tenant_id), wrapped);
   if(bytes.size() != crypto::aes256_gcm_key_size()) {
      throw IntegrityError("wrapped data key has the wrong size");
   }
   return DataKey{data_key_version, std::move(bytes)};
}

Blob seal(const DataKey& key, const SealContext& context, std::string_view plaintext) {
   return seal_with(key.bytes, key.version, context, crypto::as_bytes(plaintext));
}

Botan::secure_vector<std::uint8_t> open(const DataKey& key, const SealContext& context, const Blob& sealed) {
   if(key_version(sealed) != key.version) {
      throw IntegrityError("ciphertext sealed under another data key version");
   }
   return open_with(key.bytes, context, sealed);
}

std::string open_string(const DataKey& key, const SealContext& context, const Blob& sealed) {
   const auto plain = open(key, context, sealed);
   return std::string(plain.begin(), plain.end());
}

}  // namespace leastdata::server::envelope
