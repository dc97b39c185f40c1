// The lobby (one epoll thread holding connections until a whole request has arrived), the
// workers (which run complete requests through httplib), and the stream httplib reads a
// received request from. Why: connections.hpp.
#include "connections.hpp"

#include "api_error.hpp"
#include "log.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace leastdata::server {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t k_read_chunk = 64 * 1024;
constexpr milliseconds k_tick{100};  // how often deadlines are checked

// After refusing a request, what the client still sends is read and dropped for a while
// before closing: closing a socket with unread input makes the kernel send a reset, which
// can destroy the refusal before the client has read it.
constexpr milliseconds k_linger{2000};

// A request the lobby answers itself; the status is the code's (error_codes.hpp).
struct Refusal {
      ErrorCode code;
      const char* message;

      int status() const { return error_http_status(code); }
};

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

std::string refusal_response(const Refusal& r) {
   const std::string body = ApiError::body(r.code, r.message);
   std::string out = "HTTP/1.1 " + std::to_string(r.status()) + " " + reason_phrase(r.status()) + "\r\n";
   out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
   out += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
   out += body;
   return out;
}

// Best effort, never blocking: a refusal is small and the socket's buffer is empty.
void send_now(int fd, std::string_view bytes) {
   [[maybe_unused]] const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Request bytes can hold token values: zeroed before their space is reused or dropped (the
// core's operator delete zeroes what is freed, not what a string keeps as capacity).
void wipe(std::string& bytes, std::size_t count) {
   std::fill_n(bytes.begin(), std::min(count, bytes.size()), '\0');
   bytes.erase(0, count);
}

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

void address_of(int fd, bool peer, std::string& ip, int& port) {
   sockaddr_storage addr{};
   socklen_t length = sizeof(addr);
   auto* any = reinterpret_cast<sockaddr*>(&addr);
   if((peer ? ::getpeername(fd, any, &length) : ::getsockname(fd, any, &length)) != 0) {
      return;
   }
   char text[INET6_ADDRSTRLEN] = {};
   if(addr.ss_family == AF_INET) {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
      port = ntohs(v4->sin_port);
   } else if(addr.ss_family == AF_INET6) {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
      port = ntohs(v6->sin6_port);
   }
   ip = text;
}

// What httplib parses one request from: the request's bytes, all received already, then
// end of input (so httplib never reads past the request, nor waits for a body that a
// request without Content-Length does not have). Responses go to the socket, waiting for
// a slow reader only until the deadline.
class RequestStream final : public httplib::Stream {
   public:
      RequestStream(int fd, std::string_view request, SteadyClock::time_point write_deadline) :
         m_fd(fd), m_request(request), m_deadline(write_deadline) {}

      bool is_readable() const override { return m_offset < m_request.size(); }

      bool is_writable() const override {
         pollfd p{m_fd, POLLOUT, 0};
         return ::poll(&p, 1, 0) > 0 && (p.revents & POLLOUT) != 0;
      }

      ssize_t read(char* ptr, size_t size) override {
         const std::size_t n = std::min(size, m_request.size() - m_offset);
         std::memcpy(ptr, m_request.data() + m_offset, n);
         m_offset += n;
         return static_cast<ssize_t>(n);
      }

      ssize_t write(const char* ptr, size_t size) override {
         for(;;) {
            const ssize_t n = ::send(m_fd, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
            if(n >= 0) {
               return n;
            }
            if(errno == EINTR) {
               continue;
            }
            if(errno != EAGAIN && errno != EWOULDBLOCK) {
               return -1;
            }
            const auto left = std::chrono::duration_cast<milliseconds>(m_deadline - SteadyClock::now()).count();
            pollfd p{m_fd, POLLOUT, 0};
            if(left <= 0 || (::poll(&p, 1, static_cast<int>(left)) == 0)) {
               return -1;  // the client does not read its response
            }
         }
      }

      void get_remote_ip_and_port(std::string& ip, int& port) const override { address_of(m_fd, true, ip, port); }
      void get_local_ip_and_port(std::string& ip, int& port) const override { address_of(m_fd, false, ip, port); }
      socket_t socket() const override { return m_fd; }

   private:
      int m_fd;
      std::string_view m_request;
      std::size_t m_offset = 0;
      SteadyClock::time_point m_deadline;
};

// httplib hands every accepted socket to a task queue. Handing it on to the lobby is quick
// and never blocks, so it happens right on the accepting thread.
class Admission final : public httplib::TaskQueue {
   public:
      void enqueue(std::function<void()> fn) override { fn(); }
      void shutdown() override {}
};

}  // namespace

// ---- a connection --------------------------------------------------------------------

struct HttpServer::Connection {
      Connection(int socket, std::atomic<std::size_t>& open, SteadyClock::time_point now) :
         fd(socket), since(now), m_open(open) {
         ++m_open;
      }
      ~Connection() {
         ::close(fd);
         --m_open;
      }
      Connection(const Connection&) = delete;
      Connection& operator=(const Connection&) = delete;

      /// Drops the request just served, keeping what already arrived of the next one.
      void next_request(SteadyClock::time_point now) {
         wipe(buffer, request_size);
         scanned = head_size = request_size = 0;
         expects_continue = in_request = false;
         since = now;
      }

      const int fd;
      std::string buffer;             // received, not yet served: the current request first
      std::size_t scanned = 0;        // head bytes already checked line by line
      std::size_t head_size = 0;      // 0 until the blank line ending the head has arrived
      std::size_t request_size = 0;   // head and body, once the head is complete
      std::size_t reserved = 0;       // body bytes counted against max_pending_bodies
      std::size_t dropped = 0;        // input discarded while lingering
      std::size_t served = 0;         // requests answered on this connection
      bool expects_continue = false;  // Expect: 100-continue
      bool in_request = false;        // a byte of the current request has arrived
      bool lingering = false;         // refused: input is dropped until EOF or the deadline
      SteadyClock::time_point since;  // start of the current wait: idle, request or linger

   private:
      std::atomic<std::size_t>& m_open;
};

// ---- the workers -----------------------------------------------------------------------

class HttpServer::Workers final {
   public:
      Workers(HttpServer& server, std::size_t threads) : m_server(server) {
         for(std::size_t i = 0; i < threads; ++i) {
            m_threads.emplace_back([this] { work(); });
         }
      }
      ~Workers() { stop(); }
      Workers(const Workers&) = delete;
      Workers& operator=(const Workers&) = delete;

      void push(std::unique_ptr<Connection> c) {
         {
            const std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(c));
         }
         m_ready.notify_one();
      }

      /// Answers the requests already queued, then joins.
      void stop() {
         {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
         }
         m_ready.notify_all();
         for(auto& t : m_threads) {
            if(t.joinable()) {
               t.join();
            }
         }
      }

   private:
      void work() {
         for(;;) {
            std::unique_ptr<Connection> c;
            {
               std::unique_lock lock(m_mutex);
               m_ready.wait(lock, [&] { return !m_queue.empty() || m_stopping; });
               if(m_queue.empty()) {
                  return;
               }
               c = std::move(m_queue.front());
               m_queue.pop_front();
            }
            m_server.run(std::move(c));
         }
      }

      HttpServer& m_server;
      std::vector<std::thread> m_threads;
      std::deque<std::unique_ptr<Connection>> m_queue;
      std::mutex m_mutex;
      std::condition_variable m_ready;
      bool m_stopping = false;
};

// ---- the lobby -------------------------------------------------------------------------

class HttpServer::Lobby final {
   public:
      Lobby(HttpServer& server, const ConnectionLimits& limits) : m_server(server), m_limits(limits) {
         m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
         m_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
         epoll_event e{};
         e.events = EPOLLIN;
         e.data.fd = m_wake;
         if(m_epoll < 0 || m_wake < 0 || ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &e) != 0) {
            throw std::runtime_error(std::string("cannot create the connection lobby: ") + std::strerror(errno));
         }
         m_thread = std::thread([this] { loop(); });
      }

      ~Lobby() {
         stop();
         ::close(m_wake);
         ::close(m_epoll);
      }
      Lobby(const Lobby&) = delete;
      Lobby& operator=(const Lobby&) = delete;

      bool stopping() const { return m_stopping; }

      /// A new socket (any thread).
      void admit(int fd) {
         {
            const std::lock_guard lock(m_mutex);
            if(!m_stopping) {
               m_arrivals.push_back(fd);
               fd = -1;
            }
         }
         if(fd >= 0) {
            ::close(fd);
            return;
         }
         wake();
      }

      /// A connection whose request was answered, to wait for its next one (any thread).
      void readmit(std::unique_ptr<Connection> c) {
         {
            const std::lock_guard lock(m_mutex);
            if(m_stopping) {
               return;  // closes it
            }
            m_returns.push_back(std::move(c));
         }
         wake();
      }

      /// Closes every waiting connection; from now on, new and returning ones are closed.
      void stop() {
         {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
         }
         wake();
         if(m_thread.joinable()) {
            m_thread.join();
         }
         m_waiting.clear();
         const std::lock_guard lock(m_mutex);
         m_returns.clear();
         for(const int fd : m_arrivals) {
            ::close(fd);
         }
         m_arrivals.clear();
      }

   private:
      void wake() {
         const std::uint64_t one = 1;
         [[maybe_unused]] const ssize_t n = ::write(m_wake, &one, sizeof(one));
      }

      void loop() {
         std::vector<epoll_event> events(256);
         auto next_check = SteadyClock::now() + k_tick;
         while(!m_stopping) {
            const int n = ::epoll_wait(m_epoll, events.data(), static_cast<int>(events.size()),
                                       static_cast<int>(k_tick.count()));
            if(n < 0 && errno != EINTR) {
               log::error("lobby_failed", {{"detail", std::strerror(errno)}});
               return;
            }
            const auto now = SteadyClock::now();
            for(int i = 0; i < n; ++i) {
               if(events[static_cast<std::size_t>(i)].data.fd == m_wake) {
                  take_arrivals(now);
               } else {
                  on_input(events[static_cast<std::size_t>(i)].data.fd, now);
               }
            }
            if(now >= next_check) {
               expire(now);
               next_check = now + k_tick;
            }
         }
      }

      void take_arrivals(SteadyClock::time_point now) {
         std::uint64_t count = 0;
         [[maybe_unused]] const ssize_t r = ::read(m_wake, &count, sizeof(count));
         std::vector<int> arrivals;
         std::vector<std::unique_ptr<Connection>> returns;
         {
            const std::lock_guard lock(m_mutex);
            arrivals.swap(m_arrivals);
            returns.swap(m_returns);
         }
         for(const int fd : arrivals) {
            if(m_open >= m_limits.max_connections && !make_room()) {
               send_now(fd, refusal_response({ErrorCode::overloaded, "too many connections; retry shortly"}));
               ::close(fd);
               continue;
            }
            const int flags = ::fcntl(fd, F_GETFL);
            ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
            // Responses go out in two writes (head, body); Nagle's algorithm would hold the
            // second back until the client's delayed ACK, adding ~40 ms to every request.
            const int on = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
            wait(std::make_unique<Connection>(fd, m_open, now), now);
         }
         for(auto& c : returns) {
            wait(std::move(c), now);
         }
      }

      void wait(std::unique_ptr<Connection> c, SteadyClock::time_point now) {
         const int fd = c->fd;
         epoll_event e{};
         e.events = EPOLLIN | EPOLLRDHUP;
         e.data.fd = fd;
         if(::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &e) != 0) {
            return;  // closes it
         }
         m_waiting[fd] = std::move(c);
         advance(fd, now);  // a returning connection may hold its next request already
      }

      // Full: the connection that has waited longest gives way - an idle kept-alive one, or
      // the slowest sender. False if every connection is being served by a worker.
      bool make_room() {
         auto oldest = m_waiting.end();
         for(auto it = m_waiting.begin(); it != m_waiting.end(); ++it) {
            if(oldest == m_waiting.end() || it->second->since < oldest->second->since) {
               oldest = it;
            }
         }
         if(oldest == m_waiting.end()) {
            return false;
         }
         const Connection& c = *oldest->second;
         if(c.in_request && !c.lingering) {
            send_now(c.fd, refusal_response({ErrorCode::overloaded, "too many connections; retry shortly"}));
         }
         close(c.fd);
         return true;
      }

      void on_input(int fd, SteadyClock::time_point now) {
         const auto it = m_waiting.find(fd);
         if(it == m_waiting.end()) {
            return;
         }
         Connection& c = *it->second;
         for(;;) {
            // Read into scratch space and append what came: a buffer grown by a whole chunk
            // for every slow sender's few bytes would keep that capacity.
            const ssize_t n = ::recv(fd, m_scratch.data(), m_scratch.size(), MSG_DONTWAIT);
            if(n > 0) {
               c.buffer.append(m_scratch.data(), static_cast<std::size_t>(n));
               std::memset(m_scratch.data(), 0, static_cast<std::size_t>(n));  // see wipe()
            }
            if(n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
               // The client is gone, or has half-closed before sending a whole request.
               close(fd);
               return;
            }
            if(n < 0 && errno == EINTR) {
               continue;
            }
            if(!advance(fd, now)) {
               return;  // dispatched or closed
            }
            if(n < 0 || static_cast<std::size_t>(n) < k_read_chunk) {
               return;  // drained for now; epoll reports the next input
            }
         }
      }

      // Moves a connection on after input arrived or it came back from a worker: refuses
      // what it cannot serve, hands a complete request to a worker, or lets it wait.
      // False if it left the lobby.
      bool advance(int fd, SteadyClock::time_point now) {
         Connection& c = *m_waiting.at(fd);
         if(c.lingering) {
            c.dropped += c.buffer.size();
            wipe(c.buffer, c.buffer.size());
            if(c.dropped > 4 * m_limits.max_body) {
               close(fd);
               return false;
            }
            return true;
         }
         if(c.buffer.empty()) {
            return true;
         }
         if(!c.in_request) {
            c.in_request = true;
            c.since = now;
         }
         if(c.head_size == 0) {
            auto refusal = scan_head(c);
            if(!refusal && c.head_size != 0) {
               refusal = frame(c);
            }
            if(refusal) {
               refuse(c, *refusal, now);
               return true;
            }
            if(c.head_size == 0) {
               return true;
            }
            if(c.expects_continue && c.buffer.size() < c.request_size) {
               send_now(fd, "HTTP/1.1 100 Continue\r\n\r\n");
            }
         }
         if(c.buffer.size() < c.request_size) {
            return true;
         }
         dispatch(fd);
         return false;
      }

      // Checks the head line by line as it arrives; sets head_size once the blank line
      // ending it is there (a blank first line too: httplib then answers 400).
      std::optional<Refusal> scan_head(Connection& c) const {
         for(;;) {
            const std::size_t end = c.buffer.find('\n', c.scanned);
            const std::size_t line = (end == std::string::npos ? c.buffer.size() : end + 1) - c.scanned;
            if(line > m_limits.max_line) {
               return c.scanned == 0 ? Refusal{ErrorCode::uri_too_long, "the request line is too long"}
                                     : Refusal{ErrorCode::headers_too_large, "a header line is too long"};
            }
            if(end == std::string::npos) {
               break;
            }
            const bool blank = line == 1 || (line == 2 && c.buffer[c.scanned] == '\r');
            c.scanned = end + 1;
            if(c.scanned > m_limits.max_head) {
               break;
            }
            if(blank) {
               c.head_size = c.scanned;
               return std::nullopt;
            }
         }
         if(c.buffer.size() > m_limits.max_head) {
            return Refusal{ErrorCode::headers_too_large, "the request head is too large"};
         }
         return std::nullopt;
      }

      // Reads the body's framing from the head, refusing what httplib would mishandle: a
      // chunked body (read without a size limit), a compressed one (inflated without a
      // limit), an ambiguous or oversized Content-Length. No Content-Length: no body.
      std::optional<Refusal> frame(Connection& c) {
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
         if(body > m_limits.max_body) {
            return Refusal{ErrorCode::payload_too_large, "the request body is too large"};
         }
         if(body > m_limits.max_pending_bodies - m_pending) {
            return Refusal{ErrorCode::overloaded, "too many request bodies in transit; retry shortly"};
         }
         c.reserved = static_cast<std::size_t>(body);
         m_pending += c.reserved;
         c.request_size = c.head_size + c.reserved;
         c.buffer.reserve(c.request_size);
         return std::nullopt;
      }

      void refuse(Connection& c, const Refusal& r, SteadyClock::time_point now) {
         log::info("request_refused", {{"status", r.status()}, {"code", error_code_name(r.code)}});
         send_now(c.fd, refusal_response(r));
         ::shutdown(c.fd, SHUT_WR);
         release(c);
         c.lingering = true;
         c.since = now;
         c.dropped = c.buffer.size();
         wipe(c.buffer, c.buffer.size());
         c.buffer.shrink_to_fit();
      }

      void expire(SteadyClock::time_point now) {
         std::vector<int> expired;
         for(const auto& [fd, c] : m_waiting) {
            const auto limit = c->lingering    ? k_linger
                               : c->in_request ? m_limits.request_timeout
                                               : m_limits.idle_timeout;
            if(now - c->since >= limit) {
               expired.push_back(fd);
            }
         }
         for(const int fd : expired) {
            Connection& c = *m_waiting.at(fd);
            if(c.in_request && !c.lingering) {
               const Refusal late{ErrorCode::request_timeout, "the request did not arrive in time"};
               log::info("request_refused", {{"status", late.status()}, {"code", error_code_name(late.code)}});
               send_now(fd, refusal_response(late));
            }
            close(fd);
         }
      }

      void release(Connection& c) {
         m_pending -= c.reserved;
         c.reserved = 0;
      }

      void dispatch(int fd) {
         ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
         auto node = m_waiting.extract(fd);
         release(*node.mapped());
         m_server.m_workers->push(std::move(node.mapped()));
      }

      void close(int fd) {
         ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
         auto node = m_waiting.extract(fd);
         release(*node.mapped());
      }  // the connection closes as `node` goes

      HttpServer& m_server;
      const ConnectionLimits& m_limits;
      int m_epoll = -1;
      int m_wake = -1;
      std::thread m_thread;
      std::atomic<bool> m_stopping = false;
      std::mutex m_mutex;                                        // guards the two lists below
      std::vector<int> m_arrivals;                               // accepted, not yet in the lobby
      std::vector<std::unique_ptr<Connection>> m_returns;        // back from workers
      std::unordered_map<int, std::unique_ptr<Connection>> m_waiting;  // lobby thread only
      std::atomic<std::size_t> m_open = 0;                       // connections anywhere
      std::size_t m_pending = 0;                                 // reserved body bytes, lobby thread only
      std::vector<char> m_scratch = std::vector<char>(k_read_chunk);  // lobby thread only
};

// ---- the server ------------------------------------------------------------------------

HttpServer::HttpServer(ConnectionLimits limits, std::size_t threads) : m_limits(limits) {
   new_task_queue = [] { return new Admission; };
   // For the Keep-Alive header httplib writes; the lobby enforces both.
   set_keep_alive_timeout(std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(m_limits.idle_timeout).count()));
   set_keep_alive_max_count(m_limits.max_requests);
   set_payload_max_length(m_limits.max_body);
   m_workers = std::make_unique<Workers>(*this, threads == 0 ? 1 : threads);
   m_lobby = std::make_unique<Lobby>(*this, m_limits);
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

void HttpServer::run(std::unique_ptr<Connection> c) {
   const std::string_view request = std::string_view(c->buffer).substr(0, c->request_size);
   RequestStream stream(c->fd, request, SteadyClock::now() + m_limits.write_timeout);
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
   c->next_request(SteadyClock::now());
   m_lobby->readmit(std::move(c));
}

}  // namespace leastdata::server
