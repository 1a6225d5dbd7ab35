#include "katara/admin/live_gauges.h"

namespace katara::admin {

namespace {

double circuitValue(health::CircuitState s) {
  switch (s) {
    case health::CircuitState::Closed: return 0;
    case health::CircuitState::HalfOpen: return 1;
    case health::CircuitState::Open: return 2;
  }
  return 0;
}

}  // namespace

std::vector<telemetry::GaugeFamily> liveGauges(const routing::RouteTable& routes, const store::LogCounters* log_counters) {
  const auto now = health::Clock::now();
  telemetry::GaugeFamily circuit{"katara_circuit_state", "Each target's circuit: 0 closed, 1 half-open, 2 open.", {}};
  telemetry::GaugeFamily provider_circuit{
      "katara_provider_circuit_state", "Each provider's own circuit (its host unreachable): 0 closed, 1 half-open, 2 open.", {}};
  telemetry::GaugeFamily in_flight{"katara_upstream_in_flight", "Attempts waiting on each target now.", {}};
  for (const auto* t : routes.distinctTargets()) {
    const telemetry::LabelPairs labels{{"provider", t->provider->name}, {"model", t->model}};
    circuit.samples.emplace_back(labels, circuitValue(t->health->snapshot(now).circuit));
    in_flight.samples.emplace_back(labels, t->health->inFlight());
  }
  for (const auto& [name, p] : routes.providers()) {
    provider_circuit.samples.push_back({{{"provider", name}}, circuitValue(p->health->snapshot(now).circuit)});
  }
  auto counter = [](std::string name, std::string help, std::int64_t value) {
    return telemetry::GaugeFamily::single(std::move(name), std::move(help), static_cast<double>(value), true);
  };
  auto gauge = [](std::string name, std::string help, std::int64_t value) {
    return telemetry::GaugeFamily::single(std::move(name), std::move(help), static_cast<double>(value), false);
  };
  std::vector<telemetry::GaugeFamily> out{std::move(circuit), std::move(provider_circuit), std::move(in_flight)};
  if (!log_counters) return out;
  const auto& log = *log_counters;
  for (auto& f : std::vector<telemetry::GaugeFamily>{
          gauge("katara_store_queue_rows", "Request log rows waiting in memory for the store thread.", log.queued.load()),
          counter("katara_store_rows_written_total", "Request log rows written to the store.", log.written.load()),
          counter("katara_store_rows_spilled_total",
                  "Request log rows sent to the journal file (queue full, or the store refused a write).", log.spilled.load()),
          gauge("katara_store_journal_rows", "Rows in the journal file, waiting to go back into the store.",
                log.journaled.load()),
          counter("katara_store_rows_lost_total",
                  "Request log rows neither the store nor the journal file could take (disk full).", log.lost.load()),
          counter("katara_store_write_errors_total", "Store transactions that failed.", log.write_errors.load()),
          counter("katara_store_rows_pruned_total", "Request log rows deleted by retention.", log.pruned.load())}) {
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace katara::admin
