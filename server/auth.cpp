// JWT verification written out with Botan: strict base64url, strict JSON (no duplicate
// members, via the core's JCS parser), the algorithm fixed by the key, constant-time MAC
// comparison, then the claims.
#include "auth.hpp"

#include "api_error.hpp"
#include "tenants.hpp"

#include "leastdata/crypto.hpp"
#include "leastdata/jcs.hpp"

#include <botan/data_src.h>
#include <botan/pubkey.h>
#include <botan/x509_key.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace leastdata::server {

namespace {

using nlohmann::json;

// Every refused token gets this one message: a reply that told "unknown issuer" from "signature
// does not verify" would let anyone list which subdomains are customers. The reason goes to
// the operator's log only.
constexpr const char* k_refused = "the bearer token was not accepted; send a JWT signed as docs/endpoint.md describes";

[[noreturn]] void reject(const std::string& reason) {
   throw ApiError(ErrorCode::invalid_token, k_refused).with_log_detail(reason);
}

std::vector<std::uint8_t> decode_segment(std::string_view text, const char* what) {
   auto bytes = crypto::base64url_decode(text);
   if(!bytes) {
      reject(std::string("the token's ") + what + " is not base64url");
   }
   return std::move(bytes).value();
}

json decode_object(std::string_view text, const char* what) {
   const auto bytes = decode_segment(text, what);
   auto value = jcs::parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
   if(!value || !value.value().is_object()) {
      reject(std::string("the token's ") + what + " is not a JSON object");
   }
   return std::move(value).value();
}

// The three parts of the JWT in an `Authorization: Bearer` header (refused otherwise).
struct JwtParts {
      std::string_view header, payload, signature;
      std::string_view signed_part;  // header.payload
};

JwtParts read_token(std::string_view authorization) {
   constexpr std::string_view scheme = "bearer ";
   if(authorization.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), authorization.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
      throw ApiError(ErrorCode::unauthorized, "an Authorization: Bearer <JWT> header is required")
         .with_log_detail("no bearer token");
   }
   std::string_view token = authorization.substr(scheme.size());
   while(!token.empty() && token.front() == ' ') {
      token.remove_prefix(1);
   }
   if(token.size() > Authenticator::k_max_token_size) {
      reject("the token is too long");
   }
   const auto dot1 = token.find('.');
   const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
   if(dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
      reject("a JWT has three dot-separated parts");
   }
   return JwtParts{token.substr(0, dot1), token.substr(dot1 + 1, dot2 - dot1 - 1), token.substr(dot2 + 1),
                token.substr(0, dot2)};
}

// A NumericDate in milliseconds; seconds may carry a fraction.
std::optional<Millis> numeric_date(const json& claims, const char* name) {
   const auto it = claims.find(name);
   if(it == claims.end()) {
      return std::nullopt;
   }
   if(!it->is_number()) {
      reject(std::string("claim ") + name + " is not a number");
   }
   const double seconds = it->get<double>();
   if(!std::isfinite(seconds) || seconds < 0 || seconds > 1e11) {
      reject(std::string("claim ") + name + " is out of range");
   }
   return static_cast<Millis>(seconds * 1000.0);
}

bool digits_only(std::string_view s) {
   return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string subject(const json& claims) {
   const auto it = claims.find("sub");
   if(it == claims.end()) {
      reject("claim sub is missing");
   }
   std::string id;
   if(it->is_number_unsigned() || (it->is_number_integer() && it->get<std::int64_t>() > 0)) {
      id = std::to_string(it->get<std::uint64_t>());
   } else if(it->is_string()) {
      id = it->get<std::string>();
   }
   if(!digits_only(id) || id.size() > 20 || id[0] == '0') {
      reject("claim sub is not a Zendesk user id (a positive integer)");
   }
   return id;
}

bool audience_matches(const json& claims, const std::string& audience) {
   const auto it = claims.find("aud");
   if(it == claims.end()) {
      return false;
   }
   if(it->is_string()) {
      return it->get<std::string>() == audience;
   }
   if(it->is_array()) {
      for(const auto& a : *it) {
         if(a.is_string() && a.get<std::string>() == audience) {
            return true;
         }
      }
   }
   return false;
}

std::optional<std::string> email_claim(const json& claims) {
   const auto it = claims.find("email");
   if(it == claims.end() || it->is_null()) {
      return std::nullopt;
   }
   if(!it->is_string()) {
      reject("claim email is not a string");
   }
   const std::string email = it->get<std::string>();
   const auto at = email.find('@');
   const bool printable = std::all_of(email.begin(), email.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return u > 0x20 && u != 0x7F;
   });
   if(email.size() < 3 || email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == email.size() ||
      !printable) {
      reject("claim email is not an email address");
   }
   return email;
}

std::string role_claim(const json& claims) {
   const auto it = claims.find("role");
   if(it == claims.end()) {
      return "agent";
   }
   if(!it->is_string() || (it->get<std::string>() != "admin" && it->get<std::string>() != "agent")) {
      reject("claim role is neither \"admin\" nor \"agent\"");
   }
   return it->get<std::string>();
}

}  // namespace

Authenticator::Authenticator(Store& store, Keyring& keyring, const Clock& clock, std::string audience,
                             std::shared_ptr<const Botan::Public_Key> rs256_key) :
   m_store(store), m_keyring(keyring), m_clock(clock), m_audience(std::move(audience)),
   m_rs256_key(std::move(rs256_key)) {}

std::shared_ptr<const Botan::Public_Key> Authenticator::load_rs256_key(const std::string& pem_or_path) {
   std::string pem = pem_or_path;
   if(pem.find("-----BEGIN") == std::string::npos) {
      std::ifstream in(pem_or_path);
      if(!in) {
         throw std::invalid_argument("cannot read the Zendesk public key file " + pem_or_path);
      }
      std::ostringstream text;
      text << in.rdbuf();
      pem = text.str();
   }
   std::shared_ptr<const Botan::Public_Key> key;
   try {
      Botan::DataSource_Memory source(pem);
      key.reset(Botan::X509::load_key(source));
   } catch(const std::exception& e) {
      throw std::invalid_argument(std::string("the Zendesk public key is not a PEM public key: ") + e.what());
   }
   if(!key || key->algo_name() != "RSA") {
      throw std::invalid_argument("the Zendesk public key is not an RSA key");
   }
   if(key->key_length() < 2048) {
      throw std::invalid_argument("the Zendesk public key has fewer than 2048 bits");
   }
   return key;
}

std::string Authenticator::claimed_issuer(std::string_view header) {
   try {
      const json claims = decode_object(read_token(header).payload, "payload");
      const auto iss = claims.find("iss");
      if(iss != claims.end() && iss->is_string()) {
         return iss->get<std::string>();
      }
   } catch(const ApiError&) {
   }
   return {};
}

// Parse: the token's parts, decoded and checked for form, and the tenant it names (refused
// before any key is looked up).
Authenticator::Parsed Authenticator::parse(std::string_view header) {
   const JwtParts token = read_token(header);
   Parsed p{decode_object(token.header, "header"), decode_object(token.payload, "payload"),
            decode_segment(token.signature, "signature"), std::string(token.signed_part), {}, {}};

   const auto alg = p.jose.find("alg");
   if(alg == p.jose.end() || !alg->is_string()) {
      reject("the token header has no algorithm");
   }
   if(const auto typ = p.jose.find("typ"); typ != p.jose.end() && (!typ->is_string() || typ->get<std::string>() != "JWT")) {
      reject("the token type is not JWT");
   }
   if(p.jose.contains("crit")) {
      reject("critical header extensions are not supported");
   }
   p.algorithm = alg->get<std::string>();

   // The issuer names the tenant; its key then decides which algorithm is acceptable.
   const auto iss = p.claims.find("iss");
   constexpr std::string_view zendesk = ".zendesk.com";
   if(iss == p.claims.end() || !iss->is_string()) {
      reject("claim iss is missing");
   }
   const std::string& issuer = iss->get_ref<const std::string&>();
   if(issuer.size() <= zendesk.size() || issuer.compare(issuer.size() - zendesk.size(), zendesk.size(), zendesk) != 0 ||
      !tenants::valid_subdomain(std::string_view(issuer).substr(0, issuer.size() - zendesk.size()))) {
      reject("claim iss does not name a Zendesk subdomain");
   }
   p.subdomain = issuer.substr(0, issuer.size() - zendesk.size());
   return p;
}

// Verify: the tenant exists, and the signature is its key's - the algorithm the key fixes.
Authenticator::Verified Authenticator::verify(const Parsed& token, Millis now) const {
   auto found = m_store.tenant_with_key(token.subdomain, now);
   if(!found) {
      m_keys.forget(token.subdomain);
      reject("unknown issuer");
   }
   if(!found->key) {
      throw IntegrityError("tenant has no data key");
   }
   std::shared_ptr<const TenantSecrets> secrets;
   try {
      secrets = m_keys.get(m_keyring, found->tenant, *found->key);
   } catch(const KeyDestroyedError&) {
      reject("the tenant was erased: its key file is destroyed");
   }

   const std::string_view signed_part = token.signed_part;
   const auto& signature = token.signature;
   if(token.algorithm == "HS256") {
      const auto mac = crypto::hmac_sha256(secrets->jwt_secret, crypto::as_bytes(signed_part));
      if(!crypto::constant_time_equal(mac, signature)) {
         reject("signature does not verify");
      }
   } else if(token.algorithm == "RS256") {
      if(!m_rs256_key) {
         reject("RS256 tokens are not accepted: no Zendesk public key is configured");
      }
      bool valid = false;
      try {
         Botan::PK_Verifier verifier(*m_rs256_key, "EMSA3(SHA-256)");
         valid = verifier.verify_message(reinterpret_cast<const std::uint8_t*>(signed_part.data()), signed_part.size(),
                                         signature.data(), signature.size());
      } catch(const std::exception&) {
         valid = false;
      }
      if(!valid) {
         reject("signature does not verify");
      }
   } else {
      reject("algorithm not accepted (HS256 with the tenant secret, or RS256 with the Zendesk key)");
   }
   return Verified{std::move(found->tenant), std::move(secrets)};
}

// Claims: audience and times, then who the token says the user is.
Identity Authenticator::claims(const Parsed& token, Verified verified, Millis now) const {
   const json& claims = token.claims;
   if(!audience_matches(claims, m_audience)) {
      reject("claim aud does not name this endpoint");
   }
   const auto exp = numeric_date(claims, "exp");
   const auto iat = numeric_date(claims, "iat");
   const auto nbf = numeric_date(claims, "nbf");
   if(!exp || !iat) {
      reject("claims exp and iat are required");
   }
   if(now >= *exp + k_leeway) {
      reject("the token has expired");
   }
   if(*iat > now + k_leeway) {
      reject("the token was issued in the future");
   }
   if(nbf && *nbf > now + k_leeway) {
      reject("the token is not valid yet");
   }
   if(*exp <= *iat || *exp - *iat > k_max_lifetime) {
      reject("claim exp must be after iat and at most one hour after it");
   }

   Identity identity;
   identity.agent_id = subject(claims);
   identity.role = role_claim(claims);
   identity.email = email_claim(claims);
   identity.algorithm = token.algorithm;
   identity.tenant = std::move(verified.tenant);
   identity.data_key = std::shared_ptr<const DataKey>(verified.secrets, &verified.secrets->data_key);
   return identity;
}

Identity Authenticator::authenticate(std::string_view header) const {
   const Parsed token = parse(header);
   const Millis now = m_clock.now();
   return claims(token, verify(token, now), now);
}

}  // namespace leastdata::server
