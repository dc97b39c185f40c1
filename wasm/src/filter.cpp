// The streaming filter (see filter.hpp and DESIGN §2.1, §2.3, §2.4): the projection of
// one input onto a compiled plan.
//
// The grammar is the walker's (json_walker.hpp); this file decides, value by value, what
// happens to what the walker reads: members no rule names are skipped (validated, not
// copied); kept values are copied token by token by the copy visitor below, which drops
// insignificant whitespace but never re-encodes a string or a number; kept strings at a
// redact rule's path go through the redaction (filter_redaction.hpp); predicates are
// decided by looking ahead (predicate_lookahead.hpp). Counts and paths for the ledger are
// kept by the path counter as the projection goes.
#include <leastdata/filter.hpp>

#include "filter_output.hpp"
#include "filter_plan.hpp"
#include "filter_redaction.hpp"
#include "json_walker.hpp"
#include "name_set.hpp"
#include "path_counter.hpp"
#include "plan.hpp"
#include "predicate_lookahead.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace leastdata {

namespace {

using detail::Action;
using detail::FilterOutput;
using detail::JsonWalker;
using detail::MemberName;
using detail::MemberPlan;
using detail::NameSet;
using detail::Node;
using detail::PathCounter;
using detail::StringRedaction;

// What the projection shares with the copy visitor: where output goes and where paths
// and counts are kept.
struct Sink {
      FilterOutput& output;
      PathCounter& paths;
      StringRedaction& redaction;
      JsonWalker& walker;

      // Writes the separating comma before every item but the first.
      void put_separator(bool& first) {
         if(!first) {
            output.put(',');
         }
         first = false;
      }

      // Emits a member name (with the separating comma) before its kept value.
      void put_name(bool& first, const MemberName& name) {
         put_separator(first);
         output.put(name.raw_begin, name.raw_end);
         output.put(':');
      }
};

// Copies a value kept whole: every token, compact, strings redacted where a rule names
// their path, each scalar counted at its path. Closing brackets are written only for a
// container read whole: an error unwinds without writing (the bound of filter_output.hpp
// charges each bracket to the input bracket behind it).
class CopyVisitor final {
   public:
      // One open object: its kept names, whether a member was written, the path mark of
      // the member being read.
      struct Object {
            NameSet names;
            bool first = true;
            std::size_t mark = 0;
      };
      struct Array {
            bool first = true;
            std::size_t mark = 0;
      };

      // The sink's parts are held directly: every token written goes through them.
      explicit CopyVisitor(const Sink& sink) :
            m_output(sink.output), m_paths(sink.paths), m_redaction(sink.redaction), m_walker(sink.walker) {}

      Object begin_object() {
         m_output.put('{');
         return {};
      }
      bool member(Object& object, const MemberName& name) {
         if(!object.names.insert(name.name)) {
            return m_walker.fail(ErrorCode::duplicate_key, "a kept member occurs twice in one object", name.raw_begin);
         }
         return true;
      }
      void member_value(Object& object, const MemberName& name) {
         put_separator(object.first);
         m_output.put(name.raw_begin, name.raw_end);
         m_output.put(':');
         object.mark = m_paths.push_member(name.name);
      }
      void end_member(Object& object) { m_paths.pop(object.mark); }
      void end_object(Object&) { m_output.put('}'); }

      Array begin_array() {
         m_output.put('[');
         return {true, m_paths.push_array()};
      }
      void element(Array& array) { put_separator(array.first); }
      void end_array(Array& array) {
         m_paths.pop(array.mark);
         m_output.put(']');
      }

      bool string(const json_text::StringSpan& span, const std::uint8_t* token, const std::uint8_t* token_end) {
         const RedactRule* rule = m_redaction.any() ? m_redaction.rule_at(m_paths.path()) : nullptr;
         if(rule == nullptr) {
            m_output.put(token, token_end);
         } else if(auto error = m_redaction.write(*rule, span, token, token_end, m_output)) {
            return m_walker.fail(error->code(), error->message().c_str(), token);
         }
         m_paths.count();
         return true;
      }
      void scalar(const std::uint8_t* begin, const std::uint8_t* end) {
         m_output.put(begin, end);
         m_paths.count();
      }

   private:
      void put_separator(bool& first) {
         if(!first) {
            m_output.put(',');
         }
         first = false;
      }

      FilterOutput& m_output;
      PathCounter& m_paths;
      StringRedaction& m_redaction;
      JsonWalker& m_walker;
};

class Projection final {
   public:
      Projection(const detail::Plan& plan, const Limits& limits, const std::vector<RedactRule>& redact_rules,
                 std::span<const std::uint8_t> input, WipedBuffer& output, Ledger* ledger,
                 const redact::PseudonymKey* pseudonym_key) :
            m_walker(input, limits.max_depth),
            m_output(output, m_walker.begin(), m_walker.end(), m_walker.position()),
            m_root(plan.root()),
            m_ledger(ledger),
            m_redaction(redact_rules, pseudonym_key, ledger),
            m_paths(ledger != nullptr || m_redaction.any()) {}

      Status run() {
         if(!run_root()) {
            m_output.discard();
            return m_walker.take_error();
         }
         const std::size_t written = m_output.written();
         m_output.finish();
         if(m_ledger != nullptr) {
            m_ledger->bytes_in = static_cast<std::uint64_t>(m_walker.end() - m_walker.begin());
            m_ledger->bytes_out = written;
            m_paths.fill(*m_ledger);
         }
         return {};
      }

   private:
      // ---- what was dropped (counts and names for the ledger, never values) -----------

      void note_unmatched(std::string_view name) {
         if(m_ledger == nullptr || m_ledger->unmatched.size() == max_unmatched_names()) {
            return;
         }
         if(std::find(m_ledger->unmatched.begin(), m_ledger->unmatched.end(), name) == m_ledger->unmatched.end()) {
            m_ledger->unmatched.emplace_back(name);
         }
      }

      // ---- choosing the rules for a value -----------------------------------------------

      // Which of `plan`'s rules apply to the value at the cursor, as an action (null:
      // none). Returns false on error.
      bool choose(const MemberPlan& plan, const Action*& action) {
         if(!plan.conditional) {
            action = plan.unconditional;
            return true;
         }
         std::uint64_t mask = 0;
         const bool is_object = m_walker.current() == '{';
         if(is_object) {
            detail::look_ahead(m_walker.position(), m_walker.end(), plan.predicate_keys, m_found);
         }
         for(std::size_t i = 0; i != plan.rules.size(); ++i) {
            const Rule& rule = *plan.rules[i];
            if(!rule.predicate || (is_object && detail::predicate_matches(*rule.predicate, plan.predicate_keys, m_found))) {
               mask |= std::uint64_t{1} << i;
            }
         }
         auto chosen = plan.action_for(mask);
         if(!chosen) {
            return m_walker.fail_here(chosen.error().code(), chosen.error().message().c_str());
         }
         action = chosen.value();
         return true;
      }

      // Whether a non-array value at the cursor survives `action`: containers always do
      // (an object is projected), null does, other scalars only under a whole-keeping rule.
      bool survives(const Action* action) const {
         const std::uint8_t c = m_walker.current();
         return action != nullptr && (action->whole || c == '{' || c == 'n');
      }

      static bool is_predicate_key(const MemberPlan& plan, std::string_view name) {
         return std::any_of(plan.predicate_keys.begin(), plan.predicate_keys.end(),
                            [name](std::string_view key) { return detail::same_name(key, name); });
      }

      // ---- projection -----------------------------------------------------------------

      bool copy_value() {
         CopyVisitor copy(m_sink);
         return m_walker.walk_value(copy);
      }

      // Keeps the non-array value at the cursor under `action` (which it survives): whole,
      // or an object projected through the action's node, or null as it is.
      bool keep(const Action& action, const MemberPlan* selected_by) {
         if(action.whole || m_walker.current() != '{') {
            return copy_value();
         }
         return project_object(*action.node, selected_by);
      }

      bool project_object(const Node& node, const MemberPlan* selected_by) {
         m_output.put('{');
         NameSet names;
         bool first = true;
         const bool ok = m_walker.for_each_member([&](const MemberName& name) {
            // With paths counted, the member's step is found first and remembers the plan's
            // answer: objects of one array repeat their members, so the plan is searched
            // once per member name, not once per object.
            const std::size_t step = m_paths.step(name.name);
            const MemberPlan* plan = m_paths.member_plan(step, node, [&] { return node.find(name.name); });
            const bool predicate_key = selected_by != nullptr && is_predicate_key(*selected_by, name.name);
            if((plan != nullptr || predicate_key) && !names.insert(name.name)) {
               return m_walker.fail(ErrorCode::duplicate_key, "a kept member occurs twice in one object", name.raw_begin);
            }
            if(!m_walker.read_colon()) {
               return false;
            }
            if(plan == nullptr) {
               m_paths.count_dropped_step(step);
               if(m_walker.depth() == 1) {
                  note_unmatched(name.name);  // a member of the top-level object
               }
               return m_walker.skip_value();
            }
            return project_member(*plan, name, step, first);
         });
         return ok && close('}');
      }

      // Skips a value no rule of `plan` applies to. When predicates were evaluated on it,
      // their keys decided its fate, so they must not occur twice: a reader that takes
      // the last occurrence would see an element the filter dropped.
      bool skip_rejected(const MemberPlan& plan) {
         if(!plan.conditional || m_walker.current() != '{') {
            return m_walker.skip_value();
         }
         NameSet names;
         return m_walker.for_each_member([&](const MemberName& name) {
            if(is_predicate_key(plan, name.name) && !names.insert(name.name)) {
               return m_walker.fail(ErrorCode::duplicate_key, "a predicate member occurs twice in one object",
                                    name.raw_begin);
            }
            return m_walker.read_colon() && m_walker.skip_value();
         });
      }

      // `step`: the member's path step (PathCounter::step), when paths are counted.
      bool project_member(const MemberPlan& plan, const MemberName& name, std::size_t step, bool& first) {
         if(m_walker.current() == '[' && !(!plan.conditional && plan.unconditional->whole)) {
            m_sink.put_name(first, name);
            const std::size_t mark = m_paths.push_step(step);
            const bool ok = project_array(plan);
            m_paths.pop(mark);
            return ok;
         }
         const Action* action = nullptr;
         if(!choose(plan, action)) {
            return false;
         }
         if(!survives(action)) {
            m_paths.count_dropped_step(step);
            return skip_rejected(plan);
         }
         m_sink.put_name(first, name);
         const std::size_t mark = m_paths.push_step(step);
         const bool ok = keep(*action, &plan);
         m_paths.pop(mark);
         return ok;
      }

      // Rules act on each element: elements no rule applies to are dropped (counted at
      // the array's path, `tickets[]`); nested arrays are processed the same way, element
      // by element.
      bool project_array(const MemberPlan& plan) {
         m_output.put('[');
         const std::size_t mark = m_paths.push_array();
         bool first = true;
         const bool ok = m_walker.for_each_element([&] {
            if(m_walker.current() == '[') {
               m_sink.put_separator(first);
               return project_array(plan);
            }
            const Action* action = nullptr;
            if(!choose(plan, action)) {
               return false;
            }
            if(!survives(action)) {
               m_paths.count_dropped_here();
               return skip_rejected(plan);
            }
            m_sink.put_separator(first);
            return keep(*action, &plan);
         });
         m_paths.pop(mark);
         return ok && close(']');
      }

      // Writes the closing bracket of a container read whole (never while an error unwinds).
      bool close(std::uint8_t bracket) {
         m_output.put(bracket);
         return true;
      }

      bool run_root() {
         if(!m_walker.start()) {
            return false;
         }
         bool ok = false;
         if(m_walker.current() == '[') {
            ok = project_array(m_root);
         } else {
            const Action* action = nullptr;
            if(!choose(m_root, action)) {
               return false;
            }
            if(survives(action)) {
               ok = keep(*action, nullptr);
            } else {
               // A top-level scalar the selection does not keep: the output must still
               // be JSON, so it is `null` (counted as dropped at the empty path).
               m_paths.count_dropped_here();
               ok = m_walker.skip_value();
               if(ok) {
                  m_output.put_null();
               }
            }
         }
         return ok && m_walker.finish();
      }

      JsonWalker m_walker;
      FilterOutput m_output;
      const MemberPlan& m_root;
      Ledger* m_ledger;
      StringRedaction m_redaction;
      // Paths are tracked for the ledger and for redact rules, which are matched by path.
      PathCounter m_paths;
      Sink m_sink{m_output, m_paths, m_redaction, m_walker};
      std::vector<detail::PredicateValue> m_found;
};

}  // namespace

namespace detail {

Status filter_with_plan(const Plan& plan, const Limits& limits, const std::vector<RedactRule>& redact_rules,
                        std::span<const std::uint8_t> input, WipedBuffer& output, Ledger* ledger,
                        const redact::PseudonymKey* pseudonym_key) {
   if(input.size() > limits.max_input_bytes) {
      output.clear();
      return Error(ErrorCode::size_limit,
                   "input of " + std::to_string(input.size()) + " bytes exceeds the policy's max_input_bytes (" +
                      std::to_string(limits.max_input_bytes) + ")",
                   limits.max_input_bytes);
   }
   if(ledger != nullptr) {
      const bool paths_as_json = ledger->paths_as_json;  // the caller's choice of form
      *ledger = Ledger{};
      ledger->paths_as_json = paths_as_json;
   }
   return Projection(plan, limits, redact_rules, input, output, ledger, pseudonym_key).run();
}

}  // namespace detail

Status filter(const Policy& policy, std::span<const std::uint8_t> input, WipedBuffer& output, Ledger* ledger,
              const redact::PseudonymKey* pseudonym_key) {
   return detail::filter_with_plan(policy.plan(), policy.limits(), policy.redact_rules(), input, output, ledger,
                                   pseudonym_key);
}

}  // namespace leastdata
