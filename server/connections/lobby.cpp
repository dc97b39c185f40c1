// See lobby.hpp.
#include "connections/lobby.hpp"

#include "connections/head_parser.hpp"
#include "log.hpp"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace leastdata::server::connections {

namespace {

using std::chrono::milliseconds;

constexpr std::size_t k_read_chunk = 64 * 1024;
constexpr milliseconds k_tick{100};  // how often deadlines are checked

// After refusing a request, what the client still sends is read and dropped for a while
// before closing: closing a socket with unread input makes the kernel send a reset, which
// can destroy the refusal before the client has read it.
constexpr milliseconds k_linger{2000};

// Best effort, never blocking: a refusal is small and the socket's buffer is empty.
void send_now(int fd, std::string_view bytes) {
   [[maybe_unused]] const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
}


}  // namespace

class Lobby::Loop final {
   public:
      Loop(const ConnectionLimits& limits, Dispatch dispatch) : m_limits(limits), m_dispatch(std::move(dispatch)) {
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

      ~Loop() {
         stop();
         ::close(m_wake);
         ::close(m_epoll);
      }
      Loop(const Loop&) = delete;
      Loop& operator=(const Loop&) = delete;

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
            auto refusal = scan_head(c, m_limits);
            if(!refusal && c.head_size != 0) {
               refusal = frame(c, m_limits, m_limits.max_pending_bodies - m_pending);
               if(!refusal) {
                  m_pending += c.reserved;
               }
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
         m_dispatch(std::move(node.mapped()));
      }

      void close(int fd) {
         ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
         auto node = m_waiting.extract(fd);
         release(*node.mapped());
      }  // the connection closes as `node` goes

      const ConnectionLimits& m_limits;
      Dispatch m_dispatch;
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

Lobby::Lobby(const ConnectionLimits& limits, Dispatch dispatch) :
   m_loop(std::make_unique<Loop>(limits, std::move(dispatch))) {}

Lobby::~Lobby() = default;

bool Lobby::stopping() const {
   return m_loop->stopping();
}

void Lobby::admit(int fd) {
   m_loop->admit(fd);
}

void Lobby::readmit(std::unique_ptr<Connection> c) {
   m_loop->readmit(std::move(c));
}

void Lobby::stop() {
   m_loop->stop();
}

}  // namespace leastdata::server::connections
