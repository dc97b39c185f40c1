// Parsing the small documents an app hands the core (policy documents, job ID lists) into
// nlohmann::ordered_json with the one strict parser (strict_json.hpp), every error under the
// document's own code with a byte offset. Payloads never go through here: they are streamed.
#pragma once

#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace leastdata::detail {

/// Parses `text` strictly (strict_json.hpp) as one JSON value, keeping member order, with no byte
/// order mark. Errors carry `code` and a byte offset into `text`;
/// `what` names the document in messages ("policy", "certificate").
Result<nlohmann::ordered_json> parse_json_document(std::string_view text, ErrorCode code, std::string_view what);

}  // namespace leastdata::detail
