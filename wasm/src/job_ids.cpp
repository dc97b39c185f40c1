// See job_ids.hpp.
#include <leastdata/job_ids.hpp>

#include "json_document.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace leastdata {

namespace {

// Zendesk IDs are positive 64-bit signed integers.
constexpr std::string_view max_id_digits = "9223372036854775807";

Error personal_data(std::string where) {
   return Error(ErrorCode::personal_data,
                where + ": a job holds only bare numeric IDs (positive integers or digit strings)");
}

}  // namespace

bool is_job_id_digits(std::string_view digits) noexcept {
   if(digits.empty() || digits.size() > max_id_digits.size() || digits.front() == '0') {
      return false;
   }
   for(char c : digits) {
      if(c < '0' || c > '9') {
         return false;
      }
   }
   // Same length: digit strings compare like the numbers they spell.
   return digits.size() < max_id_digits.size() || digits <= max_id_digits;
}

Status check_job_ids(std::string_view ids_json) {
   auto parsed = detail::parse_json_document(ids_json, ErrorCode::invalid_json, "job ids");
   if(!parsed) {
      return parsed.error();
   }
   const auto& ids = parsed.value();
   if(!ids.is_object()) {
      return personal_data("ids");
   }
   std::size_t total = 0;
   for(const auto& [kind, list] : ids.items()) {
      if(kind != "ticket" && kind != "user" && kind != "organization") {
         return personal_data("ids: only ticket, user and organization IDs; the member at position " +
                              std::to_string(total) + " is another kind");
      }
      if(!list.is_array()) {
         return personal_data("ids." + kind + " must be an array");
      }
      for(std::size_t i = 0; i != list.size(); ++i) {
         if(!is_job_id(list[i])) {
            return personal_data("ids." + kind + "[" + std::to_string(i) + "]");
         }
      }
      total += list.size();
      if(total > max_job_ids()) {
         return Error(ErrorCode::size_limit, "a job holds at most " + std::to_string(max_job_ids()) + " IDs");
      }
   }
   return {};
}

}  // namespace leastdata
