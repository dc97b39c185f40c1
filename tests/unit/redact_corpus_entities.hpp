// The entity makers and hard negatives of the generated redaction corpus
// (redact_corpus.cpp); redact_corpus_entities.cpp says which forms each one writes.
#pragma once

#include "redact_corpus_support.hpp"

#include <cstddef>
#include <string>

namespace redact_test {

std::string make_email(Rng& rng);
std::string make_phone(Rng& rng);
std::string make_card(Rng& rng);
std::string make_iban(Rng& rng);
std::string make_ip(Rng& rng);
/// A URL with a secret; `secret_at` and `secret_size` receive where the secret is within it.
std::string make_url_secret(Rng& rng, std::size_t& secret_at, std::size_t& secret_size);
std::string make_jwt(Rng& rng);

/// Something no detector may report: a date, time, version, order or ticket number, price,
/// percentage, Luhn-failing card number, IBAN with a wrong checksum or structure, ...
std::string make_negative(Rng& rng);

}  // namespace redact_test
