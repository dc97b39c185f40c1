// The access ledger of DESIGN §2.4: what one filter call let through, as counts and
// paths, never values.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace leastdata {

struct Ledger {
      std::uint64_t bytes_in = 0;
      std::uint64_t bytes_out = 0;
      std::uint64_t fields_kept = 0;     // scalars in the output (the sum of kept_paths)
      std::uint64_t fields_dropped = 0;  // object members and array elements removed
      /// Scalars kept per path (`tickets[].custom_fields[].value`), in first-seen order.
      std::vector<std::pair<std::string, std::uint64_t>> kept_paths;

      /// `{"bytes_in":..,"bytes_out":..,"fields_kept":..,"fields_dropped":..,"kept_paths":{..}}`
      std::string to_json() const;
};

}  // namespace leastdata
