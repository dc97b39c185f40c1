// Deletion certificates (DESIGN §6): the endpoint signs one when it deletes a tenant's data;
// the browser module and the CLI verify it against the endpoint's published keys.
//
// A certificate is a JSON object whose `signature` is base64url(Ed25519(JCS(the object
// without `signature`))). Because the signature covers the canonical form, member order and
// whitespace do not matter; every value does. The format is closed: `sign` and `verify`
// apply the same field rules, so the endpoint cannot issue a certificate that fails to verify.
// docs/certificates.md describes the format and how to verify one independently.
#pragma once

#include "leastdata/crypto.hpp"
#include "leastdata/error.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leastdata::certificate {

/// The `type` member of every certificate of this version.
inline constexpr std::string_view type_v1 = "leastdata.deletion-certificate/v1";

/// Largest certificate text `verify` reads (64 KiB).
std::size_t max_certificate_size() noexcept;
/// Largest key set (JWKS) text `verify` reads (64 KiB).
std::size_t max_keys_size() noexcept;

/// Why the data was deleted.
enum class Trigger {
   customer_request,        // an admin asked (POST /v1/deletion)
   retention_inactive_30d,  // the tenant was inactive for 30 days
};

/// The wire name, e.g. "customer_request".
std::string_view trigger_name(Trigger trigger) noexcept;

/// What a verified certificate attests. Every field was covered by the signature.
struct VerifiedCertificate {
      std::string certificate_id;
      std::string subdomain;
      Trigger trigger;
      std::string requested_at;  // RFC 3339 UTC, as written in the certificate
      std::string completed_at;
      std::map<std::string, std::uint64_t> deleted;  // category → rows deleted
      std::string method;
      std::string storage_region;
      std::string issuer;
      std::string key_id;
};

/// Signs a certificate. `unsigned_certificate` holds every member but `signature`;
/// `key_id` is added if absent and must match if present. Returns the signed certificate
/// in its canonical (JCS) form. Fails with `invalid_argument` if a member is missing,
/// unknown or malformed (the rules of `verify`), or if a `signature` is already present.
Result<std::string> sign(const nlohmann::json& unsigned_certificate, const crypto::SigningKey& key,
                         std::string_view key_id);

/// Verifies a certificate against a JWKS (`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":...,
/// "x":...}]}`): the text is I-JSON (no duplicate members), every member of the format is
/// present, well-formed and nothing else is there, the key named by `key_id` is in the set
/// (exactly once, an Ed25519 public key), and the signature verifies over the canonical form
/// without `signature`. Errors: `size_limit`, the `jcs::parse` codes for unreadable JSON, and
/// `invalid_argument` for everything else, with a message naming what failed.
Result<VerifiedCertificate> verify(std::string_view certificate_json, std::string_view jwks_json);

/// The JWKS publishing `keys` (key id, public key) in the given order, in canonical form.
/// Fails with `invalid_argument` for a malformed or repeated key id.
Result<std::string> jwks(const std::vector<std::pair<std::string, crypto::PublicKey>>& keys);

}  // namespace leastdata::certificate
