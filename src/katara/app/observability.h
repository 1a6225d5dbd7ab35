#pragma once
// What one `katara serve` run sees itself with: the metrics every worker records into, the
// request log and its store, and the admin endpoints over them — built from the config before
// the workers start, stopped after they end (the log written out last).
#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <string>

#include "katara/admin/admin_handler.h"
#include "katara/app/trace_exporter.h"
#include "katara/config/config.h"
#include "katara/http/connection_counts.h"
#include "katara/routing/route_table.h"
#include "katara/store/request_log.h"
#include "katara/store/sqlite_store.h"
#include "katara/telemetry/gateway_metrics.h"

namespace katara::app {

// The label values of the metrics: the route table's aliases and distinct targets, by index.
telemetry::MetricsLayout metricsLayout(const routing::RouteTable& routes);

struct Observability {
  // Opens the store (replaying its journal first) and starts the log's threads; nullptr with
  // `error` when the store cannot be opened.
  static std::unique_ptr<Observability> start(const config::Config& config, const routing::RouteTable& routes,
                                              unsigned workers, std::string& error);
  // Writes every queued row and stops the threads. Call after the workers have stopped.
  void stop();
  // Opens the store and starts the request log; `error` says why it could not.
  void startLog(const config::StoreConfig& config, std::string& error);

  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<store::RequestLog> log;
  std::unique_ptr<telemetry::Metrics> metrics;
  http::ConnectionCounts connections;
  boost::asio::thread_pool reads{1};  // the admin API's store queries
  std::unique_ptr<admin::AdminHandler> admin;
  // The trace exporter's figures for /metrics, once it exists (tracing configured).
  std::atomic<const TraceExporter::Counters*> tracer_counters{nullptr};
};

}  // namespace katara::app
