#pragma once
// The operational endpoints: GET /metrics (Prometheus), the admin API (/admin/health,
// /admin/requests, /admin/requests/{id}, /admin/stats) and the dashboard (/ui). Served on the
// gateway's listener or on a listener of their own (admin.listen). Store queries run on the
// store's read thread, never on a worker.
#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <string>
#include <vector>

#include "katara/http/handler.h"
#include "katara/routing/route_table.h"
#include "katara/store/request_log.h"
#include "katara/telemetry/gateway_metrics.h"

namespace katara::admin {

struct AdminSettings {
  std::string api_key;                    // "" : the gateway's own keys admit (open when it has none)
  std::vector<std::string> gateway_keys;
};

class AdminHandler final : public http::Handler {
 public:
  // `extra_gauges`: live figures owned elsewhere (upstream connections), read at each scrape.
  // `log`: nullptr when the request log is off (store.enabled: false).
  AdminHandler(const routing::RouteTable& routes, telemetry::Metrics& metrics, store::RequestLog* log,
               boost::asio::thread_pool& reads, AdminSettings settings,
               std::function<std::vector<telemetry::GaugeFamily>()> extra_gauges)
      : routes_(routes), metrics_(metrics), log_(log), reads_(reads), settings_(std::move(settings)),
        extra_gauges_(std::move(extra_gauges)) {}

  boost::asio::awaitable<void> handle(http::Request& request, http::ResponseWriter& writer) override;

 private:
  bool authorized(const http::Request& request) const;
  std::string metricsText() const;
  boost::asio::awaitable<void> requests(const http::Request& request, http::ResponseWriter& writer);
  boost::asio::awaitable<void> requestById(const std::string& id, http::ResponseWriter& writer);
  boost::asio::awaitable<void> stats(const http::Request& request, http::ResponseWriter& writer);

  const routing::RouteTable& routes_;
  telemetry::Metrics& metrics_;
  store::RequestLog* log_;
  boost::asio::thread_pool& reads_;
  AdminSettings settings_;
  std::function<std::vector<telemetry::GaugeFamily>()> extra_gauges_;
};

}  // namespace katara::admin
