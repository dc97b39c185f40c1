// Token buckets by key (a tenant, a source address, a claimed issuer), per instance: the
// per-tenant request limit and the limit on failed authentications (docs/endpoint.md).
#pragma once

#include "clock.hpp"

#include <mutex>
#include <string>
#include <unordered_map>

namespace leastdata::server {

class RateLimiter final {
   public:
      /// `per_minute` is both the burst and the refill; 0 or less: no limit.
      explicit RateLimiter(double per_minute) : m_capacity(per_minute), m_rate(per_minute / 60000.0) {}

      /// 0 if allowed (and counted), else the seconds to wait.
      long take(const std::string& key, Millis now);

   private:
      struct Bucket {
            double tokens;
            Millis at;
      };
      double m_capacity;
      double m_rate;  // tokens per millisecond
      std::mutex m_mutex;
      std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace leastdata::server
