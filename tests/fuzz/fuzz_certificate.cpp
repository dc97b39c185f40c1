// Fuzz target: deletion certificates (certificate.hpp, DESIGN §6): verification, and signing
// of whatever certificate-shaped object the input holds.
//
// Input: `<certificate> [NUL <key set>]`; without a key set, the published example key of
// docs/certificates.md (Ed25519 seed 00 01 .. 1f, key id "ed25519-2024-05"). The seed corpus
// holds that document's signed certificate and mutations of it. Invariants:
// - an error has a documented code, and any offset lies within the input;
// - a certificate that verifies under the example key is, in canonical form, exactly the
//   certificate that key signed (members, values and signature), and the verified fields
//   are that certificate's: a mutated signed certificate fails unless the change is one
//   canonicalisation undoes (whitespace, member order, escapes, number spelling);
// - whatever `sign` accepts, `verify` accepts, with the same fields; the signed text is
//   canonical; flipping any one bit of it makes verification fail (or leaves the canonical
//   form unchanged).
#include "fuzz_support.hpp"

#include <leastdata/certificate.hpp>
#include <leastdata/jcs.hpp>

#include "../fixtures/example_certificate.hpp"

namespace {

using namespace leastdata;
using leastdata::fuzz::check;
using nlohmann::json;

constexpr std::string_view k_key_id = fixtures::k_example_key_id;

struct Fixture {
      crypto::SigningKey key;
      std::string jwks;
      std::string signed_certificate;  // canonical
      certificate::VerifiedCertificate fields;
};

const Fixture& fixture() {
   static const Fixture* f = [] {
      auto key = fixtures::example_signing_key();
      const json example = fixtures::example_unsigned_certificate();
      auto jwks = certificate::jwks({{std::string(k_key_id), key.public_key()}});
      auto signed_certificate = certificate::sign(example, key, k_key_id);
      check(jwks.ok() && signed_certificate.ok(), "the example certificate signs");
      auto fields = certificate::verify(signed_certificate.value(), jwks.value());
      check(fields.ok(), "the example certificate verifies");
      return new Fixture{std::move(key), std::move(jwks).value(), std::move(signed_certificate).value(),
                         std::move(fields).value()};
   }();
   return *f;
}

bool same_fields(const certificate::VerifiedCertificate& a, const certificate::VerifiedCertificate& b) {
   return a.certificate_id == b.certificate_id && a.subdomain == b.subdomain && a.trigger == b.trigger &&
          a.requested_at == b.requested_at && a.completed_at == b.completed_at && a.deleted == b.deleted &&
          a.method == b.method && a.storage_region == b.storage_region && a.issuer == b.issuer &&
          a.key_id == b.key_id;
}

void check_verify_error(const Error& error, std::size_t size) {
   leastdata::fuzz::check_error(error,
                                {ErrorCode::size_limit, ErrorCode::invalid_json, ErrorCode::invalid_utf8,
                                 ErrorCode::duplicate_key, ErrorCode::depth_limit, ErrorCode::invalid_certificate,
                                 ErrorCode::invalid_argument},
                                size, false);
}

// Whatever verifies under the example key is the example certificate.
void check_verified(std::string_view text, const certificate::VerifiedCertificate& fields) {
   const Fixture& f = fixture();
   check(leastdata::fuzz::is_json(text), "only JSON text verifies", text);
   const auto canonical = jcs::canonicalize(text);
   check(canonical.ok() && canonical.value() == f.signed_certificate,
         "a verified certificate is, canonically, the one the key signed", text);
   check(same_fields(fields, f.fields), "verified fields are the signed ones");
}

// The fields an object that `sign` accepted must verify with.
void check_signed_fields(const json& object, const certificate::VerifiedCertificate& fields) {
   const auto text = [&](const char* name) { return object[name].get<std::string>(); };
   check(fields.certificate_id == text("certificate_id") && fields.subdomain == text("subdomain") &&
            certificate::trigger_name(fields.trigger) == text("trigger") &&
            fields.requested_at == text("requested_at") && fields.completed_at == text("completed_at") &&
            fields.method == text("method") && fields.storage_region == text("storage_region") &&
            fields.issuer == text("issuer") && fields.key_id == k_key_id,
         "verify returns the fields that were signed");
   check(fields.deleted.size() == object["deleted"].size(), "verify returns every deleted category");
}

void check_sign(std::string_view text, std::uint64_t flip_seed) {
   const Fixture& f = fixture();
   const auto parsed = jcs::parse(text);
   if(!parsed || !parsed.value().is_object() || parsed.value().contains("signature")) {
      return;
   }
   const auto signed_certificate = certificate::sign(parsed.value(), f.key, k_key_id);
   if(!signed_certificate) {
      leastdata::fuzz::check_error(signed_certificate.error(), {ErrorCode::invalid_certificate, ErrorCode::invalid_argument,
                                                                ErrorCode::invalid_utf8, ErrorCode::depth_limit},
                                   text.size(), false);
      return;
   }
   const std::string& signed_text = signed_certificate.value();
   const auto recanonical = jcs::canonicalize(std::string_view(signed_text));
   check(recanonical.ok() && recanonical.value() == signed_text, "sign returns canonical JSON", signed_text);
   const auto verified = certificate::verify(signed_text, f.jwks);
   check(verified.ok(), "whatever sign accepts, verify accepts", verified.ok() ? "" : verified.error().to_json());
   check_signed_fields(parsed.value(), verified.value());

   std::string flipped = signed_text;
   const std::size_t bit = flip_seed % (flipped.size() * 8);
   flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
   if(certificate::verify(flipped, f.jwks).ok()) {
      const auto canonical = jcs::canonicalize(std::string_view(flipped));
      check(canonical.ok() && canonical.value() == signed_text, "a certificate with one bit flipped does not verify",
            flipped);
   }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
   fixture();
   return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const Fixture& f = fixture();
   const std::string_view input = leastdata::fuzz::as_text(data, size);
   const std::size_t nul = input.find('\0');
   const std::string_view text = input.substr(0, nul);

   const auto verified = certificate::verify(text, f.jwks);
   if(verified) {
      check_verified(text, verified.value());
   } else {
      check_verify_error(verified.error(), size);
   }
   if(nul != std::string_view::npos) {
      // Any key set: no crash, documented errors; success says nothing about the example key.
      const auto other = certificate::verify(text, input.substr(nul + 1));
      if(!other) {
         check_verify_error(other.error(), size);
      }
   }

   std::uint64_t flip_seed = 1469598103934665603ULL;  // FNV-1a of the input picks the bit
   for(std::size_t i = 0; i < size; ++i) {
      flip_seed = (flip_seed ^ data[i]) * 1099511628211ULL;
   }
   check_sign(text, flip_seed);
   return 0;
}
