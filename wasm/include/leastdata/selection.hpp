// The selection language of DESIGN §2.1: a superset of the json-mask / Google
// partial-response syntax.
//
//   selection := item ( "," item )*
//   item      := step ( "/" step )* [ "(" selection ")" ]
//   step      := ( name | "*" ) [ "[" name "=" value ( "|" value )* "]" ]
//
// `parse_selection` turns text into a tree of `Rule`s (`a/b(c)` becomes `a(b(c))`);
// `to_string` prints a tree back in normalised form. The filter compiles the tree
// further (see plan.hpp); this header is the syntax only.
#pragma once

#include <leastdata/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata {

/// `[key=v1|v2]`: applies to objects whose member `key` is a string equal to one of the
/// values, or a number/true/false/null whose JSON text equals one of them exactly.
struct Predicate {
      std::string key;
      std::vector<std::string> values;
};

struct Rule {
      bool wildcard = false;  // `*`: names every member
      std::string name;       // unescaped; empty when wildcard
      std::optional<Predicate> predicate;
      bool whole = true;             // no sub-selection: keep the value whole
      std::vector<Rule> children;    // the sub-selection when !whole
};

struct Selection {
      std::vector<Rule> rules;
};

/// Deepest `(` nesting (and `/` chain) a selection may have.
constexpr std::size_t max_selection_depth() noexcept { return 128; }

/// Longest selection text accepted, in bytes.
constexpr std::size_t max_selection_bytes() noexcept { return 1 << 20; }

/// Parses selection text; errors are `invalid_policy` with a byte offset into `text`.
Result<Selection> parse_selection(std::string_view text);

/// Merges rules that name the same member with the same predicate (`a(b),a(c)` becomes
/// `a(b,c)`; `a,a(b)` becomes `a`), recursively, keeping first-occurrence order.
/// The result selects exactly what the input selects.
Selection normalize(Selection selection);

/// The normal form with its order taken away: predicate values sorted and merged, rules
/// sorted by their printed text at every level. Order never changes what a selection
/// keeps (output members follow the input), so two selections that differ only in order
/// have the same canonical form — what a policy's declaration prints.
Selection canonical(Selection selection);

/// The normalised text of a selection: no whitespace, `/` chains expanded into
/// parentheses, special characters escaped. Parsing it gives back an equal tree.
std::string to_string(const Selection& selection);

}  // namespace leastdata
