#include "katara/app/observability.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "katara/core/thread_name.h"

namespace katara::app {

telemetry::MetricsLayout metricsLayout(const routing::RouteTable& routes) {
  telemetry::MetricsLayout layout;
  layout.aliases.resize(routes.routes().size());
  for (const auto& [alias, route] : routes.routes()) layout.aliases[static_cast<std::size_t>(route.index)] = alias;
  for (const auto* t : routes.distinctTargets()) {
    layout.targets.push_back({t->provider->name, std::string(t->provider->adapter->kind()), t->model});
  }
  return layout;
}

std::unique_ptr<Observability> Observability::start(const config::Config& config, const routing::RouteTable& routes,
                                                    unsigned workers, std::string& error) {
  auto o = std::make_unique<Observability>();
  const auto& sc = config.store;
  o->metrics = std::make_unique<telemetry::Metrics>(metricsLayout(routes), workers);
  boost::asio::post(o->reads, [] { core::nameThisThread("katara-reads"); });
  if (sc.enabled) o->startLog(sc, error);
  if (!error.empty()) return nullptr;
  admin::AdminSettings admin_settings{config.admin.api_key, config.api_keys};
  auto* seen = o.get();
  auto connection_gauge = [seen] {
    telemetry::GaugeFamily open{"katara_upstream_open_connections", "Connections open to each upstream origin, over every worker.", {}};
    for (const auto& [origin, n] : seen->connections.snapshot()) open.samples.push_back({{{"upstream", origin}}, static_cast<double>(n)});
    std::vector<telemetry::GaugeFamily> out{std::move(open)};
    if (const auto* t = seen->tracer_counters.load()) {
      out.push_back(telemetry::GaugeFamily::single("katara_traces_exported_total", "Request traces the collector took.",
                                                   static_cast<double>(t->exported.load()), true));
      out.push_back(telemetry::GaugeFamily::single(
          "katara_traces_dropped_total", "Request traces dropped: the collector refused them, or too many waited.",
          static_cast<double>(t->dropped.load()), true));
    }
    return out;
  };
  o->admin = std::make_unique<admin::AdminHandler>(routes, *o->metrics, o->log.get(), o->reads, std::move(admin_settings),
                                                   std::move(connection_gauge));
  if (!sc.enabled) spdlog::warn("request log: off (store.enabled: false)");
  return o;
}

void Observability::startLog(const config::StoreConfig& sc, std::string& error) {
  store = store::SqliteStore::open(sc.sqlite, error);
  if (!store) return;
  store::LogSettings settings;
  settings.flush_interval = sc.flush_interval;
  settings.queue_rows = static_cast<std::size_t>(sc.queue_rows);
  settings.journal_path = sc.journal.empty() ? sc.sqlite + ".journal" : sc.journal;
  settings.retention.max_age_ms = sc.retention_days * 24 * 3600 * 1000;
  settings.retention.max_bytes = sc.max_mb * 1024 * 1024;
  log = std::make_unique<store::RequestLog>(*store, settings);
  log->replayJournal();
  log->start();
  spdlog::info("request log: {} ({} rows)", sc.sqlite, store->rowCount());
}

void Observability::stop() {
  reads.join();
  if (!log) return;
  log->close();
  const auto& c = log->counters();
  spdlog::info("request log: {} rows written, {} sent to the journal", c.written.load(), c.spilled.load());
}

}  // namespace katara::app
