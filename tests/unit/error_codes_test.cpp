// The error table (error_codes.hpp): each code has one name that reads back to it, and a
// status exactly when the endpoint answers it over HTTP.
#include <catch2/catch.hpp>

#include <leastdata/error.hpp>

#include <set>
#include <string>

using leastdata::ErrorCode;

namespace {

std::set<ErrorCode> every_code() {
   std::set<ErrorCode> codes;
#define LEASTDATA_TEST_CODE(name, http_status, raised_by) codes.insert(ErrorCode::name);
   LEASTDATA_ERROR_CODES(LEASTDATA_TEST_CODE)
#undef LEASTDATA_TEST_CODE
   return codes;
}

}  // namespace

TEST_CASE("error codes: each name is unique and reads back to its code", "[errors][codes]") {
   std::set<std::string> names;
   for(const ErrorCode code : every_code()) {
      const std::string name(leastdata::error_code_name(code));
      CHECK(names.insert(name).second);
      CHECK(leastdata::error_code_from_name(name) == code);
   }
   CHECK(names.size() > 40);
   CHECK(!leastdata::error_code_from_name("internal"));
   CHECK(!leastdata::error_code_from_name("conflicts"));
   CHECK(!leastdata::error_code_from_name(""));
}

TEST_CASE("error codes: what the endpoint raises has an HTTP status, what only the package raises has none",
          "[errors][codes]") {
   for(const ErrorCode code : every_code()) {
      const int status = leastdata::error_http_status(code);
      const unsigned who = leastdata::error_raised_by(code);
      INFO(leastdata::error_code_name(code));
      CHECK(who != 0);
      if((who & leastdata::raised_by::endpoint) != 0) {
         CHECK((status >= 400 && status <= 599));
      }
      if(who == leastdata::raised_by::package || who == leastdata::raised_by::command) {
         CHECK(status == 0);
      }
   }
   // The reconciled codes (issue 18): one name and one status wherever they are raised.
   CHECK(leastdata::error_http_status(ErrorCode::internal_error) == 500);
   CHECK(leastdata::error_http_status(ErrorCode::size_limit) == 413);
   CHECK(leastdata::error_http_status(ErrorCode::version_conflict) == 409);
   CHECK(leastdata::error_http_status(ErrorCode::popup_blocked) == 0);
}
