// The access ledger of DESIGN §2.4: what one filter call let through, as counts and
// paths, never values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace leastdata {

/// The most names `Ledger::unmatched` lists: an input with more unnamed top-level members
/// than this is not a Zendesk envelope someone forgot, and the ledger stays small.
constexpr std::size_t max_unmatched_names() noexcept { return 64; }

struct Ledger {
      std::uint64_t bytes_in = 0;
      std::uint64_t bytes_out = 0;
      std::uint64_t fields_kept = 0;     // scalars in the output (the sum of kept_paths)
      std::uint64_t fields_dropped = 0;  // object members and array elements removed (the sum of dropped_paths)
      /// Scalars kept per path (`tickets[].custom_fields[].value`), in first-seen order.
      std::vector<std::pair<std::string, std::uint64_t>> kept_paths;
      /// Members removed per path (`tickets[].description`, each once whatever its subtree)
      /// and array elements removed per array path (`tickets[].custom_fields[]`), in input
      /// order of their first removal. The first is what a refused write names.
      std::vector<std::pair<std::string, std::uint64_t>> dropped_paths;
      /// Personal data the policy's redaction rules rewrote in kept strings, by detector
      /// (`email`, `credit_card`, ...) in the order of first finding: what never reached the
      /// app although its field did.
      std::vector<std::pair<std::string, std::uint64_t>> redacted;
      /// For an object input: names of top-level members no rule named, in input order
      /// (a forgotten envelope shows up here rather than as a silent `{}`).
      std::vector<std::string> unmatched;

      /// Set by a caller that only wants the JSON (the wasm module does): the filter then
      /// writes kept_paths and dropped_paths straight into the two texts below, as JSON
      /// objects, and leaves the vectors empty, which saves building a string per path.
      /// When member names make path texts ambiguous (equal texts must be summed), the
      /// filter fills the vectors instead and clears the flag. to_json() reads either.
      bool paths_as_json = false;
      std::string kept_paths_json;
      std::string dropped_paths_json;

      /// `{"bytes_in":..,"bytes_out":..,"fields_kept":..,"fields_dropped":..,"kept_paths":{..},"dropped_paths":{..},"redacted":{..},"unmatched":[..]}`
      std::string to_json() const;
};

}  // namespace leastdata
