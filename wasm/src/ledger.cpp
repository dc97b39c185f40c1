// Serialisation of the access ledger (see ledger.hpp).
#include <leastdata/ledger.hpp>

#include <nlohmann/json.hpp>

namespace leastdata {

std::string Ledger::to_json() const {
   nlohmann::ordered_json paths = nlohmann::ordered_json::object();
   for(const auto& [path, count] : kept_paths) {
      paths[path] = count;
   }
   nlohmann::ordered_json doc{{"bytes_in", bytes_in},
                              {"bytes_out", bytes_out},
                              {"fields_kept", fields_kept},
                              {"fields_dropped", fields_dropped},
                              {"kept_paths", std::move(paths)}};
   // Paths are member names from the payload: replace rather than throw on bytes that
   // are not UTF-8 (names are validated, but escaped lone surrogates decode to such bytes).
   return doc.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace leastdata
