// The one strict parser of small JSON documents into nlohmann's DOM: policy documents, job ID
// lists (json_document.cpp) and certificates, key sets and the endpoint's request bodies
// (jcs.cpp). One DOM type (ordered_json, member order kept), so the module holds one copy of
// nlohmann's lexer and parser; jcs.cpp converts to nlohmann::json, whose order it never uses. It rejects what nlohmann
// accepts and I-JSON forbids: duplicate member names (nlohmann keeps the last), nesting deeper
// than a limit (the recursive writers and destructors would exhaust the stack), and a value
// followed by a NUL byte. Every error has a core code (invalid_json, invalid_utf8,
// duplicate_key, depth_limit) and the byte offset of the fault; nothing throws. Payloads
// never come here: they are streamed (json_walker.hpp).
#pragma once

#include <leastdata/error.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string_view>

namespace leastdata::detail {

/// Parses `text` as one JSON value, containers nested at most `max_depth` deep (the
/// top-level container is depth 1). A leading UTF-8 byte order mark is skipped, as
/// nlohmann's lexer does; callers that must refuse one check for it first.
Result<nlohmann::ordered_json> parse_strict_json(std::string_view text, std::size_t max_depth);

}  // namespace leastdata::detail
