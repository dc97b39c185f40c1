// The one error type of the HTTP layer: a code of the core's table (error_codes.hpp), the
// status the table gives it, and a message, written as {"error":{"code":...,"message":...}}.
// Messages never contain request values.
#pragma once

#include "leastdata/error.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace leastdata::server {

class ApiError final : public std::runtime_error {
   public:
      ApiError(ErrorCode code, const std::string& message) : ApiError(code, error_http_status(code), message) {}

      /// Another status than the table's, for a route with a documented reason to differ.
      ApiError(ErrorCode code, int status, const std::string& message) :
         std::runtime_error(message), m_status(status), m_code(code) {
         if(status < 400 || status > 599) {
            // A code that is never an HTTP answer (error_codes.hpp) reached the HTTP layer.
            throw std::logic_error("error code " + std::string(error_code_name(code)) + " has no HTTP status");
         }
      }

      /// Adds a response header (e.g. Retry-After).
      ApiError& with_header(std::string name, std::string value) {
         m_headers.emplace_back(std::move(name), std::move(value));
         return *this;
      }

      /// A fixed reason for the operator's log, never sent to the client (e.g. why a token
      /// was refused, where the client gets one message for every refusal).
      ApiError& with_log_detail(std::string detail) {
         m_log_detail = std::move(detail);
         return *this;
      }

      int status() const noexcept { return m_status; }
      const std::string& log_detail() const noexcept { return m_log_detail; }
      ErrorCode code() const noexcept { return m_code; }
      const std::vector<std::pair<std::string, std::string>>& headers() const noexcept { return m_headers; }

      /// The body of an error reply: {"error":{"code":...,"message":...}}.
      static std::string body(ErrorCode code, const std::string& message);

      std::string body() const { return body(m_code, what()); }

   private:
      int m_status;
      ErrorCode m_code;
      std::vector<std::pair<std::string, std::string>> m_headers;
      std::string m_log_detail;
};

}  // namespace leastdata::server
