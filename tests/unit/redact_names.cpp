// Unit tests of the redaction vocabulary: detector and action wire names, and DetectorSet
// (bit masks and the "all" / "email,phone" parser used by the JS API, CLI and policies).

#include <leastdata/redact.hpp>

#include <catch2/catch.hpp>

#include <iterator>
#include <string_view>

namespace {

using leastdata::ErrorCode;
using leastdata::redact::Action;
using leastdata::redact::Detector;
using leastdata::redact::DetectorSet;

}  // namespace

TEST_CASE("redact/names: detector names round-trip", "[redact][names]") {
   constexpr std::string_view names[] = {"email", "phone", "credit_card", "iban", "ip", "url_secret", "jwt"};
   static_assert(std::size(names) == leastdata::redact::detector_count());
   for(std::size_t i = 0; i < std::size(names); ++i) {
      const auto detector = static_cast<Detector>(i);
      CHECK(leastdata::redact::detector_name(detector) == names[i]);
      CHECK(leastdata::redact::detector_from_name(names[i]) == detector);
   }
   CHECK_FALSE(leastdata::redact::detector_from_name("Email").has_value());
   CHECK_FALSE(leastdata::redact::detector_from_name("all").has_value());
   CHECK_FALSE(leastdata::redact::detector_from_name("").has_value());
}

TEST_CASE("redact/names: action names round-trip", "[redact][names]") {
   constexpr std::string_view names[] = {"remove", "label", "mask", "pseudonym"};
   for(std::size_t i = 0; i < std::size(names); ++i) {
      const auto action = static_cast<Action>(i);
      CHECK(leastdata::redact::action_name(action) == names[i]);
      CHECK(leastdata::redact::action_from_name(names[i]) == action);
   }
   CHECK_FALSE(leastdata::redact::action_from_name("redact").has_value());
   CHECK_FALSE(leastdata::redact::action_from_name("Mask").has_value());
}

TEST_CASE("redact/names: DetectorSet masks", "[redact][names]") {
   CHECK(DetectorSet().empty());
   CHECK(DetectorSet::all().mask() == 0x7F);
   CHECK(DetectorSet::from_mask(0xFF) == DetectorSet::all());
   const DetectorSet set = DetectorSet::from_mask(0b0000101);
   CHECK(set.contains(Detector::email));
   CHECK_FALSE(set.contains(Detector::phone));
   CHECK(set.contains(Detector::credit_card));
   CHECK(set.with(Detector::phone).mask() == 0b0000111);
   for(std::size_t i = 0; i < leastdata::redact::detector_count(); ++i) {
      CHECK(DetectorSet::all().contains(static_cast<Detector>(i)));
      CHECK_FALSE(DetectorSet().contains(static_cast<Detector>(i)));
   }
}

TEST_CASE("redact/names: DetectorSet::parse", "[redact][names]") {
   struct Good {
         std::string_view spec;
         DetectorSet set;
   };
   const Good good[] = {
      {"all", DetectorSet::all()},
      {"email", DetectorSet().with(Detector::email)},
      {"email,phone", DetectorSet().with(Detector::email).with(Detector::phone)},
      {" email , ip ", DetectorSet().with(Detector::email).with(Detector::ip)},
      {"jwt,jwt", DetectorSet().with(Detector::jwt)},
      {"iban,all", DetectorSet::all()},
      {"email,phone,credit_card,iban,ip,url_secret,jwt", DetectorSet::all()},
   };
   for(const Good& g : good) {
      INFO("spec: " << g.spec);
      const auto parsed = DetectorSet::parse(g.spec);
      REQUIRE(parsed.ok());
      CHECK(parsed.value() == g.set);
   }

   struct Bad {
         std::string_view spec;
         std::size_t offset;
   };
   const Bad bad[] = {
      {"", 0},
      {"emial", 0},
      {"email,,phone", 6},
      {"email, fax", 7},
      {"email,", 6},
      {"ALL", 0},
   };
   for(const Bad& b : bad) {
      INFO("spec: " << b.spec);
      const auto parsed = DetectorSet::parse(b.spec);
      REQUIRE_FALSE(parsed.ok());
      CHECK(parsed.error().code() == ErrorCode::invalid_argument);
      CHECK(parsed.error().offset() == b.offset);
   }
}

TEST_CASE("redact/names: the detector table ranks every detector apart, and the set has room to grow", "[redact][names]") {
   using leastdata::redact::detector_table;
   for(std::size_t i = 0; i < leastdata::redact::detector_count(); ++i) {
      CHECK(static_cast<std::size_t>(detector_table[i].detector) == i);
      for(std::size_t j = i + 1; j < leastdata::redact::detector_count(); ++j) {
         CHECK(detector_table[i].rank != detector_table[j].rank);
      }
   }
   CHECK(leastdata::redact::detector_names_list() == "email, phone, credit_card, iban, ip, url_secret, jwt");
   static_assert(8 * sizeof(DetectorSet::Bits) >= 32);
}
