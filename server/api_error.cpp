// The wire form of an ApiError (api_error.hpp).
#include "api_error.hpp"

#include <nlohmann/json.hpp>

namespace leastdata::server {

std::string ApiError::body(ErrorCode code, const std::string& message) {
   using nlohmann::json;
   // `replace`: an error reply must never fail to be written (dump throws on invalid UTF-8).
   return json{{"error", {{"code", error_code_name(code)}, {"message", message}}}}.dump(-1, ' ', false,
                                                                                       json::error_handler_t::replace);
}

}  // namespace leastdata::server
