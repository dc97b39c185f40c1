// Aggregate statistics: named non-negative counters per app and day.
#include "app_name.hpp"
#include "http/call.hpp"
#include "http/names.hpp"

#include "leastdata/jcs.hpp"

#include <httplib.h>

namespace leastdata::server {

using nlohmann::json;

namespace {

// Beyond 2^53 - 1 a counter would not survive a JavaScript reader.
constexpr auto k_max_safe_integer = static_cast<std::int64_t>(jcs::k_max_exact_integer);
constexpr std::size_t k_max_counters = 256;

// Statistic names: [a-z0-9_]{1,64}
bool valid_stat_name(std::string_view s) {
   return names::matches(s, 1, 64, [](char c) { return names::lower_alnum(c) || c == '_'; });
}

[[noreturn]] void invalid_stats(const std::string& message) {
   throw ApiError(ErrorCode::invalid_stats, message);
}

}  // namespace

namespace handlers {

Reply post_stats(Call& call) {
   const json body = parse_body(call);
   for(const auto& [key, value] : body.items()) {
      if(key != "app" && key != "counters") {
         invalid_stats("the body has a member stats do not have; the body is {\"app\":...,\"counters\":{...}}");
      }
   }
   if(!body.contains("app") || !body["app"].is_string() || !valid_app(body["app"].get_ref<const std::string&>())) {
      invalid_stats("app must be 1-64 characters of [a-z0-9_-], starting with a letter or digit");
   }
   if(!body.contains("counters") || !body["counters"].is_object() || body["counters"].empty() ||
      body["counters"].size() > k_max_counters) {
      invalid_stats("counters must be an object with 1 to " + std::to_string(k_max_counters) + " members");
   }
   std::vector<std::pair<std::string, std::int64_t>> counters;
   for(const auto& [name, value] : body["counters"].items()) {
      if(!valid_stat_name(name)) {
         invalid_stats("counter names are 1-64 characters of [a-z0-9_]");
      }
      std::int64_t n = -1;
      if(value.is_number_unsigned()) {
         n = value.get<std::uint64_t>() <= static_cast<std::uint64_t>(k_max_safe_integer)
                ? static_cast<std::int64_t>(value.get<std::uint64_t>())
                : -1;
      } else if(value.is_number_integer()) {
         n = value.get<std::int64_t>();
      }
      if(n < 0 || n > k_max_safe_integer) {
         invalid_stats("every counter must be a non-negative integer below 2^53");
      }
      counters.emplace_back(name, n);
   }
   const std::string& app = body["app"].get_ref<const std::string&>();
   const std::string day = format_day(call.now);
   call.ep.store.add_stats(call.tenant_id(), app, day, counters);
   return json_reply(200, {{"app", app}, {"day", day}, {"accepted", counters.size()}});
}

Reply get_stats(Call& call) {
   const std::string app = call.req.get_param_value("app");
   if(!valid_app(app)) {
      bad_request("query parameter app is required (1-64 characters of [a-z0-9_-])");
   }
   const std::string from = call.req.get_param_value("from");
   const std::string to = call.req.get_param_value("to");
   if((!from.empty() && !parse_day(from)) || (!to.empty() && !parse_day(to))) {
      bad_request("from and to are days, YYYY-MM-DD");
   }
   json days = json::array();
   std::string current;
   for(const StatCounter& c : call.ep.store.stats(call.tenant_id(), app, from, to)) {
      if(c.day != current) {
         days.push_back({{"day", c.day}, {"counters", json::object()}});
         current = c.day;
      }
      days.back()["counters"][c.name] = c.value;
   }
   return json_reply(200, {{"app", app}, {"days", std::move(days)}});
}

}  // namespace handlers

}  // namespace leastdata::server
