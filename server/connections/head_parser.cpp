// See head_parser.hpp.
#include "connections/head_parser.hpp"

#include "api_error.hpp"

#include <charconv>
#include <cstdint>
#include <string_view>

namespace leastdata::server::connections {

namespace {

bool iequals(std::string_view a, std::string_view b) {
   return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
          });
}

std::string_view trim(std::string_view s) {
   while(!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
      s.remove_prefix(1);
   }
   while(!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
      s.remove_suffix(1);
   }
   return s;
}

const char* reason_phrase(int status) {
   switch(status) {
      case 400:
         return "Bad Request";
      case 408:
         return "Request Timeout";
      case 411:
         return "Length Required";
      case 413:
         return "Payload Too Large";
      case 414:
         return "URI Too Long";
      case 415:
         return "Unsupported Media Type";
      case 431:
         return "Request Header Fields Too Large";
      default:
         return "Service Unavailable";
   }
}

}  // namespace

std::string refusal_response(const Refusal& r) {
   const std::string body = ApiError::body(r.code, r.message);
   std::string out = "HTTP/1.1 " + std::to_string(r.status()) + " " + reason_phrase(r.status()) + "\r\n";
   out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
   out += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
   out += body;
   return out;
}

std::optional<Refusal> scan_head(Connection& c, const ConnectionLimits& limits) {
   for(;;) {
      const std::size_t end = c.buffer.find('\n', c.scanned);
      const std::size_t line = (end == std::string::npos ? c.buffer.size() : end + 1) - c.scanned;
      if(line > limits.max_line) {
         return c.scanned == 0 ? Refusal{ErrorCode::uri_too_long, "the request line is too long"}
                               : Refusal{ErrorCode::headers_too_large, "a header line is too long"};
      }
      if(end == std::string::npos) {
         break;
      }
      const bool blank = line == 1 || (line == 2 && c.buffer[c.scanned] == '\r');
      c.scanned = end + 1;
      if(c.scanned > limits.max_head) {
         break;
      }
      if(blank) {
         c.head_size = c.scanned;
         return std::nullopt;
      }
   }
   if(c.buffer.size() > limits.max_head) {
      return Refusal{ErrorCode::headers_too_large, "the request head is too large"};
   }
   return std::nullopt;
}

// Refused: what httplib would mishandle, a
// chunked body (read without a size limit), a compressed one (inflated without a
// limit), an ambiguous or oversized Content-Length. No Content-Length: no body.
std::optional<Refusal> frame(Connection& c, const ConnectionLimits& limits, std::size_t room) {
   const std::string_view head(c.buffer.data(), c.head_size);
   std::optional<std::uint64_t> length;
   for(std::size_t at = head.find('\n') + 1; at < head.size();) {
      const std::size_t end = head.find('\n', at);
      std::string_view line = head.substr(at, end - at);
      at = end + 1;
      if(!line.empty() && line.back() == '\r') {
         line.remove_suffix(1);
      }
      const std::size_t colon = line.find(':');
      if(colon == std::string_view::npos) {
         continue;  // not a header; httplib's parser decides
      }
      const std::string_view name = line.substr(0, colon);
      const std::string_view value = trim(line.substr(colon + 1));
      if(iequals(name, "content-length")) {
         std::uint64_t n = 0;
         const auto [rest, error] = std::from_chars(value.data(), value.data() + value.size(), n);
         if(length || value.empty() || error != std::errc() || rest != value.data() + value.size()) {
            return Refusal{ErrorCode::invalid_request, "Content-Length must be given once, as a decimal number"};
         }
         length = n;
      } else if(iequals(name, "transfer-encoding")) {
         return Refusal{ErrorCode::length_required, "send the body with a Content-Length, without Transfer-Encoding"};
      } else if(iequals(name, "content-encoding") && !iequals(value, "identity")) {
         return Refusal{ErrorCode::unsupported_media_type, "request bodies must not be compressed"};
      } else if(iequals(name, "expect") && iequals(value, "100-continue")) {
         c.expects_continue = true;
      }
   }
   const std::uint64_t body = length.value_or(0);
   if(body > limits.max_body) {
      return Refusal{ErrorCode::payload_too_large, "the request body is too large"};
   }
   if(body > room) {
      return Refusal{ErrorCode::overloaded, "too many request bodies in transit; retry shortly"};
   }
   c.reserved = static_cast<std::size_t>(body);
   c.request_size = c.head_size + c.reserved;
   c.buffer.reserve(c.request_size);
   return std::nullopt;
}

}  // namespace leastdata::server::connections
