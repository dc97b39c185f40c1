// The streaming filter (see filter.hpp and DESIGN §2.1, §2.3, §2.4).
//
// A recursive-descent walk over the input bytes, one function per grammar element,
// each returning false on the first error (recorded with its offset). The walk is
// driven by the compiled plan: members no rule names are validated and skipped;
// members that are kept are copied token by token, which drops insignificant
// whitespace but never re-encodes a string or a number.
#include <leastdata/filter.hpp>

#include "filter_output.hpp"
#include "filter_plan.hpp"
#include "json_text.hpp"
#include "path_counter.hpp"
#include "plan.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace leastdata {

namespace {

using detail::Action;
using detail::MemberPlan;
using detail::Node;

// The names seen in one object, to reject a kept member that occurs twice. Objects
// are usually small: a linear scan, switching to a hash set for large ones.
class NameSet final {
   public:
      bool insert(std::string_view name) {
         if(m_set.empty()) {
            for(std::size_t i = 0; i != m_count; ++i) {
               if(m_small[i] == name) {
                  return false;
               }
            }
            if(m_count < m_small.size()) {
               m_small[m_count++] = name;
               return true;
            }
            m_set.insert(m_small.begin(), m_small.end());
         }
         return m_set.insert(name).second;
      }

   private:
      std::array<std::string_view, 16> m_small{};
      std::size_t m_count = 0;
      std::unordered_set<std::string_view> m_set;
};

// A member value of a predicate key, as found by looking ahead in an element.
struct PredicateValue {
      enum class Kind : std::uint8_t { absent, string, scalar, container } kind = Kind::absent;
      std::string_view raw;  // string contents without quotes, or scalar text
      bool escaped = false;  // the string contains backslash escapes
};

class FilterRun final {
   public:
      FilterRun(const detail::Plan& plan, const Limits& limits, const std::vector<RedactRule>& redact_rules,
                std::span<const std::uint8_t> input, WipedBuffer& output, Ledger* ledger,
                const redact::PseudonymKey* pseudonym_key) :
         m_begin(input.data()),
         m_p(input.data()),
         m_end(input.data() + input.size()),
         m_output(output, m_begin, m_end, m_p),
         m_max_depth(limits.max_depth),
         m_root(plan.root()),
         m_ledger(ledger),
         m_redact_rules(redact_rules),
         m_pseudonym_key(pseudonym_key) {}

      Status run() {
         if(!run_root()) {
            m_output.discard();
            return std::move(*m_error);
         }
         const std::size_t written = m_output.written();
         m_output.finish();
         if(m_ledger != nullptr) {
            m_ledger->bytes_in = static_cast<std::uint64_t>(m_end - m_begin);
            m_ledger->bytes_out = written;
            m_paths.fill(*m_ledger);
         }
         return {};
      }

   private:
      // ---- errors -------------------------------------------------------------------

      bool fail(ErrorCode code, const char* message, const std::uint8_t* at) {
         if(!m_error) {
            m_error = Error(code, message, static_cast<std::size_t>(at - m_begin));
         }
         return false;
      }

      bool fail_json(const char* message, const std::uint8_t* at) {
         return fail(ErrorCode::invalid_json, message, at);
      }

      bool unexpected(const char* expected) { return fail_json(expected, m_p); }

      // ---- output (every write goes through m_output, which holds the bound) ---------

      void put(std::uint8_t byte) { m_output.put(byte); }
      void put(const std::uint8_t* from, const std::uint8_t* to) { m_output.put(from, to); }

      // ---- what was dropped (counts and names for the ledger, never values) -----------

      void note_dropped_member(std::string_view name) { m_paths.count_dropped_member(name); }

      // An array element (counted at the array's path, `tickets[]`), or a top-level scalar
      // replaced by null (the empty path).
      void note_dropped_element() { m_paths.count_dropped_here(); }

      void note_redacted(const std::vector<redact::Finding>& findings) {
         if(m_ledger == nullptr) {
            return;
         }
         for(const redact::Finding& finding : findings) {
            const std::string_view type = redact::detector_name(finding.type);
            auto& counts = m_ledger->redacted;
            auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& entry) { return entry.first == type; });
            if(it == counts.end()) {
               counts.emplace_back(type, 1);
            } else {
               ++it->second;
            }
         }
      }

      void note_unmatched(std::string_view name) {
         if(m_ledger == nullptr || m_ledger->unmatched.size() == max_unmatched_names()) {
            return;
         }
         if(std::find(m_ledger->unmatched.begin(), m_ledger->unmatched.end(), name) == m_ledger->unmatched.end()) {
            m_ledger->unmatched.emplace_back(name);
         }
      }

      // ---- grammar --------------------------------------------------------------------

      void skip_space() {
         while(m_p < m_end && json_text::is_space(*m_p)) {
            ++m_p;
         }
      }

      bool enter_container() {
         if(++m_depth > m_max_depth) {
            return fail(ErrorCode::depth_limit, "containers nested deeper than the policy's max_depth", m_p);
         }
         stack_mark::note();
         ++m_p;
         skip_space();
         return true;
      }

      // After a member or element: `,` (then more) or the closing bracket.
      // Returns 1 for another item, 0 for the end, -1 for an error.
      int next_item(std::uint8_t close, const char* expected) {
         skip_space();
         if(m_p < m_end) {
            if(*m_p == ',') {
               ++m_p;
               skip_space();
               return 1;
            }
            if(*m_p == close) {
               ++m_p;
               --m_depth;
               return 0;
            }
         }
         unexpected(expected);
         return -1;
      }

      bool scan_string(json_text::StringSpan& span) {
         const auto status = json_text::scan_string(m_p, m_end, span);
         if(status != json_text::ScanStatus::ok) {
            return fail(status == json_text::ScanStatus::invalid_utf8 ? ErrorCode::invalid_utf8 : ErrorCode::invalid_json,
                        json_text::scan_message(status), span.error_at);
         }
         m_p = span.end + 1;
         return true;
      }

      bool scan_scalar(const std::uint8_t*& start) {
         start = m_p;
         const std::uint8_t c = *m_p;
         if(c == '-' || (c >= '0' && c <= '9')) {
            const std::uint8_t* error_at = nullptr;
            if(!json_text::scan_number(m_p, m_end, error_at)) {
               return fail_json("invalid number", error_at);
            }
            return true;
         }
         const char* literal = c == 't' ? "true" : c == 'f' ? "false" : c == 'n' ? "null" : nullptr;
         if(literal == nullptr) {
            return fail_json("expected a JSON value", m_p);
         }
         const std::size_t n = std::strlen(literal);
         if(static_cast<std::size_t>(m_end - m_p) < n || std::memcmp(m_p, literal, n) != 0) {
            return fail_json("expected a JSON value", m_p);
         }
         m_p += n;
         return true;
      }

      // A member name, decoded when it has escapes (the decoded copy lives as long as
      // the run, so names of one object can be compared). The caller checks the name
      // for duplicates, then calls read_colon: a duplicate is the earlier fault.
      bool read_name(std::string_view& name, const std::uint8_t*& raw_begin, const std::uint8_t*& raw_end) {
         if(m_p >= m_end || *m_p != '"') {
            return fail_json("expected a member name in double quotes", m_p);
         }
         raw_begin = m_p;
         json_text::StringSpan span;
         if(!scan_string(span)) {
            return false;
         }
         raw_end = m_p;
         if(span.escaped) {
            name = m_decoded_names.emplace_back(json_text::decode_string(span.begin, span.end));
         } else {
            name = std::string_view(reinterpret_cast<const char*>(span.begin), static_cast<std::size_t>(span.end - span.begin));
         }
         return true;
      }

      // The `:` after a member name, up to the start of its value.
      bool read_colon() {
         skip_space();
         if(m_p >= m_end || *m_p != ':') {
            return unexpected("expected ':' after a member name");
         }
         ++m_p;
         skip_space();
         if(m_p >= m_end) {
            return unexpected("expected a JSON value");
         }
         return true;
      }

      // ---- validating walk: skip (Emit = false) or copy whole (Emit = true) -----------

      template <bool Emit>
      bool walk_value() {
         if(m_p >= m_end) {
            return unexpected("expected a JSON value");
         }
         switch(*m_p) {
            case '{':
               return walk_object<Emit>();
            case '[':
               return walk_array<Emit>();
            case '"': {
               const std::uint8_t* start = m_p;
               json_text::StringSpan span;
               if(!scan_string(span)) {
                  return false;
               }
               if constexpr(Emit) {
                  const RedactRule* rule = redact_rule_here();
                  if(rule != nullptr) {
                     if(!put_redacted(*rule, span, start)) {
                        return false;
                     }
                  } else {
                     put(start, m_p);
                  }
                  count_kept();
               }
               return true;
            }
            default: {
               const std::uint8_t* start = nullptr;
               if(!scan_scalar(start)) {
                  return false;
               }
               if constexpr(Emit) {
                  put(start, m_p);
                  count_kept();
               }
               return true;
            }
         }
      }

      // ---- containers: one loop each, the member or element handled by the caller -----

      // Walks the object at m_p: `on_member(name, raw_name, raw_name_end)` is called once
      // a member's name is read; it checks the name, then reads the colon and the value.
      template <typename OnMember>
      bool for_each_member(OnMember&& on_member) {
         if(!enter_container()) {
            return false;
         }
         if(m_p < m_end && *m_p == '}') {
            ++m_p;
            --m_depth;
            return true;
         }
         for(;;) {
            std::string_view name;
            const std::uint8_t* raw_name = nullptr;
            const std::uint8_t* raw_name_end = nullptr;
            if(!read_name(name, raw_name, raw_name_end) || !on_member(name, raw_name, raw_name_end)) {
               return false;
            }
            const int more = next_item('}', "expected ',' or '}' in an object");
            if(more <= 0) {
               return more == 0;
            }
         }
      }

      // Walks the array at m_p: `on_element()` is called with m_p at each element.
      template <typename OnElement>
      bool for_each_element(OnElement&& on_element) {
         if(!enter_container()) {
            return false;
         }
         if(m_p < m_end && *m_p == ']') {
            ++m_p;
            --m_depth;
            return true;
         }
         for(;;) {
            if(m_p >= m_end) {
               return unexpected("expected a JSON value");
            }
            if(!on_element()) {
               return false;
            }
            const int more = next_item(']', "expected ',' or ']' in an array");
            if(more <= 0) {
               return more == 0;
            }
         }
      }

      // Writes the closing bracket of a container the walk has read to its end. Only a
      // container read whole is closed: an error unwinds without writing (the bound of
      // filter_output.hpp charges each bracket to the input bracket behind it).
      bool close(std::uint8_t bracket) {
         put(bracket);
         return true;
      }

      // Writes the separating comma before every item but the first.
      void put_separator(bool& first) {
         if(!first) {
            put(',');
         }
         first = false;
      }

      template <bool Emit>
      bool walk_object() {
         if constexpr(!Emit) {
            return for_each_member([this](std::string_view, const std::uint8_t*, const std::uint8_t*) {
               return read_colon() && walk_value<false>();
            });
         } else {
            put('{');
            NameSet names;
            bool first = true;
            const bool ok = for_each_member([&](std::string_view name, const std::uint8_t* raw_name,
                                                const std::uint8_t* raw_name_end) {
               if(!names.insert(name)) {
                  return fail(ErrorCode::duplicate_key, "a kept member occurs twice in one object", raw_name);
               }
               if(!read_colon()) {
                  return false;
               }
               put_name(first, raw_name, raw_name_end);
               const std::size_t mark = m_paths.push_member(name);
               const bool kept = walk_value<true>();
               m_paths.pop(mark);
               return kept;
            });
            return ok && close('}');
         }
      }

      template <bool Emit>
      bool walk_array() {
         if constexpr(!Emit) {
            return for_each_element([this] { return walk_value<false>(); });
         } else {
            put('[');
            const std::size_t mark = m_paths.push_array();
            bool first = true;
            const bool ok = for_each_element([&] {
               put_separator(first);
               return walk_value<true>();
            });
            m_paths.pop(mark);
            return ok && close(']');
         }
      }

      void count_kept() { m_paths.count(); }

      // ---- redaction of kept strings ------------------------------------------------------

      const RedactRule* redact_rule_here() const {
         for(const RedactRule& rule : m_redact_rules) {
            if(rule.path == m_paths.path()) {
               return &rule;
            }
         }
         return nullptr;
      }

      // Writes the string `span` (raw token from `token`) redacted under `rule`. A string
      // with no finding keeps its exact bytes; otherwise the redacted text is written as
      // a newly escaped JSON string.
      bool put_redacted(const RedactRule& rule, const json_text::StringSpan& span, const std::uint8_t* token) {
         std::string decoded;
         std::string_view text(reinterpret_cast<const char*>(span.begin), static_cast<std::size_t>(span.end - span.begin));
         if(span.escaped) {
            decoded = json_text::decode_string(span.begin, span.end);
            text = decoded;
         }
         auto redacted = redact::redact(text, rule.detect, rule.action, m_pseudonym_key);
         if(!redacted) {
            // Fail closed: a string that cannot be scanned (an escaped lone surrogate) or a
            // rule that cannot run (no pseudonym key) never passes through unredacted.
            const Error& error = redacted.error();
            return fail(error.code(), ("redact rule " + rule.path + ": " + error.message()).c_str(), token);
         }
         if(redacted.value().findings.empty()) {
            put(token, m_p);
            return true;
         }
         note_redacted(redacted.value().findings);
         const WipedBuffer& out = redacted.value().text;
         // Escaping at most sextuples a byte (\u00XX), plus the two quotes.
         m_output.reserve_growth(out.size() * 6 + 2);
         put('"');
         for(std::uint8_t byte : out) {
            m_output.put_escaped(byte);
         }
         put('"');
         m_output.settle_growth();
         return true;
      }

      // ---- projection -----------------------------------------------------------------

      // Which of `plan`'s rules apply to the value at m_p, as an action (null: none).
      // Returns false on error.
      bool choose(const MemberPlan& plan, const Action*& action) {
         if(!plan.conditional) {
            action = plan.unconditional;
            return true;
         }
         std::uint64_t mask = 0;
         const bool is_object = *m_p == '{';
         if(is_object) {
            look_ahead(plan.predicate_keys);
         }
         for(std::size_t i = 0; i != plan.rules.size(); ++i) {
            const Rule& rule = *plan.rules[i];
            if(!rule.predicate || (is_object && predicate_matches(*rule.predicate, plan.predicate_keys))) {
               mask |= std::uint64_t{1} << i;
            }
         }
         auto chosen = plan.action_for(mask);
         if(!chosen) {
            return fail(chosen.error().code(), chosen.error().message().c_str(), m_p);
         }
         action = chosen.value();
         return true;
      }

      // Finds, without validating, the values of `keys` among the members of the object
      // at m_p. Malformed input simply stops the search: the validating walk that follows
      // reports the error at its place.
      void look_ahead(const std::vector<std::string_view>& keys) {
         m_found.assign(keys.size(), PredicateValue{});
         std::size_t missing = keys.size();
         const std::uint8_t* p = m_p + 1;
         while(missing != 0) {
            p = json_text::skip_space(p, m_end);
            if(p >= m_end || *p != '"') {
               return;
            }
            // Strings are scanned with validation: only validated text may be decoded.
            json_text::StringSpan name_span;
            if(json_text::scan_string(p, m_end, name_span) != json_text::ScanStatus::ok) {
               return;
            }
            std::string decoded;
            std::string_view name(reinterpret_cast<const char*>(name_span.begin),
                                  static_cast<std::size_t>(name_span.end - name_span.begin));
            if(name_span.escaped) {
               decoded = json_text::decode_string(name_span.begin, name_span.end);
               name = decoded;
            }
            p = json_text::skip_space(name_span.end + 1, m_end);
            if(p >= m_end || *p != ':') {
               return;
            }
            p = json_text::skip_space(p + 1, m_end);
            if(p >= m_end) {
               return;
            }
            PredicateValue value;
            const std::uint8_t* value_end = nullptr;
            if(*p == '"') {
               json_text::StringSpan value_span;
               if(json_text::scan_string(p, m_end, value_span) != json_text::ScanStatus::ok) {
                  return;
               }
               value.kind = PredicateValue::Kind::string;
               value.raw = std::string_view(reinterpret_cast<const char*>(value_span.begin),
                                            static_cast<std::size_t>(value_span.end - value_span.begin));
               value.escaped = value_span.escaped;
               value_end = value_span.end + 1;
            } else if(*p == '{' || *p == '[') {
               value_end = json_text::skip_container_unchecked(p, m_end);
               if(value_end == nullptr) {
                  return;
               }
               value.kind = PredicateValue::Kind::container;
            } else {
               value_end = p;
               while(value_end < m_end && !json_text::is_space(*value_end) && *value_end != ',' && *value_end != '}' &&
                     *value_end != ']') {
                  ++value_end;
               }
               value.kind = PredicateValue::Kind::scalar;
               value.raw = std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(value_end - p));
            }
            for(std::size_t i = 0; i != keys.size(); ++i) {
               // The first occurrence decides; a second occurrence of a predicate key is
               // a duplicate_key error that the walk reports.
               if(m_found[i].kind == PredicateValue::Kind::absent && keys[i] == name) {
                  m_found[i] = value;
                  --missing;
               }
            }
            p = json_text::skip_space(value_end, m_end);
            if(p >= m_end || *p != ',') {
               return;
            }
            ++p;
         }
      }

      bool predicate_matches(const Predicate& predicate, const std::vector<std::string_view>& keys) const {
         std::size_t index = 0;
         while(keys[index] != predicate.key) {
            ++index;
         }
         const PredicateValue& found = m_found[index];
         if(found.kind == PredicateValue::Kind::string) {
            const std::string decoded = found.escaped ? json_text::decode_string(
                                                           reinterpret_cast<const std::uint8_t*>(found.raw.data()),
                                                           reinterpret_cast<const std::uint8_t*>(found.raw.data() + found.raw.size()))
                                                      : std::string();
            const std::string_view text = found.escaped ? std::string_view(decoded) : found.raw;
            for(const std::string& value : predicate.values) {
               if(value == text) {
                  return true;
               }
            }
         } else if(found.kind == PredicateValue::Kind::scalar) {
            for(const std::string& value : predicate.values) {
               if(value == found.raw) {
                  return true;
               }
            }
         }
         return false;
      }

      // Emits a member name (with the separating comma) before its kept value.
      void put_name(bool& first, const std::uint8_t* raw_name, const std::uint8_t* raw_name_end) {
         put_separator(first);
         put(raw_name, raw_name_end);
         put(':');
      }

      // Keeps the non-array value at m_p under `action` (which it survives): whole, or an
      // object projected through the action's node, or null as it is.
      bool keep(const Action& action, const MemberPlan* selected_by) {
         if(action.whole || *m_p != '{') {
            return walk_value<true>();
         }
         return project_object(*action.node, selected_by);
      }

      // Whether a non-array value at m_p survives `action`: containers always do (an
      // object is projected), null does, other scalars only under a whole-keeping rule.
      bool survives(const Action* action) const {
         return action != nullptr && (action->whole || *m_p == '{' || *m_p == 'n');
      }

      bool project_object(const Node& node, const MemberPlan* selected_by) {
         put('{');
         NameSet names;
         bool first = true;
         const bool ok = for_each_member([&](std::string_view name, const std::uint8_t* raw_name,
                                             const std::uint8_t* raw_name_end) {
            const MemberPlan* plan = node.find(name);
            const bool predicate_key = selected_by != nullptr && is_predicate_key(*selected_by, name);
            if((plan != nullptr || predicate_key) && !names.insert(name)) {
               return fail(ErrorCode::duplicate_key, "a kept member occurs twice in one object", raw_name);
            }
            if(!read_colon()) {
               return false;
            }
            if(plan == nullptr) {
               note_dropped_member(name);
               if(m_depth == 1) {
                  note_unmatched(name);  // a member of the top-level object
               }
               return walk_value<false>();
            }
            return project_member(*plan, name, first, raw_name, raw_name_end);
         });
         return ok && close('}');
      }

      // Skips a value no rule of `plan` applies to. When predicates were evaluated on it,
      // their keys decided its fate, so they must not occur twice: a reader that takes
      // the last occurrence would see an element the filter dropped.
      bool skip_rejected(const MemberPlan& plan) {
         if(!plan.conditional || *m_p != '{') {
            return walk_value<false>();
         }
         NameSet names;
         return for_each_member([&](std::string_view name, const std::uint8_t* raw_name, const std::uint8_t*) {
            if(is_predicate_key(plan, name) && !names.insert(name)) {
               return fail(ErrorCode::duplicate_key, "a predicate member occurs twice in one object", raw_name);
            }
            return read_colon() && walk_value<false>();
         });
      }

      static bool is_predicate_key(const MemberPlan& plan, std::string_view name) {
         for(std::string_view key : plan.predicate_keys) {
            if(key == name) {
               return true;
            }
         }
         return false;
      }

      bool project_member(const MemberPlan& plan, std::string_view name, bool& first, const std::uint8_t* raw_name,
                          const std::uint8_t* raw_name_end) {
         if(*m_p == '[' && !(!plan.conditional && plan.unconditional->whole)) {
            put_name(first, raw_name, raw_name_end);
            const std::size_t mark = m_paths.push_member(name);
            const bool ok = project_array(plan);
            m_paths.pop(mark);
            return ok;
         }
         const Action* action = nullptr;
         if(!choose(plan, action)) {
            return false;
         }
         if(!survives(action)) {
            note_dropped_member(name);
            return skip_rejected(plan);
         }
         put_name(first, raw_name, raw_name_end);
         const std::size_t mark = m_paths.push_member(name);
         const bool ok = keep(*action, &plan);
         m_paths.pop(mark);
         return ok;
      }

      // Rules act on each element: elements no rule applies to are dropped; nested arrays
      // are processed the same way, element by element.
      bool project_array(const MemberPlan& plan) {
         put('[');
         const std::size_t mark = m_paths.push_array();
         bool first = true;
         const bool ok = for_each_element([&] {
            if(*m_p == '[') {
               put_separator(first);
               return project_array(plan);
            }
            const Action* action = nullptr;
            if(!choose(plan, action)) {
               return false;
            }
            if(!survives(action)) {
               note_dropped_element();
               return skip_rejected(plan);
            }
            put_separator(first);
            return keep(*action, &plan);
         });
         m_paths.pop(mark);
         return ok && close(']');
      }

      bool run_root() {
         skip_space();
         if(m_p >= m_end) {
            return fail_json("empty input: expected a JSON value", m_p);
         }
         bool ok = false;
         if(*m_p == '[') {
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
               // be JSON, so it is `null`.
               note_dropped_element();
               ok = walk_value<false>();
               if(ok) {
                  m_output.put_null();
               }
            }
         }
         if(!ok) {
            return false;
         }
         skip_space();
         if(m_p != m_end) {
            return fail_json("unexpected data after the JSON value", m_p);
         }
         return true;
      }

      const std::uint8_t* const m_begin;
      const std::uint8_t* m_p;
      const std::uint8_t* const m_end;
      detail::FilterOutput m_output;
      std::size_t m_depth = 0;
      const std::size_t m_max_depth;
      const MemberPlan& m_root;
      Ledger* m_ledger;
      const std::vector<RedactRule>& m_redact_rules;
      const redact::PseudonymKey* m_pseudonym_key;
      // Paths are tracked for the ledger and for redact rules, which are matched by path.
      detail::PathCounter m_paths{m_ledger != nullptr || !m_redact_rules.empty()};
      std::vector<PredicateValue> m_found;
      std::deque<std::string> m_decoded_names;
      std::optional<Error> m_error;
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
      *ledger = Ledger{};
   }
   return FilterRun(plan, limits, redact_rules, input, output, ledger, pseudonym_key).run();
}

}  // namespace detail

Status filter(const Policy& policy, std::span<const std::uint8_t> input, WipedBuffer& output, Ledger* ledger,
              const redact::PseudonymKey* pseudonym_key) {
   return detail::filter_with_plan(policy.plan(), policy.limits(), policy.redact_rules(), input, output, ledger,
                                   pseudonym_key);
}

}  // namespace leastdata
