// The keyed hash behind `Action::pseudonym`: `<EMAIL:1a2b3c4d>` tokens that are stable for a
// key (a tenant) and unrelated across keys.
#pragma once

#include <leastdata/redact.hpp>

#include <botan/mac.h>

#include <memory>
#include <string_view>

namespace leastdata::redact {

/// HMAC-SHA-256 keyed with a `PseudonymKey`, reused for every finding of one `redact` call.
class Pseudonymizer final {
   public:
      /// Hex digits of the MAC shown in a token (32 bits).
      static constexpr std::size_t token_hex_digits() noexcept { return 8; }

      /// `invalid_argument` when the key is empty.
      static Result<Pseudonymizer> create(const PseudonymKey& key);

      Pseudonymizer(Pseudonymizer&&) noexcept = default;
      Pseudonymizer& operator=(Pseudonymizer&&) noexcept = default;
      Pseudonymizer(const Pseudonymizer&) = delete;
      Pseudonymizer& operator=(const Pseudonymizer&) = delete;
      ~Pseudonymizer();

      /// Appends `<LABEL:xxxxxxxx>`: the first 8 lowercase hex digits of
      /// HMAC-SHA-256(key, detector_name(type) + ":" + normalised value).
      void append_token(WipedBuffer& out, Detector type, std::string_view value);

   private:
      explicit Pseudonymizer(std::unique_ptr<Botan::MessageAuthenticationCode> mac) noexcept :
         m_mac(std::move(mac)) {}

      std::unique_ptr<Botan::MessageAuthenticationCode> m_mac;
      WipedBuffer m_message;  // reused; holds a copy of personal data, so wiped on release
};

}  // namespace leastdata::redact
