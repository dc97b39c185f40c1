// The workers: a fixed number of threads that each take a connection whose whole request has
// arrived, answer it, and hand it back; they never wait on a client's input (the lobby does).
#pragma once

#include "connections/connection.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace leastdata::server::connections {

class WorkerPool final {
   public:
      using Run = std::function<void(std::unique_ptr<Connection>)>;

      /// `run` answers one connection's request (on a worker thread).
      WorkerPool(std::size_t threads, Run run) : m_run(std::move(run)) {
         for(std::size_t i = 0; i < threads; ++i) {
            m_threads.emplace_back([this] { work(); });
         }
      }
      ~WorkerPool() { stop(); }
      WorkerPool(const WorkerPool&) = delete;
      WorkerPool& operator=(const WorkerPool&) = delete;

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
            m_run(std::move(c));
         }
      }

      Run m_run;
      std::vector<std::thread> m_threads;
      std::deque<std::unique_ptr<Connection>> m_queue;
      std::mutex m_mutex;
      std::condition_variable m_ready;
      bool m_stopping = false;
};

}  // namespace leastdata::server::connections
