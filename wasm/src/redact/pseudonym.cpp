// The pseudonym key (set, never read back, wiped) and the HMAC-SHA-256 tokens made with it.

#include "pseudonym.hpp"

#include "actions.hpp"

#include <botan/hmac.h>
#include <botan/sha2_32.h>

#include <array>
#include <string>

namespace leastdata::redact {

namespace {

constexpr std::size_t mac_bytes = 32;  // HMAC-SHA-256

}  // namespace

Status PseudonymKey::set(const std::uint8_t* bytes, std::size_t size) {
   if(size < min_size()) {
      return Error(ErrorCode::invalid_argument,
                   "a pseudonym key needs at least " + std::to_string(min_size()) + " bytes");
   }
   clear();
   m_key.assign(bytes, bytes + size);
   return Status();
}

void PseudonymKey::clear() noexcept {
   Botan::zap(m_key);
}

Result<Pseudonymizer> Pseudonymizer::create(const PseudonymKey& key) {
   if(key.empty()) {
      return Error(ErrorCode::invalid_argument, "the pseudonym action needs a key");
   }
   // The concrete classes, not MessageAuthenticationCode::create("HMAC(SHA-256)"): the
   // by-name registry would link every hash and MAC of the build into the wasm module.
   auto mac = std::make_unique<Botan::HMAC>(std::make_unique<Botan::SHA_256>().release());  // owns the hash
   static_assert(mac_bytes == 32, "HMAC-SHA-256");
   mac->set_key(key.m_key);
   return Pseudonymizer(std::move(mac));
}

Pseudonymizer::~Pseudonymizer() {
   if(m_mac) {
      m_mac->clear();
   }
}

void Pseudonymizer::append_token(WipedBuffer& out, Detector type, std::string_view value) {
   m_message.clear();
   detail::append(m_message, detector_name(type));
   m_message.push_back(':');
   detail::append_normalised(m_message, type, value);

   std::array<std::uint8_t, mac_bytes> digest;
   m_mac->update(m_message.data(), m_message.size());
   m_mac->final(digest.data());

   constexpr char hex[] = "0123456789abcdef";
   out.push_back('<');
   detail::append(out, detail::label_of(type));
   out.push_back(':');
   for(std::size_t i = 0; i < token_hex_digits() / 2; ++i) {
      out.push_back(static_cast<std::uint8_t>(hex[digest[i] >> 4]));
      out.push_back(static_cast<std::uint8_t>(hex[digest[i] & 0x0F]));
   }
   out.push_back('>');
   secure_zero(digest.data(), digest.size());
   secure_zero(m_message.data(), m_message.size());
}

}  // namespace leastdata::redact
