// Wire names of detectors and actions, and the parser of detector lists ("all",
// "email,phone") used by the JS API, the CLI's --detect and policy redact rules.

#include <leastdata/redact.hpp>

#include <algorithm>
#include <array>
#include <string>

namespace leastdata::redact {

namespace {

constexpr std::array<std::string_view, 4> action_names = {"remove", "label", "mask", "pseudonym"};

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::string_view detector_name(Detector detector) noexcept { return detector_info(detector).name; }

std::string detector_names_list() {
   std::string list;
   for(const DetectorInfo& row : detector_table) {
      if(!list.empty()) {
         list += ", ";
      }
      list += row.name;
   }
   return list;
}

std::optional<Detector> detector_from_name(std::string_view name) noexcept {
   for(const DetectorInfo& row : detector_table) {
      if(row.name == name) {
         return row.detector;
      }
   }
   return std::nullopt;
}

std::string_view action_name(Action action) noexcept {
   return action_names[static_cast<std::size_t>(action)];
}

std::optional<Action> action_from_name(std::string_view name) noexcept {
   for(std::size_t i = 0; i < action_names.size(); ++i) {
      if(action_names[i] == name) {
         return static_cast<Action>(i);
      }
   }
   return std::nullopt;
}

Result<DetectorSet> DetectorSet::parse(std::string_view spec) {
   DetectorSet set;
   std::size_t pos = 0;
   for(;;) {
      const std::size_t comma = std::min(spec.find(',', pos), spec.size());
      std::size_t begin = pos;
      std::size_t end = comma;
      while(begin < end && is_space(spec[begin])) {
         ++begin;
      }
      while(end > begin && is_space(spec[end - 1])) {
         --end;
      }
      const std::string_view name = spec.substr(begin, end - begin);
      if(name.empty()) {
         return Error(ErrorCode::invalid_argument, "empty detector name", begin);
      }
      if(name == "all") {
         set = all();
      } else if(const auto detector = detector_from_name(name)) {
         set = set.with(*detector);
      } else {
         return Error(ErrorCode::invalid_argument, "unknown detector '" + std::string(name) + "'", begin);
      }
      if(comma == spec.size()) {
         return set;
      }
      pos = comma + 1;
   }
}

}  // namespace leastdata::redact
