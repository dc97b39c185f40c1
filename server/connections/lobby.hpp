// The lobby: one epoll thread holding every connection that is not being answered, until one
// whole request (head and Content-Length body) has arrived within the limits; then it hands
// the connection to the workers. It answers what it refuses itself (head_parser.hpp), and
// closes idle, slow and surplus connections. Why: connections.hpp.
#pragma once

#include "connections.hpp"
#include "connections/connection.hpp"

#include <functional>
#include <memory>

namespace leastdata::server::connections {

class Lobby final {
   public:
      /// `dispatch` takes a connection whose whole request has arrived (on the lobby's thread).
      using Dispatch = std::function<void(std::unique_ptr<Connection>)>;

      Lobby(const ConnectionLimits& limits, Dispatch dispatch);
      ~Lobby();
      Lobby(const Lobby&) = delete;
      Lobby& operator=(const Lobby&) = delete;

      bool stopping() const;
      /// A new socket (any thread).
      void admit(int fd);
      /// A connection whose request was answered, to wait for its next one (any thread).
      void readmit(std::unique_ptr<Connection> c);
      /// Closes every waiting connection; from now on, new and returning ones are closed.
      void stop();

   private:
      class Loop;
      std::unique_ptr<Loop> m_loop;
};

}  // namespace leastdata::server::connections
