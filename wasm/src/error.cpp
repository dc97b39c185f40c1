// Error codes and their wire form (see error.hpp; the codes are listed in error_codes.hpp).
#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>

#include <array>

namespace leastdata {

namespace {

struct CodeFacts {
      std::string_view name;
      int http_status;
      unsigned raised_by;
};

constexpr std::array k_codes = {
#define LEASTDATA_ERROR_FACTS(name, http_status, who) \
   CodeFacts{#name, http_status, [] {                  \
                using namespace raised_by;             \
                return unsigned{who};                  \
             }()},
   LEASTDATA_ERROR_CODES(LEASTDATA_ERROR_FACTS)
#undef LEASTDATA_ERROR_FACTS
};

const CodeFacts& facts(ErrorCode code) noexcept {
   return k_codes[static_cast<std::size_t>(code)];
}

}  // namespace

std::string_view error_code_name(ErrorCode code) noexcept {
   return facts(code).name;
}

std::optional<ErrorCode> error_code_from_name(std::string_view name) noexcept {
   for(std::size_t i = 0; i != k_codes.size(); ++i) {
      if(k_codes[i].name == name) {
         return static_cast<ErrorCode>(i);
      }
   }
   return std::nullopt;
}

int error_http_status(ErrorCode code) noexcept {
   return facts(code).http_status;
}

unsigned error_raised_by(ErrorCode code) noexcept {
   return facts(code).raised_by;
}

std::string Error::to_json() const {
   nlohmann::ordered_json error{{"code", std::string(code_name())}, {"message", m_message}};
   if(m_offset) {
      error["offset"] = *m_offset;
   }
   return nlohmann::ordered_json{{"error", std::move(error)}}.dump(-1, ' ', false,
                                                                 nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace leastdata
