// Error values that cross module boundaries (C++ core, the wasm exports, endpoint).
//
// Every failure in leastdata is an `Error` with a stable machine-readable code, a human
// message and, where it applies, a byte offset into the input (or into the selection
// text for `invalid_policy`). Functions that can fail return `Status` or `Result<T>`,
// both `[[nodiscard]]` so a failure cannot be silently dropped (the simdjson habit).
#pragma once

#include <leastdata/error_codes.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace leastdata {

/// Every code of leastdata, in the order of error_codes.hpp (where each is described).
enum class ErrorCode {
#define LEASTDATA_ERROR_ENUMERATOR(name, http_status, raised_by) name,
   LEASTDATA_ERROR_CODES(LEASTDATA_ERROR_ENUMERATOR)
#undef LEASTDATA_ERROR_ENUMERATOR
};

/// The stable wire name of a code, e.g. "invalid_json".
std::string_view error_code_name(ErrorCode code) noexcept;

/// The code whose wire name is `name`, if any.
std::optional<ErrorCode> error_code_from_name(std::string_view name) noexcept;

/// The HTTP status the endpoint answers `code` with; 0 if it is never an HTTP answer.
int error_http_status(ErrorCode code) noexcept;

/// Who raises `code`: bits of leastdata::raised_by.
unsigned error_raised_by(ErrorCode code) noexcept;

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
