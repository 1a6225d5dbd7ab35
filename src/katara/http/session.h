#pragma once
// Internal to http/: the listener's shared state and the per-connection session.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>
#include <unordered_set>

#include "katara/http/listener.h"

namespace katara::http {

class SessionControl {
 public:
  explicit SessionControl(boost::beast::tcp_stream& stream) : stream_(stream) {}
  void setIdle(bool idle) { idle_ = idle; }
  // Drain: an idle keep-alive connection is closed now; a busy one after its response.
  void closeIfIdle();

 private:
  boost::beast::tcp_stream& stream_;
  bool idle_ = true;
};

struct Listener::State {
  State(boost::asio::io_context& io_, Handler& handler_, ListenerConfig config_)
      : io(io_), handler(handler_), config(std::move(config_)), acceptor(io_) {}
  boost::asio::io_context& io;
  Handler& handler;
  ListenerConfig config;
  boost::asio::ip::tcp::acceptor acceptor;
  bool draining = false;
  std::unordered_set<SessionControl*> sessions;
};

boost::asio::awaitable<void> acceptLoop(std::shared_ptr<Listener::State> state);

}  // namespace katara::http
