#pragma once
// The figures /metrics reads from live state at each scrape: every target's and provider's
// circuit and in-flight attempts, and the request log's counters.
#include <vector>

#include "katara/routing/route_table.h"
#include "katara/store/request_log.h"
#include "katara/telemetry/gateway_metrics.h"

namespace katara::admin {

// katara_circuit_state: 0 closed, 1 half-open, 2 open.
// `log`: nullptr when the request log is off (its figures are then left out).
std::vector<telemetry::GaugeFamily> liveGauges(const routing::RouteTable& routes, const store::LogCounters* log);

}  // namespace katara::admin
