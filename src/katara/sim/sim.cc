#include "katara/sim/sim.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "katara/core/log_escaped.h"
#include "katara/sim/control_handler.h"
#include "katara/sim/provider_handler.h"

namespace katara::sim {

namespace asio = boost::asio;

namespace {

// Outage windows that refuse connections start and end on their own: check them often.
asio::awaitable<void> refusalTicker(SimState& state) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    state.applyRefusals();
    timer.expires_after(std::chrono::milliseconds(50));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
  }
}

}  // namespace

int runSimulator(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << path << ": cannot open file\n";
    return 2;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto parsed = parseSimConfig(ss.str());
  if (!parsed.config) {
    for (const auto& e : parsed.errors) std::cerr << path << ": " << e << "\n";
    return 2;
  }
  asio::io_context io{1};
  SimState state;
  state.initial = state.current = *parsed.config;
  state.rng.seed(parsed.config->seed ? parsed.config->seed : std::random_device{}());

  std::vector<std::unique_ptr<ProviderHandler>> handlers;
  std::vector<std::unique_ptr<http::Listener>> listeners;
  auto open = [&](http::Handler& handler, const std::string& host, std::uint16_t port) -> http::Listener* {
    http::ListenerConfig lc;
    lc.host = host;
    lc.port = port;
    listeners.push_back(std::make_unique<http::Listener>(io, handler, lc));
    if (auto err = listeners.back()->open(); !err.empty()) {
      std::cerr << "sim: " << err << "\n";
      return nullptr;
    }
    listeners.back()->start();
    return listeners.back().get();
  };
  for (std::size_t i = 0; i < state.current.providers.size(); ++i) {
    auto& p = state.current.providers[i];
    handlers.push_back(std::make_unique<ProviderHandler>(state, i));
    auto* l = open(*handlers.back(), p.host, p.port);
    if (!l) return 1;
    p.port = l->port();
    state.initial.providers[i].port = p.port;
    state.listeners.push_back(l);
    state.refusing.push_back(false);
    spdlog::info("sim: provider {} on http://{}:{}/v1 ({} models)", p.name, p.host, p.port, p.models.size());
  }
  ControlHandler control(state);
  auto* cl = open(control, state.current.control_host, state.current.control_port);
  if (!cl) return 1;
  spdlog::info("sim: control API on http://{}:{}/_sim", state.current.control_host, cl->port());

  asio::co_spawn(io, refusalTicker(state), core::logEscapedException("sim: outage ticker stopped"));
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int) {
    spdlog::info("sim: stopping");
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace katara::sim
