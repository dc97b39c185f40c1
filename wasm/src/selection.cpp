// Parser and printer for the selection language (see selection.hpp).
#include <leastdata/selection.hpp>

#include <algorithm>

#include <string>
#include <unordered_map>
#include <utility>

namespace leastdata {

namespace {

// ASCII whitespace as the web defines it: space, tab, LF, FF, CR.
bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool is_special(char c) noexcept {
   switch(c) {
      case ',': case '/': case '(': case ')': case '*':
      case '[': case ']': case '=': case '|': case '\\':
         return true;
      default:
         return false;
   }
}

class SelectionParser final {
   public:
      explicit SelectionParser(std::string_view text) : m_text(text) {}

      Result<Selection> parse() {
         Selection selection;
         if(!parse_selection(selection.rules, 0)) {
            return std::move(*m_error);
         }
         skip_space();
         if(m_pos != m_text.size()) {
            return fail(m_text[m_pos] == ')' ? "unbalanced ')'" : "expected ',' or end of selection");
         }
         return selection;
      }

   private:
      Error fail(std::string message) { return fail_at(m_pos, std::move(message)); }
      Error fail_at(std::size_t at, std::string message) {
         Error error(ErrorCode::invalid_policy, std::move(message), at);
         m_error = error;
         return error;
      }

      void skip_space() {
         while(m_pos < m_text.size() && is_space(m_text[m_pos])) {
            ++m_pos;
         }
      }
      bool peek(char c) {
         skip_space();
         return m_pos < m_text.size() && m_text[m_pos] == c;
      }

      bool parse_selection(std::vector<Rule>& out, std::size_t depth) {
         do {
            if(!parse_item(out, depth)) {
               return false;
            }
         } while(peek(',') && (++m_pos, true));
         return true;
      }

      bool parse_item(std::vector<Rule>& out, std::size_t depth) {
         std::vector<Rule> steps;
         do {
            if(depth + steps.size() >= max_selection_depth()) {
               fail("nested deeper than " + std::to_string(max_selection_depth()) + " levels");
               return false;
            }
            Rule step;
            if(!parse_step(step)) {
               return false;
            }
            steps.push_back(std::move(step));
         } while(peek('/') && (++m_pos, true));

         if(peek('(')) {
            ++m_pos;
            Rule& last = steps.back();
            last.whole = false;
            if(!parse_selection(last.children, depth + steps.size())) {
               return false;
            }
            if(!peek(')')) {
               fail("expected ')'");
               return false;
            }
            ++m_pos;
         }
         // `a/b/c(x)` is `a(b(c(x)))`: fold the chain from the innermost step outwards.
         while(steps.size() > 1) {
            Rule inner = std::move(steps.back());
            steps.pop_back();
            steps.back().whole = false;
            steps.back().children.push_back(std::move(inner));
         }
         out.push_back(std::move(steps.front()));
         return true;
      }

      bool parse_step(Rule& step) {
         skip_space();
         if(m_pos < m_text.size() && m_text[m_pos] == '*') {
            ++m_pos;
            step.wildcard = true;
         } else if(!parse_name(step.name, "a member name or '*'", false)) {
            return false;
         }
         if(peek('[')) {
            ++m_pos;
            Predicate predicate;
            if(!parse_name(predicate.key, "a member name in the predicate", false)) {
               return false;
            }
            if(!peek('=')) {
               fail("expected '=' in the predicate");
               return false;
            }
            do {
               ++m_pos;
               std::string value;
               if(!parse_name(value, "a value", true)) {
                  return false;
               }
               predicate.values.push_back(std::move(value));
            } while(peek('|'));
            if(!peek(']')) {
               fail("expected ']' to close the predicate");
               return false;
            }
            ++m_pos;
            step.predicate = std::move(predicate);
         }
         return true;
      }

      // A name or value: any bytes but the specials, `\` escaping a special. Whitespace
      // around it is not part of it; whitespace inside it is.
      bool parse_name(std::string& out, const char* what, bool allow_empty) {
         skip_space();
         const std::size_t start = m_pos;
         std::size_t kept = 0;  // length of `out` up to its last non-space character
         while(m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if(c == '\\') {
               // A trailing backslash is an error, not ignored as json-mask ignores it: a
               // selection cut short must not silently select something else.
               if(m_pos + 1 >= m_text.size()) {
                  fail("'\\' at the end of the selection escapes nothing; write \\\\ for a backslash");
                  return false;
               }
               if(!is_special(m_text[m_pos + 1])) {
                  fail("'\\' escapes only , / ( ) * [ ] = | \\");
                  return false;
               }
               out.push_back(m_text[m_pos + 1]);
               kept = out.size();
               m_pos += 2;
            } else if(is_special(c)) {
               break;
            } else {
               out.push_back(c);
               if(!is_space(c)) {
                  kept = out.size();
               }
               ++m_pos;
            }
         }
         out.resize(kept);
         if(out.empty() && !allow_empty) {
            if(m_pos < m_text.size() && m_text[m_pos] == '*') {
               fail("'*' must stand alone as a step; write \\* for a member named *");
            } else {
               fail_at(start, std::string("expected ") + what);
            }
            return false;
         }
         return true;
      }

      std::string_view m_text;
      std::size_t m_pos = 0;
      std::optional<Error> m_error;
};

void append_escaped(std::string& out, std::string_view name) {
   for(char c : name) {
      if(is_special(c)) {
         out.push_back('\\');
      }
      out.push_back(c);
   }
}

void append_rules(std::string& out, const std::vector<Rule>& rules) {
   bool first = true;
   for(const Rule& rule : rules) {
      if(!first) {
         out.push_back(',');
      }
      first = false;
      if(rule.wildcard) {
         out.push_back('*');
      } else {
         append_escaped(out, rule.name);
      }
      if(rule.predicate) {
         out.push_back('[');
         append_escaped(out, rule.predicate->key);
         out.push_back('=');
         for(std::size_t i = 0; i != rule.predicate->values.size(); ++i) {
            if(i != 0) {
               out.push_back('|');
            }
            append_escaped(out, rule.predicate->values[i]);
         }
         out.push_back(']');
      }
      if(!rule.whole) {
         out.push_back('(');
         append_rules(out, rule.children);
         out.push_back(')');
      }
   }
}

// Identifies what a rule targets: member (or `*`) and predicate. Rules with the same
// target merge. Every part is length-prefixed, so no name can forge another key.
std::string target_key(const Rule& rule) {
   std::string key(rule.wildcard ? "*" : "=");
   auto append_part = [&key](const std::string& part) {
      key += std::to_string(part.size());
      key.push_back(':');
      key += part;
   };
   append_part(rule.name);
   if(rule.predicate) {
      append_part(rule.predicate->key);
      for(const std::string& value : rule.predicate->values) {
         append_part(value);
      }
   }
   return key;
}

std::vector<Rule> merge_rules(std::vector<Rule> rules) {
   std::vector<Rule> merged;
   std::unordered_map<std::string, std::size_t> index_of;
   for(Rule& rule : rules) {
      auto [it, inserted] = index_of.emplace(target_key(rule), merged.size());
      if(inserted) {
         merged.push_back(std::move(rule));
         continue;
      }
      Rule& existing = merged[it->second];
      if(existing.whole || rule.whole) {
         existing.whole = true;  // a whole-keeping rule wins over any sub-selection
         existing.children.clear();
      } else {
         for(Rule& child : rule.children) {
            existing.children.push_back(std::move(child));
         }
      }
   }
   for(Rule& rule : merged) {
      rule.children = merge_rules(std::move(rule.children));
   }
   return merged;
}

// Predicate values in order, once each: `[k=b|a|b]` selects what `[k=a|b]` does.
void sort_predicate_values(std::vector<Rule>& rules) {
   for(Rule& rule : rules) {
      if(rule.predicate) {
         std::vector<std::string>& values = rule.predicate->values;
         std::sort(values.begin(), values.end());
         values.erase(std::unique(values.begin(), values.end()), values.end());
      }
      sort_predicate_values(rule.children);
   }
}

// Rules in the order of their printed text, at every level.
void sort_rules(std::vector<Rule>& rules) {
   std::vector<std::pair<std::string, Rule>> keyed;
   keyed.reserve(rules.size());
   for(Rule& rule : rules) {
      sort_rules(rule.children);
      std::string key;
      append_rules(key, {rule});
      keyed.emplace_back(std::move(key), std::move(rule));
   }
   std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
   rules.clear();
   for(auto& [key, rule] : keyed) {
      rules.push_back(std::move(rule));
   }
}

}  // namespace

Selection normalize(Selection selection) {
   selection.rules = merge_rules(std::move(selection.rules));
   return selection;
}

Selection canonical(Selection selection) {
   sort_predicate_values(selection.rules);
   selection = normalize(std::move(selection));
   sort_rules(selection.rules);
   return selection;
}

Result<Selection> parse_selection(std::string_view text) {
   if(text.size() > max_selection_bytes()) {
      return Error(ErrorCode::invalid_policy,
                   "selection: longer than " + std::to_string(max_selection_bytes()) + " bytes", 0);
   }
   return SelectionParser(text).parse();
}

std::string to_string(const Selection& selection) {
   std::string out;
   append_rules(out, selection.rules);
   return out;
}

}  // namespace leastdata
