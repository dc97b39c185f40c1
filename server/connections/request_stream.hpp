// What httplib parses one request from: the request's bytes, all received already, then end
// of input (so httplib never reads past the request, nor waits for a body that a request
// without Content-Length does not have). Responses go to the socket, waiting for a slow
// reader only until the deadline.
#pragma once

#include "connections/connection.hpp"

#include <httplib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

namespace leastdata::server::connections {

inline void address_of(int fd, bool peer, std::string& ip, int& port) {
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
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_deadline - SteadyClock::now()).count();
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


}  // namespace leastdata::server::connections
