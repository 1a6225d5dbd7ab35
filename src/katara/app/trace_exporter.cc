#include "katara/app/trace_exporter.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <vector>

#include "katara/core/thread_name.h"

namespace katara::app {

namespace asio = boost::asio;

namespace {
constexpr auto kFlushEvery = std::chrono::milliseconds(500);
constexpr auto kStopWait = std::chrono::seconds(2);
}  // namespace

// io_context::shutdown() is protected; the exporter needs it to end its coroutine before the pool.
struct TraceExporter::Context : asio::io_context {
  Context() : asio::io_context(1) {}
  using asio::io_context::shutdown;
};

std::unique_ptr<TraceExporter> TraceExporter::create(const config::TracingConfig& config, http::ClientTlsContext& tls,
                                                     std::string& error) {
  auto endpoint = http::parseEndpoint(config.otlp_endpoint);
  if (!endpoint) {
    error = "tracing.otlp_endpoint: cannot parse \"" + config.otlp_endpoint + "\"";
    return nullptr;
  }
  return std::unique_ptr<TraceExporter>(new TraceExporter(*endpoint, config.service_name, tls));
}

TraceExporter::TraceExporter(http::Endpoint endpoint, std::string service, http::ClientTlsContext& tls)
    : io_(std::make_unique<Context>()), endpoint_(std::move(endpoint)), service_(std::move(service)),
      pool_(std::make_unique<http::UpstreamPool>(*io_, tls)) {}

TraceExporter::~TraceExporter() {
  stop();
  io_->shutdown();  // coroutine frames go before the pool they point into
}

void TraceExporter::start() {
  asio::co_spawn(*io_, run(), asio::detached);
  thread_ = std::thread([this] {
    core::nameThisThread("katara-trace");
    io_->run();
  });
}

void TraceExporter::submit(core::RequestTrace trace) {
  trace.request_body.clear();  // spans carry no bodies
  trace.response_body.clear();
  asio::post(*io_, [this, t = std::move(trace)]() mutable {
    pending_.push_back(std::move(t));
    if (pending_.size() > kMaxPending) {
      pending_.pop_front();
      ++counters_.dropped;
    }
  });
}

void TraceExporter::stop() {
  if (!thread_.joinable()) return;
  asio::post(*io_, [this] { stopping_ = true; });
  thread_.join();
}

asio::awaitable<bool> TraceExporter::post(const std::string& body) {
  http::OutgoingRequest request;
  request.target = endpoint_.base_path + "/v1/traces";
  request.headers = {{"content-type", "application/json"}};
  request.body = body;
  http::ExchangeTimeouts timeouts;
  timeouts.connect = std::chrono::milliseconds(1000);
  timeouts.first_byte = std::chrono::milliseconds(5000);
  timeouts.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto sent = co_await pool_->send(endpoint_, request, timeouts);
  if (!sent) co_return false;
  auto& exchange = *sent.value();
  const int status = exchange.status();
  for (;;) {  // the answer's body (partial success details) is not needed: drain it for keep-alive
    auto chunk = co_await exchange.read();
    if (!chunk || chunk.value().empty()) break;
  }
  co_return status >= 200 && status < 300;
}

asio::awaitable<void> TraceExporter::run() {
  asio::steady_timer timer(*io_);
  std::chrono::steady_clock::time_point stop_by{};
  for (;;) {
    timer.expires_after(kFlushEvery);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopping_ && stop_by == std::chrono::steady_clock::time_point{}) stop_by = std::chrono::steady_clock::now() + kStopWait;
    while (!pending_.empty()) {
      const auto n = std::min(kBatch, pending_.size());
      std::vector<core::RequestTrace> batch(std::make_move_iterator(pending_.begin()),
                                            std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(n)));
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
      const std::string body = telemetry::otlpTraceJson(batch, service_, ids_);
      if (co_await post(body)) {
        counters_.exported += static_cast<std::int64_t>(n);
      } else {
        ++counters_.failed_posts;
        counters_.dropped += static_cast<std::int64_t>(n);
        spdlog::warn("tracing: the collector at {} did not take {} traces", endpoint_.hostHeader(), n);
        break;  // try the rest at the next flush
      }
      if (stopping_ && std::chrono::steady_clock::now() > stop_by) break;
    }
    if (stopping_ && (pending_.empty() || std::chrono::steady_clock::now() > stop_by)) break;
  }
}

}  // namespace katara::app
