// Fuzz target: the endpoint's request handling (server/http.cpp, DESIGN §7, docs/endpoint.md),
// whole requests through the real routes and handlers, in process: cpp-httplib's request
// parser reads them from memory (no socket), as cpp-httplib's own fuzzer does.
//
// Input: an HTTP-like request without the framing the target adds:
//
//     PUT /v1/settings/app          request line: method and target
//     If-Match: "1"                 optional header lines (X-Fuzz-Role: agent | none
//                                   picks the caller; admin by default)
//                                   blank line
//     {"settings":{"a":1}}          the body
//
// Without a blank line, everything after the request line is the body. The target adds
// Host, a valid Bearer token of the tenant "fuzz", Content-Type: application/json (unless
// given) and Content-Length. Invariants:
// - every answer has a documented status (never 5xx: no input may make a handler fail) and,
//   unless 204, a JSON object body with Content-Type application/json;
// - errors are {"error":{"code","message"}} with a documented code;
// - an accepted job holds only positive integer ids (or digit strings) and a valid cursor;
//   accepted settings are the settings sent;
// - an accepted deletion returns a certificate that verifies with the endpoint's keys.
// The database is recreated every 500 runs and after a deletion, so it stays small.
#include "endpoint_fixture.hpp"

#include "auth.hpp"
#include "certificates.hpp"
#include "http.hpp"
#include "keys.hpp"

#include <leastdata/certificate.hpp>
#include <leastdata/error.hpp>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <set>

namespace {

using namespace leastdata;
using namespace leastdata::server;
using leastdata::fuzz::check;
using leastdata::fuzz::EndpointFixture;
using nlohmann::json;

// Reads the request from memory and collects the response.
class MemoryStream final : public httplib::Stream {
   public:
      explicit MemoryStream(std::string_view request) : m_request(request) {}

      bool is_readable() const override { return true; }
      bool is_writable() const override { return true; }
      ssize_t read(char* ptr, std::size_t size) override {
         const std::size_t n = std::min(size, m_request.size() - m_read);
         std::memcpy(ptr, m_request.data() + m_read, n);
         m_read += n;
         return static_cast<ssize_t>(n);
      }
      ssize_t write(const char* ptr, std::size_t size) override {
         m_response.append(ptr, size);
         return static_cast<ssize_t>(size);
      }
      void get_remote_ip_and_port(std::string& ip, int& port) const override {
         ip = "127.0.0.1";
         port = 40000;
      }
      void get_local_ip_and_port(std::string& ip, int& port) const override {
         ip = "127.0.0.1";
         port = 8080;
      }
      socket_t socket() const override { return 0; }

      const std::string& response() const { return m_response; }

   private:
      std::string_view m_request;
      std::size_t m_read = 0;
      std::string m_response;
};

class InMemoryServer final : public httplib::Server {
   public:
      std::string answer(std::string_view request) {
         MemoryStream stream(request);
         bool closed = false;
         process_request(stream, true, closed, nullptr);
         return stream.response();
      }
};

// The endpoint: rebuilt around a fresh database when the store is reset.
struct Endpoint {
      explicit Endpoint(EndpointFixture& fixture, const SigningIdentity& signing) :
         auth(fixture.store(), fixture.keyring(), fixture.clock(), std::string(EndpointFixture::k_audience), nullptr),
         issuer(fixture.store(), fixture.keyring(), signing, fixture.clock(), "leastdata fuzz endpoint", "eu-central-1"),
         api(fixture.store(), fixture.clock(), auth, issuer, nullptr, config()) {
         api.install(server);
      }

      static HttpConfig config() {
         HttpConfig c;
         c.rate_limit_per_minute = 0;  // off: every run must reach the handlers
         c.auth_failures_per_minute = 0;
         return c;
      }

      Authenticator auth;
      CertificateIssuer issuer;
      Api api;
      InMemoryServer server;
};

struct State {
      EndpointFixture fixture;
      SigningIdentity signing = keys::load_signing_key(fixture.keys_dir());
      std::unique_ptr<Endpoint> endpoint = std::make_unique<Endpoint>(fixture, signing);
      std::size_t runs = 0;
      std::string admin_token = token("admin");
      std::string agent_token = token("agent");

      static std::string token(std::string_view role) {
         return EndpointFixture::hs256(R"({"alg":"HS256","typ":"JWT"})",
                                       R"({"iss":"fuzz.zendesk.com","aud":"leastdata","sub":"1234567",)"
                                       R"("iat":1735689600,"exp":1735693200,"email":"agent@example.com","role":")" +
                                          std::string(role) + "\"}");
      }

      void reset() {
         endpoint.reset();
         fixture.reset_store();
         endpoint = std::make_unique<Endpoint>(fixture, signing);
      }
};

State& state() {
   static State s;  // destroyed at exit, which removes the fixture's temporary directory
   return s;
}

const std::set<int> k_statuses = {200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422};
// The codes these requests may meet, from the core's table (error_codes.hpp): a code that is
// not in the table does not compile, and each must come with the table's status.
const std::set<leastdata::ErrorCode> k_codes = {
   leastdata::ErrorCode::invalid_request,
   leastdata::ErrorCode::invalid_json,
   leastdata::ErrorCode::personal_data,
   leastdata::ErrorCode::invalid_stats,
   leastdata::ErrorCode::not_found,
   leastdata::ErrorCode::unauthorized,
   leastdata::ErrorCode::invalid_token,
   leastdata::ErrorCode::forbidden,
   leastdata::ErrorCode::method_not_allowed,
   leastdata::ErrorCode::unsupported_media_type,
   leastdata::ErrorCode::payload_too_large,
   leastdata::ErrorCode::size_limit,
   leastdata::ErrorCode::version_conflict,
   leastdata::ErrorCode::job_stopped,
   leastdata::ErrorCode::confirmation_mismatch,
   leastdata::ErrorCode::tenant_inactive,
   leastdata::ErrorCode::inexact_number,
   leastdata::ErrorCode::quota_exceeded,
};

struct Request {
      std::string method;
      std::string target;
      std::vector<std::string> headers;
      std::string role = "admin";
      std::string body;
};

bool printable(std::string_view s) {
   return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

// Splits the input into a request; nothing if its head cannot be sent as HTTP/1.1.
std::optional<Request> parse_input(std::string_view input) {
   Request r;
   const std::size_t blank = input.find("\n\n");
   const std::size_t line_end = input.find('\n');
   std::string_view head = input.substr(0, blank != std::string_view::npos ? blank : line_end);
   r.body = line_end == std::string_view::npos ? ""
            : blank != std::string_view::npos  ? std::string(input.substr(blank + 2))
                                               : std::string(input.substr(line_end + 1));
   const std::string_view request_line = head.substr(0, head.find('\n'));
   const std::size_t space = request_line.find(' ');
   if(space == std::string_view::npos) {
      return std::nullopt;
   }
   r.method = std::string(request_line.substr(0, space));
   r.target = std::string(request_line.substr(space + 1));
   if(r.method.empty() || r.method.size() > 16 ||
      !std::all_of(r.method.begin(), r.method.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) ||
      r.target.empty() || r.target.size() > 1024 || !printable(r.target) || r.target.find(' ') != std::string::npos) {
      return std::nullopt;
   }
   head.remove_prefix(request_line.size());
   while(!head.empty()) {
      head.remove_prefix(1);  // the '\n'
      const std::string_view line = head.substr(0, head.find('\n'));
      head.remove_prefix(line.size());
      const std::size_t colon = line.find(':');
      if(colon == 0 || colon == std::string_view::npos || !printable(line)) {
         return std::nullopt;
      }
      std::string name(line.substr(0, colon));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      const std::string_view value = line.substr(colon + 1);
      if(name == "x-fuzz-role") {
         r.role = std::string(value.substr(value.find_first_not_of(' ') == std::string_view::npos
                                                ? value.size()
                                                : value.find_first_not_of(' ')));
      } else if(name == "host" || name == "authorization" || name == "content-length" ||
                name == "transfer-encoding" || name == "connection" || name == "expect" ||
                name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) {
         return std::nullopt;  // framing and identity belong to the target
      } else {
         r.headers.emplace_back(line);
      }
   }
   return r;
}

std::string http_request(const Request& r, const State& s) {
   std::string text = r.method + " " + r.target + " HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n";
   if(r.role == "admin" || r.role == "agent") {
      text += "Authorization: Bearer " + (r.role == "admin" ? s.admin_token : s.agent_token) + "\r\n";
   }
   bool has_type = false;
   for(const std::string& h : r.headers) {
      has_type = has_type || (h.size() >= 13 && strncasecmp(h.c_str(), "content-type:", 13) == 0);
      text += h + "\r\n";
   }
   if(!has_type) {
      text += "Content-Type: application/json\r\n";
   }
   text += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
   return text;
}

struct Response {
      int status = 0;
      std::string content_type;
      std::string body;
};

Response parse_response(const std::string& raw) {
   Response r;
   check(raw.rfind("HTTP/1.1 ", 0) == 0 && raw.size() >= 12, "the server answers with an HTTP/1.1 status line",
         std::string_view(raw).substr(0, 64));
   r.status = std::stoi(raw.substr(9, 3));
   const std::size_t end = raw.find("\r\n\r\n");
   check(end != std::string::npos, "the response head ends with a blank line");
   const std::string head = raw.substr(0, end);
   r.body = raw.substr(end + 4);
   for(std::size_t at = head.find("\r\n"); at != std::string::npos; at = head.find("\r\n", at + 2)) {
      const std::string line = head.substr(at + 2, head.find("\r\n", at + 2) - at - 2);
      if(line.size() > 13 && strncasecmp(line.c_str(), "content-type:", 13) == 0) {
         r.content_type = line.substr(line.find_first_not_of(' ', 13));
      }
   }
   return r;
}

bool is_id(const json& v) {
   if(v.is_number_unsigned()) {
      return v.get<std::uint64_t>() >= 1 && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX);
   }
   if(v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      return !s.empty() && s.size() <= 19 && s[0] != '0' && s.find_first_not_of("0123456789") == std::string::npos &&
             (s.size() < 19 || s <= "9223372036854775807");
   }
   return false;
}

void check_job(const json& job) {
   check(job.is_object() && job.contains("ids") && job["ids"].is_object(), "a job answer holds its ids", [&] { return job.dump(); });
   for(const auto& [kind, ids] : job["ids"].items()) {
      check(kind == "ticket" || kind == "user" || kind == "organization", "a job holds only ticket/user/organization ids");
      check(ids.is_array() && std::all_of(ids.begin(), ids.end(), is_id), "a job holds only positive integer ids",
            [&] { return job.dump(); });
   }
   const json& cursor = job["cursor"];
   check(cursor.is_null() || (cursor.is_string() && cursor.get<std::string>().size() <= 256 &&
                              cursor.get<std::string>().find_first_not_of(
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=.:") ==
                                 std::string::npos),
         "a job's cursor is opaque [A-Za-z0-9_-=.:]{0,256}", [&] { return cursor.dump(); });
}

void check_answer(State& s, const Request& request, const Response& response) {
   check(k_statuses.count(response.status) == 1, "the status is one the endpoint documents",
         [&] { return std::to_string(response.status) + " " + response.body; });
   if(response.status == 204 || request.method == "HEAD") {
      check(response.body.empty(), "204 and HEAD answers have no body");
      return;
   }
   check(response.content_type.rfind("application/json", 0) == 0, "answers are application/json",
         response.content_type);
   const json body = json::parse(response.body, nullptr, false);
   check(!body.is_discarded() && body.is_object(), "the answer is a JSON object", response.body);
   if(response.status >= 400) {
      const json& error = body.contains("error") ? body["error"] : json();
      check(body.size() == 1 && error.is_object() && error.size() == 2 && error.value("code", json()).is_string() &&
               error.value("message", json()).is_string(),
            "an error is {\"error\":{\"code\",\"message\"}}", response.body);
      const auto code = leastdata::error_code_from_name(error["code"].get<std::string>());
      check(code && k_codes.count(*code) == 1, "the error code is documented", response.body);
      check(leastdata::error_http_status(*code) == response.status, "the status is the code's (error_codes.hpp)",
            response.body);
      return;
   }

   const std::string path = request.target.substr(0, request.target.find('?'));
   if((request.method == "POST" && path == "/v1/jobs") || (request.method == "PATCH" && path.rfind("/v1/jobs/", 0) == 0)) {
      check_job(body);
   }
   if(request.method == "PUT" && path.rfind("/v1/settings/", 0) == 0) {
      const json sent = json::parse(request.body, nullptr, false);
      check(!sent.is_discarded() && body.value("settings", json()) == sent.value("settings", json()),
            "accepted settings are the settings sent", response.body);
   }
   if(request.method == "POST" && path == "/v1/deletion") {
      const auto verified = certificate::verify(response.body, s.endpoint->issuer.jwks());
      check(verified.ok() && verified.value().subdomain == EndpointFixture::k_subdomain,
            "a deletion returns a certificate that verifies", response.body);
      s.runs = 0;
      s.reset();  // the tenant is gone: start again with a fresh one
   }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
   state();
   return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
   const auto request = parse_input(leastdata::fuzz::as_text(data, size));
   if(!request) {
      return -1;  // not a request this target can frame: keep it out of the corpus
   }
   State& s = state();
   if(++s.runs % 500 == 0) {
      s.reset();
   }
   const Response response = parse_response(s.endpoint->server.answer(http_request(*request, s)));
   check_answer(s, *request, response);
   return 0;
}
