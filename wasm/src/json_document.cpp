// See json_document.hpp.
#include "json_document.hpp"

#include <string>
#include <unordered_set>
#include <vector>

namespace leastdata::detail {

namespace {

using json = nlohmann::ordered_json;

// nlohmann's DOM builder, plus what it lacks: duplicate member names are an error
// (it would silently keep the last one), and errors are recorded instead of thrown.
class StrictDomBuilder final {
   public:
      explicit StrictDomBuilder(json& root) : m_dom(root, false) {}

      bool null() { return m_dom.null(); }
      bool boolean(bool v) { return m_dom.boolean(v); }
      bool number_integer(json::number_integer_t v) { return m_dom.number_integer(v); }
      bool number_unsigned(json::number_unsigned_t v) { return m_dom.number_unsigned(v); }
      bool number_float(json::number_float_t v, const json::string_t& s) { return m_dom.number_float(v, s); }
      bool string(json::string_t& v) { return m_dom.string(v); }
      bool binary(json::binary_t& v) { return m_dom.binary(v); }
      bool start_object(std::size_t n) {
         m_keys.emplace_back();
         return m_dom.start_object(n);
      }
      bool key(json::string_t& k) {
         if(!m_keys.back().insert(k).second) {
            m_duplicate = k;
            return false;
         }
         return m_dom.key(k);
      }
      bool end_object() {
         m_keys.pop_back();
         return m_dom.end_object();
      }
      bool start_array(std::size_t n) { return m_dom.start_array(n); }
      bool end_array() { return m_dom.end_array(); }

      template <class Exception>
      bool parse_error(std::size_t position, const std::string&, const Exception& ex) {
         m_error_position = position;
         m_error_message = ex.what();
         return false;
      }

      std::optional<std::string> m_duplicate;
      std::size_t m_error_position = 0;
      std::string m_error_message;

   private:
      nlohmann::detail::json_sax_dom_parser<json> m_dom;
      std::vector<std::unordered_set<std::string>> m_keys;
};

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1,
// column 5: " or just "[json.exception...] "; keep the part that says what was wrong.
std::string short_message(const std::string& message) {
   const auto colon = message.find(": ");
   if(colon != std::string::npos) {
      return message.substr(colon + 2);
   }
   const auto bracket = message.find("] ");  // "[json.exception.out_of_range.406] number overflow ..."
   return bracket == std::string::npos ? message : message.substr(bracket + 2);
}

}  // namespace

Result<json> parse_json_document(std::string_view text, ErrorCode code, std::string_view what) {
   // nlohmann's lexer skips a leading UTF-8 byte order mark; RFC 8259 text has none, and the
   // filter refuses one in payloads, so a document with one is refused too (found by fuzz_policy).
   if(text.starts_with("\xEF\xBB\xBF")) {
      return Error(code, std::string(what) + ": not valid JSON: a UTF-8 byte order mark before the value", 0);
   }
   json root;
   StrictDomBuilder builder(root);
   const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
   if(ok) {
      // nlohmann's lexer takes a NUL byte for the end of the input, so it accepted a value
      // followed by a NUL and anything after it. A NUL inside a string is already refused.
      if(const auto nul = text.find('\0'); nul != std::string_view::npos) {
         return Error(code, std::string(what) + ": not valid JSON: unexpected NUL byte after the JSON value", nul);
      }
      return root;
   }
   if(builder.m_duplicate) {
      // The SAX interface reports no position for keys; the message names the member.
      return Error(code, std::string(what) + ": duplicate member " + json(*builder.m_duplicate).dump());
   }
   const std::size_t offset = builder.m_error_position > 0 ? builder.m_error_position - 1 : 0;
   return Error(code, std::string(what) + ": not valid JSON: " + short_message(builder.m_error_message), offset);
}

}  // namespace leastdata::detail
