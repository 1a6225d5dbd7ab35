#include "katara/http/listener.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <spdlog/spdlog.h>

#include "katara/core/log_escaped.h"
#include "katara/http/session.h"

namespace katara::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& io, Handler& handler, ListenerConfig config)
    : state_(std::make_shared<State>(io, handler, std::move(config))) {}

Listener::~Listener() {
  boost::system::error_code ec;
  state_->acceptor.close(ec);
}

std::string Listener::open() {
  auto& s = *state_;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(s.config.host, ec);
  if (ec) return "invalid listen address \"" + s.config.host + "\": " + ec.message();
  tcp::endpoint endpoint(address, s.config.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) return "socket: " + ec.message();
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (s.config.reuse_port) {
    int one = 1;
    ::setsockopt(s.acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  }
  s.acceptor.bind(endpoint, ec);
  if (ec) return "bind " + s.config.host + ":" + std::to_string(s.config.port) + ": " + ec.message();
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "listen: " + ec.message();
  s.config.port = s.acceptor.local_endpoint().port();
  return {};
}

std::uint16_t Listener::port() const { return state_->config.port; }

void Listener::start() {
  auto state = state_;
  asio::co_spawn(state->io, acceptLoop(state), core::logEscapedException("accept loop ended"));
}

void Listener::stopAccepting() {
  boost::system::error_code ec;
  state_->acceptor.close(ec);
}

std::string Listener::resumeAccepting() {
  if (state_->acceptor.is_open()) return {};
  auto err = open();
  if (err.empty()) start();
  return err;
}

void Listener::drain() {
  state_->draining = true;
  stopAccepting();
  for (auto* session : state_->sessions) session->closeIfIdle();
}

std::size_t Listener::openSessions() const { return state_->sessions.size(); }

}  // namespace katara::http
