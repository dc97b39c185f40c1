// Parsing small trusted-shape JSON documents (policy documents, job ID lists) into
// nlohmann::json without exceptions, with duplicate member names rejected and a byte
// offset on every error. Payloads never go through here: they are streamed (filter.cpp).
#pragma once

#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>

#include <string_view>

namespace leastdata::detail {

/// Parses `text` as one JSON value, keeping member order. Errors carry `code` and a byte offset into `text`;
/// `what` names the document in messages ("policy", "certificate").
Result<nlohmann::ordered_json> parse_json_document(std::string_view text, ErrorCode code, std::string_view what);

}  // namespace leastdata::detail
