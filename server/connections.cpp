// The server: httplib's listener, with every accepted socket handed to the lobby and every
// complete request answered by a worker through httplib's parser (connections.hpp says why;
// the parts are in connections/).
#include "connections.hpp"

#include "connections/lobby.hpp"
#include "connections/request_stream.hpp"
#include "connections/worker_pool.hpp"
#include "log.hpp"

#include <algorithm>

#include <sys/socket.h>

namespace leastdata::server {

namespace {

// httplib hands every accepted socket to a task queue. Handing it on to the lobby is quick
// and never blocks, so it happens right on the accepting thread.
class Admission final : public httplib::TaskQueue {
   public:
      void enqueue(std::function<void()> fn) override { fn(); }
      void shutdown() override {}
};


}  // namespace

// ---- the server ------------------------------------------------------------------------

HttpServer::HttpServer(ConnectionLimits limits, std::size_t threads) : m_limits(limits) {
   new_task_queue = [] { return new Admission; };
   // For the Keep-Alive header httplib writes; the lobby enforces both.
   set_keep_alive_timeout(std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(m_limits.idle_timeout).count()));
   set_keep_alive_max_count(m_limits.max_requests);
   set_payload_max_length(m_limits.max_body);
   m_workers = std::make_unique<connections::WorkerPool>(threads == 0 ? 1 : threads,
                                                         [this](std::unique_ptr<connections::Connection> c) { run(std::move(c)); });
   m_lobby = std::make_unique<connections::Lobby>(m_limits, [this](std::unique_ptr<connections::Connection> c) {
      m_workers->push(std::move(c));
   });
}

HttpServer::~HttpServer() {
   m_lobby->stop();
   m_workers->stop();
}

int HttpServer::bind(const std::string& host, int port) {
   int bound = port;
   if(port == 0) {
      bound = bind_to_any_port(host);
   } else if(!bind_to_port(host, port)) {
      bound = -1;
   }
   if(bound >= 0) {
      // Debian's httplib listens with a backlog of 5 (a compile-time constant): in a burst
      // of connections the kernel would drop SYNs, and clients retry only a second later.
      ::listen(svr_sock_, SOMAXCONN);
   }
   return bound;
}

bool HttpServer::serve() {
   const bool ok = listen_after_bind();
   m_lobby->stop();
   m_workers->stop();
   return ok;
}

bool HttpServer::process_and_close_socket(socket_t sock) {
   m_lobby->admit(sock);
   return true;
}

void HttpServer::run(std::unique_ptr<connections::Connection> c) {
   const std::string_view request = std::string_view(c->buffer).substr(0, c->request_size);
   connections::RequestStream stream(c->fd, request, connections::SteadyClock::now() + m_limits.write_timeout);
   const bool last = c->served + 1 >= m_limits.max_requests || m_lobby->stopping();
   bool client_closes = false;
   bool answered = false;
   try {
      answered = process_request(stream, last, client_closes, nullptr);
   } catch(const std::exception& e) {
      log::error("connection_error", {{"detail", e.what()}});
   }
   if(!answered || client_closes || last) {
      return;  // closes it
   }
   ++c->served;
   c->next_request(connections::SteadyClock::now());
   m_lobby->readmit(std::move(c));
}

}  // namespace leastdata::server
