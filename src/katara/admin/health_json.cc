#include "katara/admin/health_json.h"

#include <boost/json.hpp>

namespace katara::admin {

namespace json = boost::json;

namespace {

json::object healthObject(const health::TargetHealth& h, health::Clock::time_point now) {
  const auto s = h.snapshot(now);
  json::object o{{"circuit", health::toString(s.circuit)},
                 {"window", {{"attempts", s.window_attempts}, {"failures", s.window_failures}}},
                 {"total", {{"attempts", s.total_attempts}, {"failures", s.total_failures}}},
                 {"consecutive_failures", s.consecutive_failures},
                 {"latency_ewma_ms", s.latency_ewma_ms},
                 {"ttft_ewma_ms", s.ttft_ewma_ms},
                 {"tokens_per_second_ewma", s.tokens_per_second_ewma},
                 {"times_opened", s.times_opened},
                 {"rejects_prefill", h.rejectsPrefill()}};
  if (s.circuit == health::CircuitState::Open) o["open_for_ms"] = s.open_for_ms;
  if (s.last_error_age_ms >= 0) {
    o["last_error"] = s.last_error;
    o["last_error_age_ms"] = s.last_error_age_ms;
  } else {
    o["last_error"] = nullptr;
  }
  return o;
}

}  // namespace

std::string healthJson(const routing::RouteTable& routes) {
  const auto now = health::Clock::now();
  json::array providers;
  for (const auto& [name, p] : routes.providers()) {
    json::object o{{"name", name}, {"kind", p->adapter ? p->adapter->kind() : "?"}, {"enabled", p->enabled},
                   {"health", healthObject(*p->health, now)}};
    if (!p->enabled) o["disabled_reason"] = p->disabled_reason;
    providers.push_back(std::move(o));
  }
  json::array targets;
  for (const auto& [key, h] : routes.targetHealth()) {
    targets.push_back(json::object{{"provider", key.first}, {"model", key.second}, {"health", healthObject(*h, now)}});
  }
  json::array route_stats;
  for (const auto& [alias, r] : routes.routes()) {
    const auto& s = *r.stats;
    route_stats.push_back(json::object{{"model", alias},
                                       {"requests", s.requests.load()},
                                       {"failovers", s.failovers.load()},
                                       {"retries", s.retries.load()},
                                       {"hedges", s.hedges.load()},
                                       {"hedges_won", s.hedges_won.load()},
                                       {"stream_handovers", s.handovers.load()},
                                       {"streams_continued", s.streams_continued.load()},
                                       {"streams_broken", s.streams_broken.load()}});
  }
  return json::serialize(json::object{{"providers", std::move(providers)}, {"targets", std::move(targets)},
                                      {"routes", std::move(route_stats)}});
}

}  // namespace katara::admin
