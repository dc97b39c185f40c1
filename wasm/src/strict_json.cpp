// See strict_json.hpp.
#include "strict_json.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace leastdata::detail {

namespace {

using Json = nlohmann::ordered_json;

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
std::size_t string_token_start(std::string_view text, std::size_t closing) noexcept {
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

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 5: " prefix, which repeats the offset in another unit.
std::string describe(std::string_view what) {
   if(const std::size_t colon = what.find(": "); colon != std::string_view::npos) {
      return std::string(what.substr(colon + 2));
   }
   const std::size_t bracket = what.find("] ");
   return std::string(bracket == std::string_view::npos ? what : what.substr(bracket + 2));
}

// Builds the DOM like nlohmann's own json_sax_dom_parser, with the checks of strict_json.hpp.
class StrictBuilder final {
   public:
      StrictBuilder(std::string_view text, const char* const& read_to, Json& root, std::size_t max_depth) noexcept :
         m_text(text), m_read_to(read_to), m_root(root), m_max_depth(max_depth) {}

      bool null() { return scalar(nullptr); }
      bool boolean(bool value) { return scalar(value); }
      bool number_integer(Json::number_integer_t value) { return scalar(value); }
      bool number_unsigned(Json::number_unsigned_t value) { return scalar(value); }
      bool number_float(Json::number_float_t value, const std::string& /*text*/) { return scalar(value); }
      bool string(std::string& value) { return scalar(std::move(value)); }
      bool binary(Json::binary_t& /*value*/) { return false; }  // JSON text has no binary values

      bool start_object(std::size_t /*size*/) {
         m_names.emplace_back();
         return open(Json::value_t::object);
      }
      bool start_array(std::size_t /*size*/) { return open(Json::value_t::array); }
      bool end_object() {
         m_names.pop_back();
         return close();
      }
      bool end_array() { return close(); }

      bool key(std::string& name) {
         // The names of the open object in a hash set: ordered_json's own lookup is linear.
         if(!m_names.back().insert(name).second) {
            const std::size_t closing_quote = read_offset() - 1;
            fail(Error(ErrorCode::duplicate_key, "duplicate member " + Json(name).dump(),
                       string_token_start(m_text, closing_quote)));
            return false;
         }
         auto& members = m_stack.back()->get_ref<Json::object_t&>();
         members.emplace_back(std::move(name), nullptr);  // new, so no lookup: ordered_map is a vector
         m_member = &members.back().second;
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

      template <typename Value>
      bool scalar(Value&& value) {
         put(std::forward<Value>(value));
         return true;
      }

      // Places a value where the parser is: the root, the next array element, or the
      // member whose name `key` just read. The pointers stay valid while they are used: a
      // container grows only after the child on top of the stack is closed.
      template <typename Value>
      Json* put(Value&& value) {
         if(m_stack.empty()) {
            m_root = Json(std::forward<Value>(value));
            return &m_root;
         }
         Json& parent = *m_stack.back();
         if(parent.is_array()) {
            auto& elements = parent.get_ref<Json::array_t&>();
            elements.emplace_back(std::forward<Value>(value));
            return &elements.back();
         }
         *m_member = Json(std::forward<Value>(value));
         return m_member;
      }

      bool open(Json::value_t type) {
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
      std::vector<std::unordered_set<std::string>> m_names;
      Json* m_member = nullptr;
      std::optional<Error> m_error;
};

}  // namespace

Result<Json> parse_strict_json(std::string_view text, std::size_t max_depth) {
   Json root;
   const char* read_to = text.data();
   StrictBuilder builder(text, read_to, root, max_depth);
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
