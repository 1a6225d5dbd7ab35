#include "katara/app/serve.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "katara/app/gateway_handler.h"
#include "katara/app/observability.h"
#include "katara/app/trace_exporter.h"
#include "katara/core/thread_name.h"
#include "katara/http/listener.h"
#include "katara/routing/prober.h"

namespace katara::app {

namespace asio = boost::asio;

namespace {

// io_context::shutdown() is protected; a worker needs it (see ~Worker).
struct WorkerContext : asio::io_context {
  WorkerContext() : asio::io_context(1) {}
  using asio::io_context::shutdown;
};

// One event loop with everything a connection needs, so nothing on the hot path is shared.
struct Worker {
  Worker(const GatewayState& state, http::ClientTlsContext& tls, http::ConnectionCounts& connections,
         telemetry::WorkerMetrics& metrics, http::ListenerConfig listen)
      : pool(io, tls, &connections), handler(state, pool, metrics), listener(io, handler, std::move(listen)) {}
  // After a forced stop, suspended session coroutines still hold upstream exchanges that point
  // into `pool` and `handler`. Shutting the context down destroys those frames now, while pool
  // and handler are alive; io itself is destroyed last.
  ~Worker() { io.shutdown(); }
  WorkerContext io;
  http::UpstreamPool pool;
  GatewayHandler handler;
  http::Listener listener;
  std::thread thread;
  std::atomic<bool> finished{false};
};

// The admin endpoints on a listener of their own (admin.listen), on their own event loop.
struct AdminWorker {
  AdminWorker(http::Handler& handler, http::ListenerConfig listen) : listener(io, handler, std::move(listen)) {}
  ~AdminWorker() { io.shutdown(); }
  WorkerContext io;
  http::Listener listener;
  std::thread thread;
};

// Active probes on their own event loop and pool, off the workers.
struct ProbeWorker {
  ProbeWorker(const routing::RouteTable& routes, http::ClientTlsContext& tls) : pool(io, tls), prober(routes, pool) {}
  ~ProbeWorker() { io.shutdown(); }  // as ~Worker: coroutine frames go before the pool
  WorkerContext io;
  http::UpstreamPool pool;
  routing::Prober prober;
  std::thread thread;
};

http::ListenerConfig listenerConfig(const config::Config& c) {
  http::ListenerConfig l;
  l.host = c.listen_host;
  l.port = c.listen_port;
  l.reuse_port = true;
  l.max_body_bytes = c.limits.max_body_bytes;
  l.max_header_bytes = c.limits.max_header_bytes;
  l.header_timeout = c.limits.header_timeout;
  l.body_timeout = c.limits.body_timeout;
  l.write_timeout = c.limits.write_timeout;
  return l;
}

}  // namespace

int serve(const config::Config& config) {
  const auto t_start = std::chrono::steady_clock::now();
  std::vector<std::string> errors;
  GatewayState state;
  state.routes = routing::RouteTable::build(config, errors);
  state.api_keys = config.api_keys;
  state.started_unix = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch()).count();
  for (const auto& e : errors) spdlog::error("config: {}", e);
  if (!errors.empty()) return 2;
  for (const auto& [name, p] : config.providers) {
    if (!p.enabled) spdlog::warn("provider {} disabled: {}", name, p.disabled_reason);
  }
  if (!state.routes->hasEnabledTarget()) spdlog::warn("no route has an enabled target: /readyz answers 503");

  http::ClientTlsContext tls;  // before the workers: they share it, and it outlives them
  unsigned n = config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency());
  std::string store_error;
  auto seen = Observability::start(config, *state.routes, n, store_error);
  if (!seen) {
    spdlog::error("request log: cannot open {}: {}", config.store.sqlite, store_error);
    return 1;
  }
  state.request_log = seen->log.get();
  state.capture_max_bytes = config.store.capture_bodies ? static_cast<std::size_t>(config.store.capture_max_bytes) : 0;
  state.secrets = config.api_keys;
  if (!config.admin.api_key.empty()) state.secrets.push_back(config.admin.api_key);
  for (const auto& [name, p] : config.providers) {
    if (!p.api_key.empty()) state.secrets.push_back(p.api_key);
  }
  std::unique_ptr<TraceExporter> tracer;
  if (!config.tracing.otlp_endpoint.empty()) {
    std::string why;
    tracer = TraceExporter::create(config.tracing, tls, why);
    if (!tracer) {
      spdlog::error("{}", why);
      return 2;
    }
    tracer->start();
    state.tracer = tracer.get();
    seen->tracer_counters = &tracer->counters();
    spdlog::info("tracing: OTLP/HTTP to {}/v1/traces", config.tracing.otlp_endpoint);
  }
  auto listen = listenerConfig(config);
  std::unique_ptr<AdminWorker> admin_worker;
  if (config.admin.listen_host.empty()) {
    state.admin = seen->admin.get();
  } else {
    auto admin_listen = listen;
    admin_listen.host = config.admin.listen_host;
    admin_listen.port = config.admin.listen_port;
    admin_listen.reuse_port = false;
    admin_worker = std::make_unique<AdminWorker>(*seen->admin, admin_listen);
    if (auto err = admin_worker->listener.open(); !err.empty()) {
      spdlog::error("cannot listen on {}:{} (admin.listen): {}", admin_listen.host, admin_listen.port, err);
      return 1;
    }
  }
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < n; ++i) {
    workers.push_back(std::make_unique<Worker>(state, tls, seen->connections, seen->metrics->worker(i), listen));
    if (auto err = workers.back()->listener.open(); !err.empty()) {
      spdlog::error("cannot listen on {}:{}: {}", config.listen_host, listen.port, err);
      return 1;
    }
    listen.port = workers.back()->listener.port();  // port 0: the others share the one bound
  }
  for (auto& w : workers) {
    w->listener.start();
    w->thread = std::thread([&w = *w] {
      core::nameThisThread("katara-worker");
      w.io.run();
      w.finished = true;
    });
  }
  std::unique_ptr<ProbeWorker> probes;
  if (routing::Prober::wanted(*state.routes)) {
    probes = std::make_unique<ProbeWorker>(*state.routes, tls);
    probes->prober.start(probes->io);
    probes->thread = std::thread([&p = *probes] {
      core::nameThisThread("katara-probes");
      p.io.run();
    });
  }
  if (admin_worker) {
    admin_worker->listener.start();
    admin_worker->thread = std::thread([&a = *admin_worker] {
      core::nameThisThread("katara-admin");
      a.io.run();
    });
    spdlog::info("admin API, /metrics and /ui on http://{}:{}", config.admin.listen_host, admin_worker->listener.port());
  }
  auto startup_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t_start).count();
  spdlog::info("katara {} listening on http://{}:{} ({} workers, {} models, ready in {} us)", KATARA_VERSION,
               config.listen_host, listen.port, n, config.models.size(), startup_us);

  asio::io_context control;
  asio::signal_set signals(control, SIGINT, SIGTERM);
  int signal_number = 0;
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (!ec) signal_number = sig;
  });
  control.run();

  spdlog::info("signal {}: draining (grace {} ms)", signal_number, config.shutdown_grace.count());
  state.draining = true;
  for (auto& w : workers) asio::post(w->io, [&w = *w] { w.listener.drain(); });
  const auto grace_end = std::chrono::steady_clock::now() + config.shutdown_grace;
  auto all_finished = [&] {
    for (auto& w : workers) if (!w->finished) return false;
    return true;
  };
  // A second signal ends the wait at once.
  std::atomic<bool> hurry{false};
  asio::io_context second;
  asio::signal_set again(second, SIGINT, SIGTERM);
  again.async_wait([&](boost::system::error_code ec, int) { if (!ec) hurry = true; });
  std::thread second_thread([&] { second.run(); });
  while (!all_finished() && !hurry && std::chrono::steady_clock::now() < grace_end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!all_finished()) spdlog::warn("grace period over: closing the remaining connections");
  if (probes) {
    probes->io.stop();
    probes->thread.join();
  }
  for (auto& w : workers) w->io.stop();
  for (auto& w : workers) w->thread.join();
  if (admin_worker) {
    admin_worker->io.stop();
    admin_worker->thread.join();
  }
  seen->stop();  // every request's row written before the process ends
  if (tracer) tracer->stop();
  second.stop();
  second_thread.join();
  spdlog::info("stopped");
  return 0;
}

}  // namespace katara::app
