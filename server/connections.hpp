// How `serve` holds its connections, on top of cpp-httplib 0.11 (Debian's build).
//
// httplib alone gives every connection a worker thread for its whole life: reading the
// head, reading the body, waiting for the next request of a kept-alive connection. So a
// few dozen idle clients starve everyone else (measured before this file existed: 30 idle
// sockets held a /healthz back for 15 s with 8 threads), a head trickled in a byte at a
// time holds a worker for hours, and httplib reads bodies without Content-Length until the
// client closes, and chunked or compressed bodies without any size limit.
//
// Here a connection waits in the lobby - one epoll thread, no worker - until one whole
// request (head and Content-Length body) has arrived within the limits below. Only then
// does a worker run it through httplib's parser and the API; the connection then returns
// to the lobby to wait for its next request. The lobby answers what it refuses itself, in
// the API's JSON error format (docs/endpoint.md, "Faults and abuse").
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace leastdata::server {

namespace connections {
struct Connection;
class Lobby;
class WorkerPool;
}  // namespace connections

struct ConnectionLimits {
      std::size_t max_connections = 4096;  // open at once; when full, the longest-waiting one gives way
      std::size_t max_line = 8 * 1024;     // one line of a request head, CRLF included (414 / 431)
      std::size_t max_head = 16 * 1024;    // request line and headers (431)
      std::size_t max_body = 1024 * 1024;  // Content-Length (413)
      std::size_t max_pending_bodies = 64 * 1024 * 1024;  // body bytes held in the lobby at once (503)
      std::chrono::milliseconds idle_timeout{5000};       // waiting for a request: then closed silently
      std::chrono::milliseconds request_timeout{10000};   // a request's first byte to its last (408)
      std::chrono::milliseconds write_timeout{10000};     // writing one response
      std::size_t max_requests = 100;  // per connection; the last response says Connection: close
};

class HttpServer final : public httplib::Server {
   public:
      HttpServer(ConnectionLimits limits, std::size_t threads);
      ~HttpServer() override;
      HttpServer(const HttpServer&) = delete;
      HttpServer& operator=(const HttpServer&) = delete;

      /// Binds HOST:PORT (port 0: any free port) with a full-size accept backlog; returns
      /// the port, or -1.
      int bind(const std::string& host, int port);

      /// Serves until stop(); then answers the requests already received in full and
      /// closes every connection. False if accepting failed.
      bool serve();

   private:

      bool process_and_close_socket(socket_t sock) override;  // hands the socket to the lobby
      void run(std::unique_ptr<connections::Connection> connection);  // one request, on a worker

      ConnectionLimits m_limits;
      std::unique_ptr<connections::Lobby> m_lobby;
      std::unique_ptr<connections::WorkerPool> m_workers;
};

}  // namespace leastdata::server
