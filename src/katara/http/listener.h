#pragma once
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "katara/http/handler.h"

namespace katara::http {

struct ListenerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port
  bool reuse_port = false; // several listeners (one per worker) share the port
  std::size_t max_body_bytes = 32u << 20;
  std::size_t max_header_bytes = 64u << 10;
  std::chrono::milliseconds header_timeout{60000};
  std::chrono::milliseconds body_timeout{120000};
  std::chrono::milliseconds write_timeout{60000};
};

// Accepts HTTP/1.1 connections on one io_context and runs one session coroutine each.
// Not thread-safe: every call happens on the io_context's thread (or before it runs).
class Listener {
 public:
  Listener(boost::asio::io_context& io, Handler& handler, ListenerConfig config);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds and listens; returns an error text, empty on success.
  std::string open();
  std::uint16_t port() const;  // the bound port, after open()

  void start();  // spawns the accept loop
  // Closes the acceptor: new connections are refused by the kernel. Open sessions continue.
  void stopAccepting();
  // Re-binds the same port and accepts again (after stopAccepting).
  std::string resumeAccepting();
  // Graceful drain: stop accepting, close idle keep-alive connections, and let busy ones close
  // after their current response.
  void drain();
  std::size_t openSessions() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace katara::http
