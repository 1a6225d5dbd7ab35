#include "katara/routing/planner.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace katara::routing {

using config::Strategy;

namespace {

constexpr double kUnknown = std::numeric_limits<double>::infinity();

std::string number(double v) {
  if (!std::isfinite(v)) return "?";
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 1 ? "%.6g" : "%.0f", v);
  return buf;
}

// The figure a strategy sorts by, per candidate, with its name for the reason.
struct Metric {
  std::string name;
  std::vector<double> values;
};

double speedOf(const Candidate& c, bool stream) {
  const double v = stream ? c.ttft_ms : c.latency_ms;
  return v > 0 ? v : kUnknown;
}

// Balanced: each figure scaled by the largest known one, so weights compare like with like; an
// unknown figure counts as middling.
std::vector<double> balancedScores(const std::vector<Candidate>& cs, const PlanOptions& o) {
  double max_cost = 0, max_speed = 0;
  for (const auto& c : cs) {
    if (c.cost_usd) max_cost = std::max(max_cost, *c.cost_usd);
    if (std::isfinite(speedOf(c, o.stream))) max_speed = std::max(max_speed, speedOf(c, o.stream));
  }
  std::vector<double> scores;
  for (const auto& c : cs) {
    const double cost = !c.cost_usd ? 0.5 : max_cost > 0 ? *c.cost_usd / max_cost : 0;
    const double speed = speedOf(c, o.stream);
    const double latency = !std::isfinite(speed) ? 0.5 : max_speed > 0 ? speed / max_speed : 0;
    scores.push_back(o.weights.cost * cost + o.weights.latency * latency + o.weights.errors * c.error_rate);
  }
  return scores;
}

void sortBy(std::vector<std::size_t>& order, const std::vector<double>& key) {
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
}

// 0: serves well now; 1: near its rate limit or at capacity; 2: breaks a constraint; 3: open.
int rank(const Candidate& c, const PlanOptions& o, std::string& why) {
  if (c.circuit_open) return why = "circuit_open", 3;
  if (o.max_cost_usd && c.cost_usd && *c.cost_usd > *o.max_cost_usd) return why = "max_cost", 2;
  if (o.max_ttft_ms && c.ttft_ms > *o.max_ttft_ms) return why = "max_ttft", 2;
  if (c.context_tokens > 0 && o.prompt_tokens > c.context_tokens) return why = "context", 2;
  if (c.near_rate_limit) return why = "rate_limit", 1;
  if (c.full()) return why = "full", 1;
  return 0;
}

}  // namespace

PlanOrder planOrder(const std::vector<Candidate>& cs, const PlanOptions& o, std::mt19937_64& rng) {
  PlanOrder plan;
  auto& order = plan.order;
  order.resize(cs.size());
  std::iota(order.begin(), order.end(), 0);
  Metric metric;
  switch (o.strategy) {
    case Strategy::Fallback:
      break;
    case Strategy::Weighted: {
      // A weighted random order: each target's key u^(1/w), largest first (Efraimidis–Spirakis).
      metric.name = "weight";
      std::vector<double> key;
      std::uniform_real_distribution<double> u(0.0, 1.0);
      for (const auto& c : cs) {
        metric.values.push_back(c.weight);
        key.push_back(c.weight > 0 ? -std::pow(u(rng), 1.0 / c.weight) : 1.0);
      }
      sortBy(order, key);
      break;
    }
    case Strategy::RoundRobin:
      if (!cs.empty()) std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(o.turn % cs.size()), order.end());
      break;
    case Strategy::LeastBusy:
      metric.name = "in_flight";
      for (const auto& c : cs) metric.values.push_back(c.in_flight);
      sortBy(order, metric.values);
      break;
    case Strategy::Latency: {
      // A target never measured goes first, once: its first answer measures it.
      metric.name = o.stream ? "ttft_ms" : "latency_ms";
      std::vector<double> key;
      for (const auto& c : cs) {
        metric.values.push_back(speedOf(c, o.stream));
        key.push_back(std::isfinite(metric.values.back()) ? metric.values.back() : -1);
      }
      sortBy(order, key);
      break;
    }
    case Strategy::Cost:
      metric.name = "cost_usd";
      for (const auto& c : cs) metric.values.push_back(c.cost_usd.value_or(kUnknown));
      sortBy(order, metric.values);
      break;
    case Strategy::Balanced:
      metric.name = "score";
      metric.values = balancedScores(cs, o);
      sortBy(order, metric.values);
      break;
    case Strategy::LocalFirst:
      std::stable_partition(order.begin(), order.end(), [&](std::size_t i) { return cs[i].local; });
      break;
  }

  // Measured strategies keep their figures fresh: now and then an unmeasured target goes first.
  std::string explored;
  const bool measured = o.strategy == Strategy::Latency || o.strategy == Strategy::Balanced;
  if (measured && o.explore > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < o.explore) {
    auto it = std::find_if(order.begin(), order.end(),
                           [&](std::size_t i) { return cs[i].samples < kMeasured && !cs[i].circuit_open; });
    if (it != order.end()) {
      explored = cs[*it].name;
      std::rotate(order.begin(), it, it + 1);
    }
  }

  std::vector<int> ranks(cs.size());
  std::vector<std::string> whys(cs.size());
  for (std::size_t i = 0; i < cs.size(); ++i) ranks[i] = rank(cs[i], o, whys[i]);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ranks[a] < ranks[b]; });

  plan.reason = "strategy=" + std::string(config::toString(o.strategy)) + ";order=";
  std::string values, held_back;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto i = order[k];
    plan.reason += (k ? "," : "") + cs[i].name;
    if (!metric.name.empty()) values += (k ? "," : "") + number(metric.values[i]);
    if (ranks[i] > 0) held_back += (held_back.empty() ? "" : ",") + cs[i].name + ":" + whys[i];
  }
  if (!metric.name.empty()) plan.reason += ";" + metric.name + "=" + values;
  if (!explored.empty()) plan.reason += ";explore=" + explored;
  if (!held_back.empty()) plan.reason += ";held_back=" + held_back;
  return plan;
}

}  // namespace katara::routing
