// Error values that cross module boundaries (C++ core, embind surface, endpoint).
//
// Every failure in leastdata is an `Error` with a stable machine-readable code, a human
// message and, where it applies, a byte offset into the input (or into the selection
// text for `invalid_policy`). Functions that can fail return `Status` or `Result<T>`,
// both `[[nodiscard]]` so a failure cannot be silently dropped (the simdjson habit).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace leastdata {

enum class ErrorCode {
   invalid_policy,
   invalid_json,
   invalid_utf8,
   depth_limit,
   size_limit,
   duplicate_key,
   invalid_argument,
   invalid_certificate,  // malformed, or not signed by a published key
   personal_data,        // something other than bare numeric IDs where only IDs may go
   request_not_allowed,  // a request no entry of the policy's `requests` matches (DESIGN §2.5)
   write_not_allowed,    // a request body not entirely inside the policy's `write` selection
};

/// The stable wire name of a code, e.g. "invalid_json".
std::string_view error_code_name(ErrorCode code) noexcept;

class Error final {
   public:
      Error(ErrorCode code, std::string message, std::optional<std::size_t> offset = std::nullopt) :
         m_code(code), m_message(std::move(message)), m_offset(offset) {}

      ErrorCode code() const noexcept { return m_code; }
      std::string_view code_name() const noexcept { return error_code_name(m_code); }
      const std::string& message() const noexcept { return m_message; }
      const std::optional<std::size_t>& offset() const noexcept { return m_offset; }

      /// `{"error":{"code":"...","message":"...","offset":N}}` — the CLI's one-line form.
      std::string to_json() const;

   private:
      ErrorCode m_code;
      std::string m_message;
      std::optional<std::size_t> m_offset;
};

/// Success or an Error.
class [[nodiscard]] Status final {
   public:
      Status() = default;
      Status(Error error) : m_error(std::move(error)) {}

      bool ok() const noexcept { return !m_error.has_value(); }
      explicit operator bool() const noexcept { return ok(); }
      const Error& error() const { return *m_error; }

   private:
      std::optional<Error> m_error;
};

/// A value or an Error.
template <typename T>
class [[nodiscard]] Result final {
   public:
      Result(T value) : m_state(std::move(value)) {}
      Result(Error error) : m_state(std::move(error)) {}

      bool ok() const noexcept { return std::holds_alternative<T>(m_state); }
      explicit operator bool() const noexcept { return ok(); }

      T& value() & { return std::get<T>(m_state); }
      const T& value() const& { return std::get<T>(m_state); }
      T&& value() && { return std::get<T>(std::move(m_state)); }
      const Error& error() const { return std::get<Error>(m_state); }

   private:
      std::variant<T, Error> m_state;
};

}  // namespace leastdata
