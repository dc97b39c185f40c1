// Whether the numbers of a JSON text survive being stored: settings keep numbers as 64-bit
// integers or IEEE-754 doubles, so 123456789012345678901234567890 would come back as
// 1.2345678901234568e+29; such a document is refused rather than changed (422 inexact_number).
#pragma once

#include <string_view>

namespace leastdata::server {

/// Whether every number in the JSON text `text` (already validated) keeps its exact decimal
/// value through the parse and print a stored document goes through.
bool numbers_exact(std::string_view text);

}  // namespace leastdata::server
