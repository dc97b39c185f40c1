// Structured logs: one JSON object per line on stderr.
//
// Callers pass only operational facts: event names, route templates (never raw paths),
// status codes, durations, counts, certificate ids, key versions. Never personal data
// (subdomains, agent ids, emails, IP addresses) and never secrets or request bodies.
// There is deliberately no "message" field taking arbitrary text.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace leastdata::server::log {

/// Writes `{"ts":...,"level":...,"event":...,<fields>}` and a newline, atomically.
void write(std::string_view level, std::string_view event, const nlohmann::json& fields = nlohmann::json::object());

inline void info(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
   write("info", event, fields);
}
inline void warn(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
   write("warn", event, fields);
}
inline void error(std::string_view event, const nlohmann::json& fields = nlohmann::json::object()) {
   write("error", event, fields);
}

}  // namespace leastdata::server::log
