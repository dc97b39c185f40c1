// Time for the endpoint: one injectable source, so retention deadlines, JWT checks and
// the tests that move time forward all read the same clock.
//
// Production uses the system clock. `sweep --now` uses a fixed instant. For black-box
// tests of `serve`, the environment variable LEASTDATA_TEST_CLOCK_FILE names a file
// holding a signed number of seconds added to the system time, re-read on every call, so
// a test can move a running server's time. It is for tests only: the server logs a
// warning at start when it is set (docs/endpoint.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace leastdata::server {

/// Milliseconds since the Unix epoch, UTC.
using Millis = std::int64_t;

inline constexpr Millis k_second = 1000;
inline constexpr Millis k_minute = 60 * k_second;
inline constexpr Millis k_hour = 60 * k_minute;
inline constexpr Millis k_day = 24 * k_hour;

inline constexpr std::string_view k_test_clock_variable = "LEASTDATA_TEST_CLOCK_FILE";

class Clock {
   public:
      virtual ~Clock() = default;
      virtual Millis now() const = 0;
};

class SystemClock final : public Clock {
   public:
      Millis now() const override;
};

class FixedClock final : public Clock {
   public:
      explicit FixedClock(Millis at) : m_at(at) {}
      Millis now() const override { return m_at; }

   private:
      Millis m_at;
};

/// Test-only: the system time plus the seconds written in a file (missing or empty: 0).
class OffsetFileClock final : public Clock {
   public:
      explicit OffsetFileClock(std::string path) : m_path(std::move(path)) {}
      Millis now() const override;

   private:
      std::string m_path;
};

/// `fixed` if given; else the test clock if LEASTDATA_TEST_CLOCK_FILE is set; else the system clock.
std::unique_ptr<Clock> make_clock(std::optional<Millis> fixed = std::nullopt);

/// "2024-05-02T09:14:03.120Z" (always milliseconds, always Z).
std::string format_time(Millis at);

/// "2024-05-02".
std::string format_day(Millis at);

/// RFC 3339 with `T`, seconds, an optional fraction (up to 9 digits, truncated to
/// milliseconds) and `Z` or a numeric offset. Nothing else.
std::optional<Millis> parse_time(std::string_view text);

/// "YYYY-MM-DD" with a real calendar date; the instant is its midnight UTC.
std::optional<Millis> parse_day(std::string_view text);

}  // namespace leastdata::server
