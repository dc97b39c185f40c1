// The one error type of the HTTP layer: a status, a stable code and a message, written as
// {"error":{"code":...,"message":...}}. Messages never contain request values.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace leastdata::server {

class ApiError final : public std::runtime_error {
   public:
      ApiError(int status, std::string code, const std::string& message) :
         std::runtime_error(message), m_status(status), m_code(std::move(code)) {}

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
      const std::string& code() const noexcept { return m_code; }
      const std::vector<std::pair<std::string, std::string>>& headers() const noexcept { return m_headers; }

   private:
      int m_status;
      std::string m_code;
      std::vector<std::pair<std::string, std::string>> m_headers;
      std::string m_log_detail;
};

}  // namespace leastdata::server
