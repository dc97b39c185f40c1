// Error codes and their wire form (see error.hpp).
#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>

namespace leastdata {

std::string_view error_code_name(ErrorCode code) noexcept {
   switch(code) {
      case ErrorCode::invalid_policy: return "invalid_policy";
      case ErrorCode::invalid_json: return "invalid_json";
      case ErrorCode::invalid_utf8: return "invalid_utf8";
      case ErrorCode::depth_limit: return "depth_limit";
      case ErrorCode::size_limit: return "size_limit";
      case ErrorCode::duplicate_key: return "duplicate_key";
      case ErrorCode::invalid_argument: return "invalid_argument";
      case ErrorCode::invalid_certificate: return "invalid_certificate";
      case ErrorCode::personal_data: return "personal_data";
      case ErrorCode::request_not_allowed: return "request_not_allowed";
      case ErrorCode::write_not_allowed: return "write_not_allowed";
   }
   return "internal_error";
}

std::string Error::to_json() const {
   nlohmann::ordered_json error{{"code", std::string(code_name())}, {"message", m_message}};
   if(m_offset) {
      error["offset"] = *m_offset;
   }
   return nlohmann::ordered_json{{"error", std::move(error)}}.dump(-1, ' ', false,
                                                                 nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace leastdata
