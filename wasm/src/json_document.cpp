// See json_document.hpp.
#include "json_document.hpp"

#include "strict_json.hpp"

#include <string>

namespace leastdata::detail {

namespace {

// Deeper than any document read here needs (a policy nests a few levels), and shallow
// enough for nlohmann's recursive destructor and writer.
constexpr std::size_t k_document_max_depth = 64;

}  // namespace

Result<nlohmann::ordered_json> parse_json_document(std::string_view text, ErrorCode code, std::string_view what) {
   // nlohmann's lexer skips a leading UTF-8 byte order mark; RFC 8259 text has none, and the
   // filter refuses one in payloads, so a document with one is refused too (found by fuzz_policy).
   if(text.starts_with("\xEF\xBB\xBF")) {
      return Error(code, std::string(what) + ": not valid JSON: a UTF-8 byte order mark before the value", 0);
   }
   auto parsed = parse_strict_json(text, k_document_max_depth);
   if(parsed) {
      return std::move(parsed).value();
   }
   // The document's own code, with what went wrong in its terms.
   const Error& error = parsed.error();
   const bool grammar = error.code() == ErrorCode::invalid_json || error.code() == ErrorCode::invalid_utf8;
   return Error(code, std::string(what) + (grammar ? ": not valid JSON: " : ": ") + error.message(), error.offset());
}

}  // namespace leastdata::detail
