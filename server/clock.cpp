// Clocks and the RFC 3339 forms the endpoint reads and writes. Calendar arithmetic is
// done by hand (days_from_civil, H. Hinnant) so nothing depends on the process time zone.
#include "clock.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace leastdata::server {

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
   y -= m <= 2;
   const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
   const auto yoe = static_cast<unsigned>(y - era * 400);
   const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
   const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
   return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
      std::int64_t year;
      unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
   z += 719468;
   const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
   const auto doe = static_cast<unsigned>(z - era * 146097);
   const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
   const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
   const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
   const unsigned mp = (5 * doy + 2) / 153;
   const unsigned d = doy - (153 * mp + 2) / 5 + 1;
   const unsigned m = mp < 10 ? mp + 3 : mp - 9;
   return {y + (m <= 2), m, d};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
   return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool valid_date(std::int64_t y, int m, int d) {
   static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
   if(m < 1 || m > 12 || d < 1) {
      return false;
   }
   const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
   return d <= k_days[m - 1] + (m == 2 && leap ? 1 : 0);
}

// Reads `count` digits at `at`, or -1.
int digits(std::string_view s, std::size_t at, std::size_t count) {
   if(at + count > s.size()) {
      return -1;
   }
   int value = 0;
   for(std::size_t i = at; i < at + count; ++i) {
      if(s[i] < '0' || s[i] > '9') {
         return -1;
      }
      value = value * 10 + (s[i] - '0');
   }
   return value;
}

}  // namespace

Millis SystemClock::now() const {
   return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Millis OffsetFileClock::now() const {
   std::ifstream in(m_path);
   long long seconds = 0;
   if(in) {
      in >> seconds;
      if(!in) {
         seconds = 0;
      }
   }
   return SystemClock().now() + static_cast<Millis>(seconds) * k_second;
}

std::unique_ptr<Clock> make_clock(std::optional<Millis> fixed) {
   if(fixed) {
      return std::make_unique<FixedClock>(*fixed);
   }
   if(const char* file = std::getenv(std::string(k_test_clock_variable).c_str()); file != nullptr && *file != '\0') {
      return std::make_unique<OffsetFileClock>(file);
   }
   return std::make_unique<SystemClock>();
}

std::string format_time(Millis at) {
   const std::int64_t days = floor_div(at, k_day);
   const Millis in_day = at - days * k_day;
   const Civil c = civil_from_days(days);
   char out[64];
   std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(c.year),
                 c.month, c.day, static_cast<long long>(in_day / k_hour),
                 static_cast<long long>(in_day % k_hour / k_minute),
                 static_cast<long long>(in_day % k_minute / k_second), static_cast<long long>(in_day % k_second));
   return out;
}

std::string format_day(Millis at) {
   return format_time(at).substr(0, 10);
}

std::optional<Millis> parse_day(std::string_view s) {
   if(s.size() != 10 || s[4] != '-' || s[7] != '-') {
      return std::nullopt;
   }
   const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
   if(y < 0 || m < 0 || d < 0 || !valid_date(y, m, d)) {
      return std::nullopt;
   }
   return days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)) * k_day;
}

std::optional<Millis> parse_time(std::string_view s) {
   if(s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') {
      return std::nullopt;
   }
   const auto day = parse_day(s.substr(0, 10));
   const int hh = digits(s, 11, 2), mm = digits(s, 14, 2), ss = digits(s, 17, 2);
   if(!day || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) {
      return std::nullopt;
   }
   Millis at = *day + hh * k_hour + mm * k_minute + ss * k_second;
   std::size_t i = 19;
   if(s[i] == '.') {
      std::size_t n = 0;
      Millis fraction = 0;
      for(++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
         if(n < 3) {
            fraction = fraction * 10 + (s[i] - '0');
         }
      }
      if(n == 0 || n > 9) {
         return std::nullopt;
      }
      for(std::size_t k = n; k < 3; ++k) {
         fraction *= 10;
      }
      at += fraction;
   }
   const std::string_view zone = s.substr(i);
   if(zone == "Z") {
      return at;
   }
   if(zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
      return std::nullopt;
   }
   const int oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
   if(oh < 0 || oh > 23 || om < 0 || om > 59) {
      return std::nullopt;
   }
   const Millis offset = oh * k_hour + om * k_minute;
   return zone[0] == '+' ? at - offset : at + offset;
}

}  // namespace leastdata::server
