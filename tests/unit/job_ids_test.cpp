// Jobs hold bare numeric IDs only (job_ids.hpp).
#include <leastdata/job_ids.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace {

std::string verdict(const std::string& json) {
   const leastdata::Status status = leastdata::check_job_ids(json);
   return status.ok() ? "ok" : std::string(status.error().code_name());
}

}  // namespace

TEST_CASE("job ids: positive integers and digit strings of the three kinds pass", "[job_ids]") {
   CHECK(verdict(R"({"ticket":[1,2,9223372036854775807],"user":["42","9223372036854775807"],"organization":[]})") == "ok");
   CHECK(verdict(R"({})") == "ok");
}

TEST_CASE("job ids: anything else is personal_data, and the message never repeats the value", "[job_ids]") {
   for(const char* json : {R"({"ticket":[0]})", R"({"ticket":[-1]})", R"({"ticket":[1.5]})", R"({"ticket":[1e3]})",
                           R"({"ticket":["01"]})", R"({"ticket":["12a"]})", R"({"ticket":[""]})",
                           R"({"ticket":["123456789012345678901"]})", R"({"ticket":["9223372036854775808"]})",
                           R"({"ticket":[9223372036854775808]})", R"({"user":["jane@example.com"]})",
                           R"({"user":[{"id":1}]})", R"({"user":[null]})", R"({"user":[true]})", R"({"user":7})",
                           R"({"email":["1"]})", R"([1,2])", R"("1")"}) {
      INFO(json);
      const leastdata::Status status = leastdata::check_job_ids(json);
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().code_name() == "personal_data");
      CHECK(status.error().message().find("jane") == std::string::npos);
   }
   CHECK(leastdata::check_job_ids(R"({"user":["jane@example.com"]})").error().message().rfind("ids.user[0]", 0) == 0);
}

TEST_CASE("job ids: malformed JSON and too many IDs", "[job_ids]") {
   CHECK(verdict(R"({"ticket":[1,)") == "invalid_json");
   CHECK(verdict(R"({"ticket":[1],"ticket":[2]})") == "invalid_json");
   std::string many = R"({"ticket":[)";
   for(std::size_t i = 1; i <= leastdata::max_job_ids() + 1; ++i) {
      many += (i == 1 ? "" : ",") + std::to_string(i);
   }
   many += "]}";
   CHECK(verdict(many) == "size_limit");
}
