// The helpers every handler shares (call.hpp).
#include "http/call.hpp"

#include "app_name.hpp"

#include "leastdata/jcs.hpp"

#include <httplib.h>

namespace leastdata::server {

nlohmann::json parse_body(const Call& call) {
   auto value = jcs::parse(call.req.body);
   if(!value) {
      // The parser's own message can quote the input (even bytes that are not UTF-8, which no
      // JSON reply could carry): name the fault by its code instead.
      std::string message = "the body is not valid JSON (" + std::string(value.error().code_name()) + ")";
      if(value.error().offset()) {
         message += " at byte " + std::to_string(*value.error().offset());
      }
      throw ApiError(ErrorCode::invalid_json, message);
   }
   if(!value.value().is_object()) {
      bad_request("the body must be a JSON object");
   }
   return std::move(value).value();
}

const std::string& app_param(const Call& call) {
   if(!valid_app(call.params[0])) {
      bad_request("an app name is 1-64 characters of [a-z0-9_-], starting with a letter or digit");
   }
   return call.params[0];
}

nlohmann::json time_or_null(const std::optional<Millis>& at) {
   return at ? nlohmann::json(format_time(*at)) : nlohmann::json(nullptr);
}

}  // namespace leastdata::server
