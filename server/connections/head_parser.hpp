// Reading a request head as it arrives, in the lobby: line and head limits, and the body's
// framing (Content-Length only). What it refuses, the lobby answers itself (Refusal), in the
// API's JSON error format with the status of the code (error_codes.hpp).
#pragma once

#include "connections.hpp"
#include "connections/connection.hpp"

#include "leastdata/error.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace leastdata::server::connections {

struct Refusal {
      ErrorCode code;
      const char* message;

      int status() const { return error_http_status(code); }
};

/// The whole HTTP response refusing a request (it closes the connection).
std::string refusal_response(const Refusal& r);

/// Checks the head line by line as it arrives; sets `c.head_size` once the blank line ending
/// it is there (a blank first line too: httplib then answers 400).
std::optional<Refusal> scan_head(Connection& c, const ConnectionLimits& limits);

/// Reads the body's framing from a complete head and sets `c.reserved` and `c.request_size`;
/// `room` is how many body bytes the lobby may still hold.
std::optional<Refusal> frame(Connection& c, const ConnectionLimits& limits, std::size_t room);

}  // namespace leastdata::server::connections
