// The iban detector against SWIFT's IBAN Registry (Release 100): every country's example IBAN
// is found, in electronic and paper form and in either case, and nothing is found once one
// character is changed (mod-97 catches every single substitution), a character added or
// dropped, or a character put where the country's BBAN structure does not allow its class.

#include "redact_iban_examples.hpp"

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;
using leastdata::redact::Finding;
using redact_test::iban_registry_examples;

std::vector<std::string> iban_spans(std::string_view text) {
   std::vector<std::string> out;
   for(const Finding& f : leastdata::redact::find(text, DetectorSet().with(Detector::iban))) {
      out.emplace_back(text.substr(f.start, f.end - f.start));
   }
   return out;
}

std::string paper_form(std::string_view iban) {
   std::string out;
   for(std::size_t i = 0; i < iban.size(); i += 4) {
      out.append(i > 0 ? " " : "").append(iban.substr(i, 4));
   }
   return out;
}

std::string lowercase(std::string_view text) {
   std::string out(text);
   for(char& c : out) {
      c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
   }
   return out;
}

/// The IBAN of `country` and `bban` with the check digits ISO 7064 gives them.
std::string with_check_digits(std::string_view country, std::string_view bban) {
   unsigned remainder = 0;
   const std::string rearranged = std::string(bban) + std::string(country) + "00";
   for(char c : rearranged) {
      remainder = c >= '0' && c <= '9' ? (remainder * 10 + static_cast<unsigned>(c - '0')) % 97
                                       : (remainder * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
   }
   const unsigned check = 98 - remainder;
   return std::string(country) + static_cast<char>('0' + check / 10) + static_cast<char>('0' + check % 10) +
          std::string(bban);
}

}  // namespace

TEST_CASE("redact/iban: every country of the registry, by its example", "[redact][iban][registry]") {
   CHECK(std::size(iban_registry_examples) == 89);
   for(std::string_view example : iban_registry_examples) {
      INFO("example: " << example);
      const std::vector<std::string> electronic{std::string(example)};
      CHECK(iban_spans(example) == electronic);
      CHECK(iban_spans("IBAN " + std::string(example) + ".") == electronic);
      const std::vector<std::string> paper{paper_form(example)};
      CHECK(iban_spans(paper_form(example)) == paper);
      const std::vector<std::string> lower{lowercase(example)};
      CHECK(iban_spans(lowercase(example)) == lower);
   }
}

TEST_CASE("redact/iban: a registry example with one character changed is not found", "[redact][iban][registry]") {
   for(std::string_view example : iban_registry_examples) {
      for(std::size_t i = 2; i < example.size(); ++i) {
         if(example[i] < '0' || example[i] > '9') {
            continue;
         }
         std::string changed(example);
         changed[i] = static_cast<char>('0' + (example[i] - '0' + 1) % 10);
         INFO("changed: " << changed);
         CHECK(iban_spans(changed).empty());
         CHECK(iban_spans(paper_form(changed)).empty());
      }
      const std::string longer = std::string(example) + "0";
      const std::string shorter(example.substr(0, example.size() - 1));
      INFO("example: " << example);
      CHECK(iban_spans(with_check_digits(example.substr(0, 2), longer.substr(4))).empty());
      CHECK(iban_spans(with_check_digits(example.substr(0, 2), shorter.substr(4))).empty());
   }
}

TEST_CASE("redact/iban: the BBAN structure of the country is required", "[redact][iban][registry]") {
   // Valid check digits throughout; only the class of one character is wrong for the country.
   const std::vector<std::string> wrong_class = {
      with_check_digits("DE", "37040044053201300A"),         // DE 8!n10!n: a letter in the account
      with_check_digits("AT", "1904300234573A01"),           // AT 5!n11!n
      with_check_digits("NL", "00000417164300"),             // NL 4!a10!n: digits for the bank code
      with_check_digits("GB", "NWBK6016133192681A"),         // GB 4!a6!n8!n
      with_check_digits("IT", "00542811101000000123456"),    // IT 1!a5!n5!n12!c: a digit for the CIN
      with_check_digits("BR", "0036030500001000979549311"),  // BR 8!n5!n10!n1!a1!c: a digit for the type
   };
   for(const std::string& iban : wrong_class) {
      INFO("iban: " << iban);
      CHECK(iban_spans(iban).empty());
      CHECK(iban_spans(paper_form(iban)).empty());
   }
   // The same constructions with the right classes are found.
   CHECK(iban_spans(with_check_digits("DE", "370400440532013001")).size() == 1);
   CHECK(iban_spans(with_check_digits("IT", "X0542811101000000123456")).size() == 1);
   CHECK(iban_spans(with_check_digits("BR", "00360305000010009795493C1")).size() == 1);
}
