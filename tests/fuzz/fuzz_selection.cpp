// Fuzz target: the selection parser and printer (selection.hpp, DESIGN §2.1).
//
// Input: selection text. Invariants:
// - a parse error is `invalid_policy` with an offset into the text;
// - printing a parsed selection and parsing the print gives back an equal tree, and
//   printing that tree gives the same text (print ∘ parse is a fixpoint);
// - the normal form is stable: normalising twice changes nothing, and the printed normal
//   form parses to a tree that is already normal;
// - parsing is deterministic.
#include "fuzz_support.hpp"

#include <leastdata/selection.hpp>

namespace {

using namespace leastdata;
using leastdata::fuzz::check;

bool equal(const std::vector<Rule>& a, const std::vector<Rule>& b);

bool equal(const Rule& a, const Rule& b) {
   if(a.wildcard != b.wildcard || a.name != b.name || a.whole != b.whole ||
      a.predicate.has_value() != b.predicate.has_value()) {
      return false;
   }
   if(a.predicate && (a.predicate->key != b.predicate->key || a.predicate->values != b.predicate->values)) {
      return false;
   }
   return equal(a.children, b.children);
}

bool equal(const std::vector<Rule>& a, const std::vector<Rule>& b) {
   if(a.size() != b.size()) {
      return false;
   }
   for(std::size_t i = 0; i < a.size(); ++i) {
      if(!equal(a[i], b[i])) {
         return false;
      }
   }
   return true;
}

// Prints `selection`, parses the print and checks the round trip; returns the print.
std::string round_trip(const Selection& selection, std::string_view stage) {
   const std::string printed = to_string(selection);
   const auto reparsed = parse_selection(printed);
   check(reparsed.ok(), "the printed selection parses", [&] { return std::string(stage) + ": " + printed; });
   check(equal(reparsed.value().rules, selection.rules), "parsing the printed selection gives an equal tree",
         [&] { return std::string(stage) + ": " + printed; });
   check(to_string(reparsed.value()) == printed, "print(parse(print(s))) == print(s)", printed);
   return printed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const std::string_view text = leastdata::fuzz::as_text(data, size);
   auto parsed = parse_selection(text);
   if(!parsed) {
      leastdata::fuzz::check_error(parsed.error(), {ErrorCode::invalid_policy}, size, true);
      check(!parse_selection(text).ok(), "parsing is deterministic (error)");
      return 0;
   }
   const auto again = parse_selection(text);
   check(again.ok() && equal(again.value().rules, parsed.value().rules), "parsing is deterministic");

   round_trip(parsed.value(), "parsed");

   const Selection normal = normalize(parsed.value());
   const std::string normal_text = round_trip(normal, "normalised");
   check(to_string(normalize(normal)) == normal_text, "normalize is idempotent", normal_text);
   const auto normal_again = parse_selection(normal_text);
   check(equal(normalize(normal_again.value()).rules, normal_again.value().rules),
         "the printed normal form parses to a normal tree", normal_text);
   check(normal.rules.size() <= parsed.value().rules.size(), "normalize never adds rules");
   return 0;
}
