// See rate_limiter.hpp.
#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace leastdata::server {

long RateLimiter::take(const std::string& key, Millis now) {
   if(m_capacity <= 0) {
      return 0;
   }
   const std::lock_guard lock(m_mutex);
   if(m_buckets.size() > 100000) {
      m_buckets.clear();  // a full reset only ever lets requests through
   }
   auto [it, inserted] = m_buckets.try_emplace(key, Bucket{m_capacity, now});
   Bucket& b = it->second;
   b.tokens = std::min(m_capacity, b.tokens + static_cast<double>(std::max<Millis>(0, now - b.at)) * m_rate);
   b.at = now;
   if(b.tokens >= 1.0) {
      b.tokens -= 1.0;
      return 0;
   }
   return static_cast<long>(std::ceil((1.0 - b.tokens) / m_rate / 1000.0));
}

}  // namespace leastdata::server
