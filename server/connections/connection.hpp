// One client connection as the lobby and the workers pass it between them: its socket, the
// bytes received and not yet served, and where it stands in its current request.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include <unistd.h>

namespace leastdata::server::connections {

using SteadyClock = std::chrono::steady_clock;

// Request bytes can hold token values: zeroed before their space is reused or dropped (the
// core's operator delete zeroes what is freed, not what a string keeps as capacity).
inline void wipe(std::string& bytes, std::size_t count) {
   std::fill_n(bytes.begin(), std::min(count, bytes.size()), '\0');
   bytes.erase(0, count);
}

struct Connection {
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

}  // namespace leastdata::server::connections
