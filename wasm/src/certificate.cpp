// Deletion certificates: the field rules shared by signing and verification, and the
// JWKS lookup. Reads JSON only through type checks, never through throwing accessors.
#include "leastdata/certificate.hpp"

#include "leastdata/jcs.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <compare>
#include <optional>
#include <set>

namespace leastdata::certificate {

namespace {

using json = nlohmann::json;

constexpr std::size_t k_max_text_size = 64 * 1024;
constexpr std::size_t k_max_free_text_size = 1024;
constexpr std::uint64_t k_max_safe_integer = jcs::k_max_exact_integer;

constexpr std::array<std::string_view, 12> k_members = {
   "type",   "certificate_id", "subdomain",      "trigger", "requested_at", "completed_at",
   "deleted", "method",        "storage_region", "issuer",  "key_id",       "signature",
};

// The categories DESIGN §7 stores; a certificate accounts for each, and may add others.
constexpr std::array<std::string_view, 5> k_required_categories = {"agents", "tokens", "settings", "stats_rows",
                                                                    "jobs"};

Error invalid(std::string message) {
   return Error(ErrorCode::invalid_certificate, std::move(message));
}

Error in_context(const Error& error, std::string_view context) {
   return Error(error.code(), std::string(context) + ": " + error.message(), error.offset());
}

bool is_lower_alnum(char c) noexcept {
   return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_alnum(char c) noexcept {
   return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

template <typename Predicate>
bool all_chars(std::string_view s, Predicate allowed) {
   return std::all_of(s.begin(), s.end(), allowed);
}

bool is_key_id(std::string_view s) {
   return !s.empty() && s.size() <= 128 &&
          all_chars(s, [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == ':' || c == '-'; });
}

bool is_certificate_id(std::string_view s) {
   return s.size() > 3 && s.size() <= 128 && s.substr(0, 3) == "dc_" &&
          all_chars(s.substr(3), [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

// A Zendesk subdomain: a DNS label in lowercase.
bool is_subdomain(std::string_view s) {
   return !s.empty() && s.size() <= 63 && is_lower_alnum(s.front()) && is_lower_alnum(s.back()) &&
          all_chars(s, [](char c) { return is_lower_alnum(c) || c == '-'; });
}

bool is_region(std::string_view s) {
   return !s.empty() && s.size() <= 64 && all_chars(s, [](char c) { return is_lower_alnum(c) || c == '-'; });
}

bool is_category(std::string_view s) {
   return !s.empty() && s.size() <= 64 && all_chars(s, [](char c) { return is_lower_alnum(c) || c == '_'; });
}

// Human-readable text (method, issuer): no control characters that could forge lines
// in a terminal or log when the certificate is displayed.
bool is_free_text(std::string_view s) {
   return !s.empty() && s.size() <= k_max_free_text_size && all_chars(s, [](char c) {
             const auto u = static_cast<unsigned char>(c);
             return u >= 0x20 && u != 0x7F;
          });
}

struct Timestamp {
      int year, month, day, hour, minute, second;
      std::uint32_t nanosecond;
      auto operator<=>(const Timestamp&) const = default;
};

// RFC 3339 in UTC as the endpoint writes it: YYYY-MM-DDTHH:MM:SS, an optional fraction of
// 1 to 9 digits, then Z. No offsets, no lowercase t/z, no leap second.
std::optional<Timestamp> parse_timestamp(std::string_view s) {
   const auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
      if(at + count > s.size()) {
         return std::nullopt;
      }
      int value = 0;
      for(std::size_t i = at; i < at + count; ++i) {
         if(s[i] < '0' || s[i] > '9') {
            return std::nullopt;
         }
         value = value * 10 + (s[i] - '0');
      }
      return value;
   };
   if(s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      s.back() != 'Z') {
      return std::nullopt;
   }
   const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
   const auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
   if(!year || !month || !day || !hour || !minute || !second) {
      return std::nullopt;
   }
   std::uint32_t nanosecond = 0;
   const std::size_t fraction = s.size() - 20;  // between the seconds and the Z
   if(fraction > 0) {
      if(fraction < 2 || fraction > 10 || s[19] != '.') {
         return std::nullopt;
      }
      const auto value = digits(20, fraction - 1);
      if(!value) {
         return std::nullopt;
      }
      nanosecond = static_cast<std::uint32_t>(*value);
      for(std::size_t i = fraction - 1; i < 9; ++i) {
         nanosecond *= 10;
      }
   }
   const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
   static constexpr std::array<int, 12> k_days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
   if(*month < 1 || *month > 12 || *day < 1 ||
      *day > k_days[static_cast<std::size_t>(*month - 1)] + (*month == 2 && leap ? 1 : 0) || *hour > 23 ||
      *minute > 59 || *second > 59) {
      return std::nullopt;
   }
   return Timestamp{*year, *month, *day, *hour, *minute, *second, nanosecond};
}

// A count: a JSON number whose value is a non-negative integer exactly representable as a
// double, since that is what JCS (and a JavaScript verifier) reads. 3.0 counts as 3.
std::optional<std::uint64_t> count_value(const json& value) {
   if(value.is_number_unsigned()) {
      const auto n = value.get_ref<const json::number_unsigned_t&>();
      return n <= k_max_safe_integer ? std::optional<std::uint64_t>(n) : std::nullopt;
   }
   if(value.is_number_integer()) {
      const auto n = value.get_ref<const json::number_integer_t&>();
      return n >= 0 && static_cast<std::uint64_t>(n) <= k_max_safe_integer
                ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(n))
                : std::nullopt;
   }
   if(value.is_number_float()) {
      const double d = value.get_ref<const json::number_float_t&>();
      return d >= 0 && d <= static_cast<double>(k_max_safe_integer) && d == static_cast<double>(static_cast<std::uint64_t>(d))
                ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(d))
                : std::nullopt;
   }
   return std::nullopt;
}

Result<std::string> string_member(const json& object, std::string_view name) {
   const auto it = object.find(name);
   if(it == object.end()) {
      return invalid("missing member \"" + std::string(name) + "\"");
   }
   if(!it->is_string()) {
      return invalid("member \"" + std::string(name) + "\" is not a string");
   }
   return it->get_ref<const std::string&>();
}

// Checks every member but `signature` (whose presence the callers decide) and collects them.
Result<VerifiedCertificate> check_members(const json& certificate) {
   if(!certificate.is_object()) {
      return invalid("a certificate is a JSON object");
   }
   for(const auto& [name, value] : certificate.items()) {
      if(std::find(k_members.begin(), k_members.end(), name) == k_members.end()) {
         return invalid("unknown member \"" + name + "\"");
      }
   }

   // Reads a string member and checks it with `valid`; stops at the first failure.
   std::optional<Error> failure;
   const auto text = [&](std::string_view name, auto valid, std::string_view expected) -> std::string {
      if(failure) {
         return {};
      }
      auto value = string_member(certificate, name);
      if(!value) {
         failure = value.error();
         return {};
      }
      if(!valid(std::string_view(value.value()))) {
         failure = invalid("member \"" + std::string(name) + "\" is not " + std::string(expected));
         return {};
      }
      return std::move(value).value();
   };

   VerifiedCertificate out{};
   text("type", [](std::string_view s) { return s == type_v1; }, "\"" + std::string(type_v1) + "\"");
   out.certificate_id = text("certificate_id", is_certificate_id, "\"dc_\" followed by [A-Za-z0-9_-]");
   out.subdomain = text("subdomain", is_subdomain, "a lowercase DNS label");
   const std::string trigger = text(
      "trigger", [](std::string_view s) { return s == "customer_request" || s == "retention_inactive_30d"; },
      "customer_request or retention_inactive_30d");
   out.trigger = trigger == "retention_inactive_30d" ? Trigger::retention_inactive_30d : Trigger::customer_request;
   const auto is_timestamp = [](std::string_view s) { return parse_timestamp(s).has_value(); };
   out.requested_at = text("requested_at", is_timestamp, "an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.fff]Z)");
   out.completed_at = text("completed_at", is_timestamp, "an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.fff]Z)");
   out.method = text("method", is_free_text, "1 to 1024 bytes of text without control characters");
   out.storage_region = text("storage_region", is_region, "a region name ([a-z0-9-])");
   out.issuer = text("issuer", is_free_text, "1 to 1024 bytes of text without control characters");
   out.key_id = text("key_id", is_key_id, "1 to 128 characters of [A-Za-z0-9._:-]");
   if(failure) {
      return *failure;
   }
   if(*parse_timestamp(out.completed_at) < *parse_timestamp(out.requested_at)) {
      return invalid("completed_at is earlier than requested_at");
   }

   const auto deleted = certificate.find("deleted");
   if(deleted == certificate.end()) {
      return invalid("missing member \"deleted\"");
   }
   if(!deleted->is_object()) {
      return invalid("member \"deleted\" is not an object");
   }
   for(const auto& [category, value] : deleted->items()) {
      if(!is_category(category)) {
         return invalid("deleted category \"" + category + "\" is not [a-z0-9_]{1,64}");
      }
      const auto count = count_value(value);
      if(!count) {
         return invalid("deleted." + category + " is not a non-negative integer below 2^53");
      }
      out.deleted.emplace(category, *count);
   }
   for(const std::string_view category : k_required_categories) {
      if(out.deleted.count(std::string(category)) == 0) {
         return invalid("missing deleted." + std::string(category));
      }
   }
   return out;
}

// The Ed25519 key named `key_id` in a JWKS. Keys with other ids are not examined, so a set
// may also publish keys of other types; the named one must be exactly one Ed25519 key.
Result<crypto::PublicKey> find_key(std::string_view jwks_json, std::string_view key_id) {
   auto parsed = jcs::parse(jwks_json);
   if(!parsed) {
      return in_context(parsed.error(), "key set");
   }
   const json& set = parsed.value();
   const auto keys = set.find("keys");
   if(keys == set.end() || !keys->is_array()) {
      return invalid("key set: not a JWKS ({\"keys\":[...]})");
   }
   const json* match = nullptr;
   for(const json& key : *keys) {
      if(!key.is_object()) {
         return invalid("key set: a key is not a JSON object");
      }
      const auto kid = key.find("kid");
      if(kid == key.end() || !kid->is_string() || kid->get_ref<const std::string&>() != key_id) {
         continue;
      }
      if(match != nullptr) {
         return invalid("key set: key id \"" + std::string(key_id) + "\" appears more than once");
      }
      match = &key;
   }
   if(match == nullptr) {
      return invalid("key set: no key with id \"" + std::string(key_id) + "\"");
   }

   const auto member_is = [&](std::string_view name, std::string_view expected) {
      const auto it = match->find(name);
      return it != match->end() && it->is_string() && it->get_ref<const std::string&>() == expected;
   };
   if(!member_is("kty", "OKP") || !member_is("crv", "Ed25519")) {
      return invalid("key set: key \"" + std::string(key_id) + "\" is not an Ed25519 key (kty OKP, crv Ed25519)");
   }
   if(match->contains("alg") && !member_is("alg", "EdDSA")) {
      return invalid("key set: key \"" + std::string(key_id) + "\" is not for alg EdDSA");
   }
   if(match->contains("use") && !member_is("use", "sig")) {
      return invalid("key set: key \"" + std::string(key_id) + "\" is not for use sig");
   }
   if(match->contains("d")) {
      return invalid("key set: key \"" + std::string(key_id) + "\" holds private key material (d)");
   }
   const auto x = match->find("x");
   if(x == match->end() || !x->is_string()) {
      return invalid("key set: key \"" + std::string(key_id) + "\" has no x");
   }
   auto public_key = crypto::PublicKey::from_base64url(x->get_ref<const std::string&>());
   if(!public_key) {
      return in_context(public_key.error(), "key set: key \"" + std::string(key_id) + "\"");
   }
   return public_key;
}

}  // namespace

std::size_t max_certificate_size() noexcept {
   return k_max_text_size;
}

std::size_t max_keys_size() noexcept {
   return k_max_text_size;
}

std::string_view trigger_name(Trigger trigger) noexcept {
   switch(trigger) {
      case Trigger::customer_request:
         return "customer_request";
      case Trigger::retention_inactive_30d:
         return "retention_inactive_30d";
   }
   return {};
}

Result<std::string> sign(const nlohmann::json& unsigned_certificate, const crypto::SigningKey& key,
                         std::string_view key_id) {
   if(!is_key_id(key_id)) {
      return invalid("key id is not 1 to 128 characters of [A-Za-z0-9._:-]");
   }
   if(!unsigned_certificate.is_object()) {
      return invalid("a certificate is a JSON object");
   }
   if(unsigned_certificate.contains("signature")) {
      return invalid("the certificate already has a signature");
   }
   json certificate = unsigned_certificate;
   if(const auto present = certificate.find("key_id"); present == certificate.end()) {
      certificate["key_id"] = std::string(key_id);
   } else if(!present->is_string() || present->get_ref<const std::string&>() != key_id) {
      return invalid("member \"key_id\" differs from the signing key's id");
   }
   if(auto checked = check_members(certificate); !checked) {
      return checked.error();
   }

   auto canonical = jcs::canonicalize(certificate);
   if(!canonical) {
      return canonical.error();
   }
   const crypto::Signature signature = key.sign(crypto::as_bytes(canonical.value()));
   certificate["signature"] = crypto::base64url_encode(signature);
   return jcs::canonicalize(certificate);
}

Result<VerifiedCertificate> verify(std::string_view certificate_json, std::string_view jwks_json) {
   if(certificate_json.size() > k_max_text_size) {
      return Error(ErrorCode::size_limit, "certificate is larger than 64 KiB");
   }
   if(jwks_json.size() > k_max_text_size) {
      return Error(ErrorCode::size_limit, "key set is larger than 64 KiB");
   }
   auto parsed = jcs::parse(certificate_json);
   if(!parsed) {
      return in_context(parsed.error(), "certificate");
   }
   json& certificate = parsed.value();
   auto checked = check_members(certificate);
   if(!checked) {
      return in_context(checked.error(), "certificate");
   }
   auto encoded_signature = string_member(certificate, "signature");
   if(!encoded_signature) {
      return in_context(encoded_signature.error(), "certificate");
   }
   const auto signature = crypto::base64url_decode(encoded_signature.value());
   if(!signature || signature.value().size() != crypto::ed25519_signature_size()) {
      return invalid("certificate: member \"signature\" is not a base64url Ed25519 signature (86 characters)");
   }
   const auto public_key = find_key(jwks_json, checked.value().key_id);
   if(!public_key) {
      return public_key.error();
   }

   certificate.erase("signature");
   const auto canonical = jcs::canonicalize(certificate);
   if(!canonical) {
      return in_context(canonical.error(), "certificate");
   }
   if(!public_key.value().verify(crypto::as_bytes(canonical.value()), signature.value())) {
      return invalid("certificate: the signature does not verify with key \"" + checked.value().key_id + "\"");
   }
   return std::move(checked).value();
}

Result<std::string> jwks(const std::vector<std::pair<std::string, crypto::PublicKey>>& keys) {
   json list = json::array();
   std::set<std::string_view> seen;
   for(const auto& [key_id, public_key] : keys) {
      if(!is_key_id(key_id)) {
         return invalid("key id \"" + key_id + "\" is not 1 to 128 characters of [A-Za-z0-9._:-]");
      }
      if(!seen.insert(key_id).second) {
         return invalid("key id \"" + key_id + "\" appears more than once");
      }
      list.push_back({{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", key_id}, {"x", public_key.to_base64url()}});
   }
   return jcs::canonicalize(json{{"keys", std::move(list)}});
}

}  // namespace leastdata::certificate
