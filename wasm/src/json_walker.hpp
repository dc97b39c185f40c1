// The JSON grammar over bytes, for the streaming filter: a strict, validating cursor that
// knows nothing of policies, output or ledgers (as simdjson keeps its walk apart from what
// is built from it). Internal to the core.
//
// The walker reads one grammar element at a time and records the first error with its
// byte offset; every reading function returns false once an error is recorded, and the
// caller unwinds. Containers are walked by for_each_member / for_each_element, which hand
// each member or element to the caller; walk_value() walks a whole value and reports it to
// a visitor, and skip_value() validates a value without reporting anything. The caller
// decides, value by value, which of them to use: that is how the filter projects.
//
// Limits: containers deeper than `max_depth` are a depth_limit error at their opening
// bracket (the whole input counts, skipped parts too).
#pragma once

#include <leastdata/error.hpp>
#include <leastdata/wipe.hpp>

#include "json_string_scan.hpp"
#include "json_text.hpp"
#include "name_set.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace leastdata::detail {

/// A member name as read: decoded when it has escapes, and its raw token (quotes included)
/// for copying byte-exact.
struct MemberName {
      std::string_view name;
      const std::uint8_t* raw_begin = nullptr;
      const std::uint8_t* raw_end = nullptr;
};

/// What walk_value() reports, in input order. A visitor keeps what it needs for one open
/// container in a state of its own type (`Object`, `Array`) that lives on the walk's
/// stack: `begin_*` makes it, the other events of that container receive it. `member`
/// comes once the name is read, before its colon (a duplicate name is the earlier fault),
/// `member_value` once the colon is read, and `end_object`/`end_array` only for
/// containers read whole. An event returning `bool` stops the walk with false, after
/// recording an error through JsonWalker::fail. SkipVisitor does nothing: walking with it
/// validates.
struct SkipVisitor {
      struct Object {};
      struct Array {};
      Object begin_object() { return {}; }
      bool member(Object&, const MemberName&) { return true; }
      void member_value(Object&, const MemberName&) {}
      void end_member(Object&) {}
      void end_object(Object&) {}
      Array begin_array() { return {}; }
      void element(Array&) {}
      void end_array(Array&) {}
      bool string(const json_text::StringSpan&, const std::uint8_t*, const std::uint8_t*) { return true; }
      void scalar(const std::uint8_t*, const std::uint8_t*) {}
};

class JsonWalker final {
   public:
      JsonWalker(std::span<const std::uint8_t> input, std::size_t max_depth) :
            m_begin(input.data()), m_p(input.data()), m_end(input.data() + input.size()), m_max_depth(max_depth) {}

      JsonWalker(const JsonWalker&) = delete;
      JsonWalker& operator=(const JsonWalker&) = delete;

      // ---- position ------------------------------------------------------------------

      const std::uint8_t* begin() const noexcept { return m_begin; }
      const std::uint8_t* end() const noexcept { return m_end; }
      /// The reader's own cursor, for the output's bound (filter_output.hpp).
      const std::uint8_t* const& position() const noexcept { return m_p; }
      /// The byte the reader is on; only valid where the grammar guarantees one (at a value).
      std::uint8_t current() const noexcept { return *m_p; }
      /// Nesting depth of the container being read (the top-level container is 1).
      std::size_t depth() const noexcept { return m_depth; }

      // ---- errors --------------------------------------------------------------------

      /// Records the first error (later ones are consequences) and returns false.
      bool fail(ErrorCode code, const char* message, const std::uint8_t* at) {
         if(!m_error) {
            m_error = Error(code, message, static_cast<std::size_t>(at - m_begin));
         }
         return false;
      }
      bool fail_here(ErrorCode code, const char* message) { return fail(code, message, m_p); }
      bool fail_json(const char* message, const std::uint8_t* at) { return fail(ErrorCode::invalid_json, message, at); }

      /// The recorded error; only after a reading function returned false.
      Error take_error() { return std::move(*m_error); }

      // ---- whole input -----------------------------------------------------------------

      /// Steps over leading whitespace to the top-level value.
      bool start() {
         skip_space();
         return m_p < m_end || fail_json("empty input: expected a JSON value", m_p);
      }

      /// After the top-level value: only whitespace may follow.
      bool finish() {
         skip_space();
         return m_p == m_end || fail_json("unexpected data after the JSON value", m_p);
      }

      // ---- containers: one loop each, the member or element handled by the caller -----

      /// Walks the object at the cursor: `on_member(const MemberName&)` is called once a
      /// member's name is read, with the cursor on its colon; it checks the name, then calls
      /// read_colon() and reads the value.
      template <typename OnMember>
      bool for_each_member(OnMember&& on_member) {
         return for_each_item('}', "expected ',' or '}' in an object", [&] {
            MemberName name;
            return read_name(name) && on_member(name);
         });
      }

      /// Walks the array at the cursor: `on_element()` is called with the cursor at each element.
      template <typename OnElement>
      bool for_each_element(OnElement&& on_element) {
         return for_each_item(']', "expected ',' or ']' in an array", [&] {
            return m_p < m_end ? on_element() : unexpected("expected a JSON value");
         });
      }

      /// The `:` after a member name, up to the start of its value.
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

      // ---- whole values ------------------------------------------------------------------

      /// Validates the value at the cursor and steps over it, reporting it to `visitor`.
      template <typename Visitor>
      bool walk_value(Visitor& visitor) {
         if(m_p >= m_end) {
            return unexpected("expected a JSON value");
         }
         switch(*m_p) {
            case '{': {
               auto object = visitor.begin_object();
               const bool ok = for_each_member([&](const MemberName& name) {
                  if(!visitor.member(object, name) || !read_colon()) {
                     return false;
                  }
                  visitor.member_value(object, name);
                  const bool value_ok = walk_value(visitor);
                  visitor.end_member(object);
                  return value_ok;
               });
               if(ok) {
                  visitor.end_object(object);
               }
               return ok;
            }
            case '[': {
               auto array = visitor.begin_array();
               const bool ok = for_each_element([&] {
                  visitor.element(array);
                  return walk_value(visitor);
               });
               if(ok) {
                  visitor.end_array(array);
               }
               return ok;
            }
            case '"': {
               const std::uint8_t* token = m_p;
               json_text::StringSpan span;
               return scan_string(span) && visitor.string(span, token, m_p);
            }
            default: {
               const std::uint8_t* start = m_p;
               if(!scan_scalar()) {
                  return false;
               }
               visitor.scalar(start, m_p);
               return true;
            }
         }
      }

      /// Validates the value at the cursor and steps over it.
      bool skip_value() {
         SkipVisitor nothing;
         return walk_value(nothing);
      }

   private:
      bool unexpected(const char* expected) { return fail_json(expected, m_p); }

      // The container at the cursor, closed by `close`: `on_item()` reads each item.
      template <typename OnItem>
      bool for_each_item(std::uint8_t close, const char* expected, OnItem&& on_item) {
         if(!enter_container()) {
            return false;
         }
         if(m_p < m_end && *m_p == close) {
            ++m_p;
            --m_depth;
            return true;
         }
         for(;;) {
            if(!on_item()) {
               return false;
            }
            const int more = next_item(close, expected);
            if(more <= 0) {
               return more == 0;
            }
         }
      }

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

      // Inlined, as the scan it wraps (json_string_scan.hpp): once per string of the input.
      [[gnu::always_inline]] bool scan_string(json_text::StringSpan& span) {
         const auto status = json_text::scan_string(m_p, m_end, span);
         if(status != json_text::ScanStatus::ok) {
            return fail(status == json_text::ScanStatus::invalid_utf8 ? ErrorCode::invalid_utf8 : ErrorCode::invalid_json,
                        json_text::scan_message(status), span.error_at);
         }
         m_p = span.end + 1;
         return true;
      }

      bool scan_scalar() {
         const std::uint8_t c = *m_p;
         if(c == '-' || (c >= '0' && c <= '9')) {
            const std::uint8_t* error_at = nullptr;
            if(!json_text::scan_number(m_p, m_end, error_at)) {
               return fail_json("invalid number", error_at);
            }
            return true;
         }
         using namespace std::string_view_literals;
         const std::string_view literal = c == 't' ? "true"sv : c == 'f' ? "false"sv : c == 'n' ? "null"sv : ""sv;
         // Compared by same_name, inline, not by memcmp: in wasm that is a call to a byte
         // loop, and this runs for every null, true and false of the input, skipped ones too.
         if(literal.empty() || static_cast<std::size_t>(m_end - m_p) < literal.size() ||
            !same_name(std::string_view(reinterpret_cast<const char*>(m_p), literal.size()), literal)) {
            return fail_json("expected a JSON value", m_p);
         }
         m_p += literal.size();
         return true;
      }

      // A member name, decoded when it has escapes (the decoded copy lives as long as the
      // walker, so the names of one object can be compared).
      bool read_name(MemberName& name) {
         if(m_p >= m_end || *m_p != '"') {
            return fail_json("expected a member name in double quotes", m_p);
         }
         name.raw_begin = m_p;
         json_text::StringSpan span;
         if(!scan_string(span)) {
            return false;
         }
         name.raw_end = m_p;
         if(span.escaped) {
            name.name = m_decoded_names.emplace_back(json_text::decode_string(span.begin, span.end));
         } else {
            name.name =
               std::string_view(reinterpret_cast<const char*>(span.begin), static_cast<std::size_t>(span.end - span.begin));
         }
         return true;
      }

      const std::uint8_t* const m_begin;
      const std::uint8_t* m_p;
      const std::uint8_t* const m_end;
      std::size_t m_depth = 0;
      const std::size_t m_max_depth;
      std::deque<std::string> m_decoded_names;
      std::optional<Error> m_error;
};

}  // namespace leastdata::detail
