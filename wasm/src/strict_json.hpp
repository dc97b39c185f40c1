// The one strict parser of small JSON documents into nlohmann's DOM: policy documents, job ID
// lists (json_document.cpp) and certificates and key sets (jcs.cpp). It rejects what nlohmann
// accepts and I-JSON forbids: duplicate member names (nlohmann keeps the last), nesting deeper
// than a limit (the recursive writers and destructors would exhaust the stack), and a value
// followed by a NUL byte. Every error has a core code (invalid_json, invalid_utf8,
// duplicate_key, depth_limit) and the byte offset of the fault; nothing throws. Payloads
// never come here: they are streamed (json_walker.hpp).
#pragma once

#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leastdata::detail {

// nlohmann's SAX events carry no input position. This iterator records how far the lexer
// has read, so the handler can give the offset of the faults it detects itself.
class TrackingIterator final {
   public:
      using iterator_category = std::input_iterator_tag;
      using value_type = char;
      using difference_type = std::ptrdiff_t;
      using pointer = const char*;
      using reference = const char&;

      TrackingIterator(const char* position, const char** read_to) noexcept :
         m_position(position), m_read_to(read_to) {}

      reference operator*() const noexcept { return *m_position; }
      TrackingIterator& operator++() noexcept {
         ++m_position;
         *m_read_to = m_position;
         return *this;
      }
      TrackingIterator operator++(int) noexcept {
         TrackingIterator before = *this;
         ++*this;
         return before;
      }
      bool operator==(const TrackingIterator& other) const noexcept { return m_position == other.m_position; }
      bool operator!=(const TrackingIterator& other) const noexcept { return m_position != other.m_position; }

   private:
      const char* m_position;
      const char** m_read_to;
};

// Offset of the opening quote of the string token whose closing quote is at `closing`:
// the nearest earlier quote not escaped by an odd run of backslashes.
inline std::size_t string_token_start(std::string_view text, std::size_t closing) noexcept {
   std::size_t i = closing;
   while(i > 0) {
      --i;
      if(text[i] != '"') {
         continue;
      }
      std::size_t backslashes = 0;
      while(backslashes < i && text[i - 1 - backslashes] == '\\') {
         ++backslashes;
      }
      if(backslashes % 2 == 0) {
         return i;
      }
   }
   return 0;
}

// Builds the DOM (`Json`: nlohmann::json, or ordered_json to keep member order) like
// nlohmann's own json_sax_dom_parser, with the checks above.
template <typename Json>
class StrictBuilder final {
   public:
      StrictBuilder(std::string_view text, const char* const& read_to, Json& root, std::size_t max_depth) noexcept :
         m_text(text), m_read_to(read_to), m_root(root), m_max_depth(max_depth) {}

      bool null() { return scalar(nullptr); }
      bool boolean(bool value) { return scalar(value); }
      bool number_integer(typename Json::number_integer_t value) { return scalar(value); }
      bool number_unsigned(typename Json::number_unsigned_t value) { return scalar(value); }
      bool number_float(typename Json::number_float_t value, const std::string& /*text*/) { return scalar(value); }
      bool string(std::string& value) { return scalar(std::move(value)); }
      bool binary(typename Json::binary_t& /*value*/) { return false; }  // JSON text has no binary values

      bool start_object(std::size_t /*size*/) { return open(Json::value_t::object); }
      bool start_array(std::size_t /*size*/) { return open(Json::value_t::array); }
      bool end_object() { return close(); }
      bool end_array() { return close(); }

      bool key(std::string& name) {
         auto& members = m_stack.back()->template get_ref<typename Json::object_t&>();
         if(members.find(name) != members.end()) {
            const std::size_t closing_quote = read_offset() - 1;
            fail(Error(ErrorCode::duplicate_key, "duplicate member " + Json(name).dump(),
                       string_token_start(m_text, closing_quote)));
            return false;
         }
         m_member = &members[std::move(name)];
         return true;
      }

      template <typename Exception>
      bool parse_error(std::size_t position, const std::string& token, const Exception& ex) {
         if(ex.id == 406) {  // number overflow: point at the number, which ends at `position`
            fail(Error(ErrorCode::invalid_json, "number is outside the range of a double",
                       position - std::min(position, token.size())));
            return false;
         }
         const std::string_view what = ex.what();
         const bool utf8 = what.find("ill-formed UTF-8") != std::string_view::npos;
         // nlohmann counts the character it stopped at (or the end of input) as read.
         const std::size_t offset = position == 0 ? 0 : position - 1;
         fail(Error(utf8 ? ErrorCode::invalid_utf8 : ErrorCode::invalid_json, describe(what), offset));
         return false;
      }

      std::optional<Error>& error() noexcept { return m_error; }

   private:
      std::size_t read_offset() const noexcept { return static_cast<std::size_t>(m_read_to - m_text.data()); }

      void fail(Error error) {
         if(!m_error) {
            m_error = std::move(error);
         }
      }

      // nlohmann's message without its "[json.exception.parse_error.101] parse error at
      // line 1, column 5: " prefix, which repeats the offset in another unit.
      static std::string describe(std::string_view what) {
         if(const std::size_t colon = what.find(": "); colon != std::string_view::npos) {
            return std::string(what.substr(colon + 2));
         }
         const std::size_t bracket = what.find("] ");
         return std::string(bracket == std::string_view::npos ? what : what.substr(bracket + 2));
      }

      template <typename Value>
      bool scalar(Value&& value) {
         put(std::forward<Value>(value));
         return true;
      }

      // Places a value where the parser is: the root, the next array element, or the
      // member whose name `key` just read.
      template <typename Value>
      Json* put(Value&& value) {
         if(m_stack.empty()) {
            m_root = Json(std::forward<Value>(value));
            return &m_root;
         }
         Json& parent = *m_stack.back();
         if(parent.is_array()) {
            auto& elements = parent.template get_ref<typename Json::array_t&>();
            elements.emplace_back(std::forward<Value>(value));
            return &elements.back();
         }
         *m_member = Json(std::forward<Value>(value));
         return m_member;
      }

      bool open(typename Json::value_t type) {
         if(m_stack.size() >= m_max_depth) {
            fail(Error(ErrorCode::depth_limit, "containers nested deeper than " + std::to_string(m_max_depth),
                       read_offset() - 1));
            return false;
         }
         m_stack.push_back(put(type));
         return true;
      }

      bool close() {
         m_stack.pop_back();
         return true;
      }

      std::string_view m_text;
      const char* const& m_read_to;
      Json& m_root;
      std::size_t m_max_depth;
      std::vector<Json*> m_stack;
      Json* m_member = nullptr;
      std::optional<Error> m_error;
};

/// Parses `text` as one JSON value, containers nested at most `max_depth` deep (the
/// top-level container is depth 1). A leading UTF-8 byte order mark is skipped, as
/// nlohmann's lexer does; callers that must refuse one check for it first.
template <typename Json>
Result<Json> parse_strict_json(std::string_view text, std::size_t max_depth) {
   Json root;
   const char* read_to = text.data();
   StrictBuilder<Json> builder(text, read_to, root, max_depth);
   const TrackingIterator first(text.data(), &read_to);
   const TrackingIterator last(text.data() + text.size(), &read_to);
   if(Json::sax_parse(first, last, &builder)) {
      // nlohmann's lexer takes a NUL byte for the end of the input, so it accepted a value
      // followed by a NUL and anything after it. A NUL inside a string is already refused.
      if(const auto nul = text.find('\0'); nul != std::string_view::npos) {
         return Error(ErrorCode::invalid_json, "unexpected NUL byte after the JSON value", nul);
      }
      return root;
   }
   if(auto& error = builder.error()) {
      return std::move(*error);
   }
   return Error(ErrorCode::invalid_json, "JSON text could not be parsed");
}

}  // namespace leastdata::detail
