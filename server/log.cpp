// JSON-lines logging to stderr; a mutex keeps lines from interleaving across threads.
#include "log.hpp"

#include "clock.hpp"

#include <cstdio>
#include <mutex>

namespace leastdata::server::log {

void write(std::string_view level, std::string_view event, const nlohmann::json& fields) {
   static std::mutex mutex;
   nlohmann::ordered_json line = {{"ts", format_time(SystemClock().now())}, {"level", level}, {"event", event}};
   if(fields.is_object()) {
      for(const auto& [key, value] : fields.items()) {
         line[key] = value;
      }
   }
   const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
   const std::lock_guard lock(mutex);
   std::fwrite(text.data(), 1, text.size(), stderr);
   std::fflush(stderr);
}

}  // namespace leastdata::server::log
