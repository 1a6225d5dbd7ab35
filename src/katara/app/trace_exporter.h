#pragma once
// Exports each request as an OpenTelemetry trace over OTLP/HTTP (JSON), from a thread of its
// own: workers hand over a copy of the finished trace and go on; the exporter batches them and
// POSTs <otlp_endpoint>/v1/traces. Tracing is best effort: when the collector is down or slow,
// at most kMaxPending traces wait and the oldest beyond that are dropped (and counted).
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <deque>
#include <memory>
#include <thread>

#include "katara/config/config.h"
#include "katara/core/request_trace.h"
#include "katara/http/client.h"
#include "katara/http/url.h"
#include "katara/telemetry/otlp_json.h"

namespace katara::app {

class TraceExporter {
 public:
  static constexpr std::size_t kMaxPending = 4096;
  static constexpr std::size_t kBatch = 256;

  // nullptr with `error` when the endpoint is not a URL.
  static std::unique_ptr<TraceExporter> create(const config::TracingConfig& config, http::ClientTlsContext& tls,
                                               std::string& error);
  ~TraceExporter();

  void start();
  // From any thread.
  void submit(core::RequestTrace trace);
  // Sends what is pending (for up to two seconds), then stops the thread.
  void stop();

  struct Counters {
    std::atomic<std::int64_t> exported{0}, dropped{0}, failed_posts{0};
  };
  const Counters& counters() const { return counters_; }

 private:
  TraceExporter(http::Endpoint endpoint, std::string service, http::ClientTlsContext& tls);
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<bool> post(const std::string& body);

  struct Context;
  std::unique_ptr<Context> io_;
  http::Endpoint endpoint_;
  std::string service_;
  std::unique_ptr<http::UpstreamPool> pool_;
  telemetry::SpanIds ids_;
  std::deque<core::RequestTrace> pending_;  // on the exporter's thread only
  bool stopping_ = false;
  Counters counters_;
  std::thread thread_;
};

}  // namespace katara::app
