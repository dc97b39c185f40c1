// Fuzz target: JWT parsing and verification of the endpoint (server/auth.cpp, DESIGN §7),
// `Authenticator::authenticate` on a tenant with a fixed HS256 secret and a fixed RS256 key.
//
// Input, two forms:
// - an `Authorization` header value (`Bearer <JWT>`); the seed corpus holds valid tokens,
//   signed with the fixed keys below, for libFuzzer to mutate;
// - a JSON object (starts with `{`): a claims set, which the target signs itself (HS256,
//   tenant secret) so that the claim checks behind the signature are fuzzed too.
// Invariants:
// - failure is always ApiError 401 `unauthorized`/`invalid_token`; nothing else escapes;
// - a header is accepted only if its token is one of the valid tokens, bit for bit, with the
//   identity those tokens carry: any mutation of a valid token is rejected (also checked
//   directly: one bit of a valid token, chosen by the input, is flipped every run);
// - signed claims are accepted only when they meet the documented rules (issuer, audience,
//   subject, times with 60 s leeway and at most 1 h lifetime, role, email), and the identity
//   is read from them.
#include "endpoint_fixture.hpp"

#include "api_error.hpp"
#include "auth.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

namespace {

using namespace leastdata;
using namespace leastdata::server;
using leastdata::fuzz::check;
using leastdata::fuzz::EndpointFixture;
using nlohmann::json;

// A 2048-bit RSA public key made for this target; its private key was used once to sign the
// RS256 token below and then discarded. Only verification is fuzzed.
constexpr std::string_view k_rs256_public_key = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvqg5CqkKpKlZ5cTdaA6Q
SA/rZ0xehvxCy1enb5SlbRMS3ccul/HZipT/YffexkeTyS1k+D0VwTkZzgSACfCz
AVvX6oJUgTsb8qzTUXHNQ7XezoilUWdgaXkwnFzO/gFFzhfVd0BaKWid38HnMwKA
4U7ILhn9O9g4ysakZPyLcuS3zNMjeJ3rlDnhL6wBUCW4cdLztA68Awj56nmxs2QQ
xKrW0pKaB3HhU3/WMU5r52xbTNmxUrFnDTjLtYSLDdcx7VYlNnOKfx2W7vFYPRB2
EUD/Zanm85NsoQMIS92DpATvAUwWf3Ra7h4HdQ5puuQZCHbOHtZjKNtej4/QnjkT
4QIDAQAB
-----END PUBLIC KEY-----
)";

constexpr std::string_view k_rs256_token =
   "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6InplbmRlc2sifQ."
   "eyJpc3MiOiJmdXp6LnplbmRlc2suY29tIiwiYXVkIjoibGVhc3RkYXRhIiwic3ViIjoiNDIiLCJpYXQiOjE3MzU2ODk2MDAsImV4cCI6MTczNT"
   "Y5MzIwMCwicm9sZSI6ImFnZW50IiwiZW1haWwiOm51bGx9."
   "Mz5nt795w8Q9LI7dr4p7hpVjWieKnYrmE-3QWtI9vBUn0HOr22_99NYDIxLDVePN7VBgmP2KK2bDUkPWGdFzszW1_8hI8TOTooVcGW867UkZ76A"
   "CUUJkATu9YNv3zq4gg1LKqTR2EgLJI4CrQo8SOXcXARC4YzvdXHO6oOOq14CmT-CXN6htdNHvSp1P67886jW_gQGa5PmOlp2mT69WVHcxXRNhOK0"
   "LtxA6daHFMwhPGaxOGvsaX08wpwzdJ-TMsWN-XtLJ3SpHinAwdMsGH4WaIgUuL63HXD34wGjLsPizK4ZUJ8YVw-aPgPLmvUfmUN3lFZI1aM6Jg6c"
   "d5d6-Xw";

constexpr std::string_view k_hs256_header = R"({"alg":"HS256","typ":"JWT"})";

struct Valid {
      std::string token;
      std::string agent_id;
      std::string role;
      std::optional<std::string> email;
      std::string algorithm;
};

struct Jwt {
      EndpointFixture endpoint;
      std::shared_ptr<const Botan::Public_Key> rs256_key;
      std::unique_ptr<Authenticator> auth;
      std::vector<Valid> valid;
};

// Runs `authenticate`; an ApiError must be the documented 401.
std::optional<Identity> authenticate(const Authenticator& auth, std::string_view header) {
   try {
      return auth.authenticate(header);
   } catch(const ApiError& e) {
      const bool refused = e.code() == leastdata::ErrorCode::unauthorized || e.code() == leastdata::ErrorCode::invalid_token;
      check(e.status() == 401 && refused, "authentication fails only with 401 unauthorized/invalid_token",
            leastdata::error_code_name(e.code()));
      check(std::string_view(e.what()).size() > 0, "an authentication error has a message");
   } catch(const std::exception& e) {
      leastdata::fuzz::broken("authenticate throws nothing but ApiError", e.what());
   }
   return std::nullopt;
}

Jwt& jwt() {
   // Destroyed at exit, which removes the fixture's temporary directory.
   static const std::unique_ptr<Jwt> state = [] {
      auto s = std::make_unique<Jwt>();
      s->rs256_key = Authenticator::load_rs256_key(std::string(k_rs256_public_key));
      s->auth = std::make_unique<Authenticator>(s->endpoint.store(), s->endpoint.keyring(), s->endpoint.clock(),
                                                std::string(EndpointFixture::k_audience), s->rs256_key);
      s->valid = {
         {EndpointFixture::hs256(k_hs256_header,
                                 R"({"iss":"fuzz.zendesk.com","aud":"leastdata","sub":"1234567","iat":1735689600,)"
                                 R"("exp":1735693200,"email":"agent@example.com","role":"admin"})"),
          "1234567", "admin", "agent@example.com", "HS256"},
         {EndpointFixture::hs256(R"({"alg":"HS256"})",
                                 R"({"iss":"fuzz.zendesk.com","aud":["other","leastdata"],"sub":7654321,)"
                                 R"("iat":1735689600.5,"exp":1735692000,"nbf":1735689600})"),
          "7654321", "agent", std::nullopt, "HS256"},
         {std::string(k_rs256_token), "42", "agent", std::nullopt, "RS256"},
      };
      for(const Valid& v : s->valid) {
         const auto identity = authenticate(*s->auth, "Bearer " + v.token);
         check(identity.has_value() && identity->agent_id == v.agent_id, "every valid token is accepted", v.token);
      }
      // Known attacks, which the fuzzer cannot build for lack of keys.
      const std::string claims = R"({"iss":"fuzz.zendesk.com","aud":"leastdata","sub":"1","iat":1735689600,"exp":1735693200})";
      const std::string none = crypto::base64url_encode(crypto::as_bytes(std::string_view(R"({"alg":"none"})"))) + "." +
                               crypto::base64url_encode(crypto::as_bytes(claims)) + ".";
      for(const std::string& attack : {
             none,
             EndpointFixture::hs256(k_hs256_header, claims, k_rs256_public_key),       // key confusion
             EndpointFixture::hs256(R"({"alg":"RS256"})", claims),                      // HMAC under RS256
             EndpointFixture::hs256(R"({"alg":"HS256","crit":["exp"]})", claims),        // critical extension
             EndpointFixture::hs256(k_hs256_header, claims, "another tenant's secret"),  // wrong secret
          }) {
         check(!authenticate(*s->auth, "Bearer " + attack), "a known attack is refused", attack);
      }
      return s;
   }();
   return *state;
}

// The token of a header that `authenticate` would read: after a case-insensitive "Bearer "
// and any spaces.
std::string_view token_of(std::string_view header) {
   header.remove_prefix(std::min<std::size_t>(7, header.size()));
   while(!header.empty() && header.front() == ' ') {
      header.remove_prefix(1);
   }
   return header;
}

void check_header(std::string_view header) {
   Jwt& s = jwt();
   const auto identity = authenticate(*s.auth, header);
   if(!identity) {
      return;
   }
   const std::string_view token = token_of(header);
   const auto match = std::find_if(s.valid.begin(), s.valid.end(), [&](const Valid& v) { return v.token == token; });
   check(match != s.valid.end(), "only a valid token, bit for bit, is accepted", token);
   check(identity->agent_id == match->agent_id && identity->role == match->role && identity->email == match->email &&
            identity->algorithm == match->algorithm && identity->tenant.subdomain == EndpointFixture::k_subdomain,
         "the identity is the one the token carries");
}

void check_flipped_token(std::uint64_t seed) {
   Jwt& s = jwt();
   std::string token = s.valid[seed % s.valid.size()].token;
   const std::size_t bit = (seed >> 8) % (token.size() * 8);
   token[bit / 8] = static_cast<char>(token[bit / 8] ^ (1 << (bit % 8)));
   check(!authenticate(*s.auth, "Bearer " + token), "a valid token with one bit flipped is refused", token);
}

// NumericDate as auth.cpp reads it: seconds (a fraction allowed) to milliseconds.
std::optional<Millis> date(const json& claims, const char* name) {
   const auto it = claims.find(name);
   if(it == claims.end() || !it->is_number()) {
      return std::nullopt;
   }
   return static_cast<Millis>(it->get<double>() * 1000.0);
}

// The rules of DESIGN §7 and auth.hpp, checked on claims that were accepted.
void check_accepted_claims(const json& claims, const Identity& identity) {
   const Millis now = EndpointFixture::k_now;
   const Millis leeway = 60 * k_second;
   const json issuer = std::string(EndpointFixture::k_issuer);
   const json audience = std::string(EndpointFixture::k_audience);
   check(claims.value("iss", json()) == issuer, "accepted: iss names the tenant");
   const json aud = claims.value("aud", json());
   check(aud == audience || (aud.is_array() && std::find(aud.begin(), aud.end(), audience) != aud.end()),
         "accepted: aud names this endpoint");
   const auto exp = date(claims, "exp");
   const auto iat = date(claims, "iat");
   check(exp && iat, "accepted: exp and iat are numbers");
   check(now < *exp + leeway && *iat <= now + leeway, "accepted: not expired, not issued in the future");
   check(*exp > *iat && *exp - *iat <= k_hour, "accepted: exp after iat, at most one hour");
   if(claims.contains("nbf")) {
      const auto nbf = date(claims, "nbf");
      check(nbf && *nbf <= now + leeway, "accepted: nbf is a number and not in the future");
   }
   const json& sub = claims.at("sub");
   const std::string id = sub.is_string() ? sub.get<std::string>() : sub.dump();
   check(identity.agent_id == id && !id.empty() && id.size() <= 20 && id[0] != '0' &&
            std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }),
         "accepted: sub is a positive integer, and the agent id", id);
   const json role = claims.value("role", json("agent"));
   check(role == identity.role && (role == "admin" || role == "agent"), "accepted: role is admin or agent");
   const json email = claims.value("email", json());
   check(email.is_null() ? !identity.email
                         : email.is_string() && identity.email == email.get<std::string>() &&
                              email.get<std::string>().find('@') != std::string::npos,
         "accepted: email is absent, null or an address");
   check(identity.algorithm == "HS256" && identity.tenant.subdomain == EndpointFixture::k_subdomain,
         "accepted: HS256 for the issuing tenant");
}

void check_claims(std::string_view claims_text) {
   Jwt& s = jwt();
   const auto identity = authenticate(*s.auth, "Bearer " + EndpointFixture::hs256(k_hs256_header, claims_text));
   if(!identity) {
      return;
   }
   const auto claims = json::parse(claims_text, nullptr, false);
   check(!claims.is_discarded() && claims.is_object(), "accepted claims are a JSON object", claims_text);
   check_accepted_claims(claims, *identity);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
   jwt();
   return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const std::string_view input = leastdata::fuzz::as_text(data, size);
   if(!input.empty() && input.front() == '{') {
      check_claims(input);
   } else {
      check_header(input);
   }
   std::uint64_t seed = 1469598103934665603ULL;  // FNV-1a of the input picks the flipped bit
   for(std::size_t i = 0; i < size; ++i) {
      seed = (seed ^ data[i]) * 1099511628211ULL;
   }
   check_flipped_token(seed);
   return 0;
}
