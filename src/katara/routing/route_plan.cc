#include "katara/routing/route_plan.h"

#include <algorithm>
#include <random>

#include "katara/routing/cost.h"
#include "katara/routing/planner.h"

namespace katara::routing {

namespace {

Plan routePlan(const Route& route, const RequestShape& shape, health::Clock::time_point now) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::vector<Candidate> candidates;
  candidates.reserve(route.targets.size());
  for (const auto& t : route.targets) {
    Candidate c;
    c.name = t.provider->name + "/" + t.model;
    const auto view = t.health->planView(now);
    const auto host = t.provider->health->planView(now);
    c.circuit_open = view.circuit_open || host.circuit_open || !t.provider->enabled;
    c.ttft_ms = view.ttft_ms;
    c.latency_ms = view.latency_ms;
    c.error_rate = view.error_rate;
    c.samples = view.samples;
    c.in_flight = t.health->inFlight();
    c.near_rate_limit = view.near_rate_limit;
    c.max_concurrency = t.max_concurrency;
    c.weight = t.weight;
    if (t.price) {
      core::Usage expected;
      expected.input_tokens = shape.prompt_tokens;
      expected.output_tokens = shape.output_tokens;
      c.cost_usd = costUsd(*t.price, expected);
    }
    c.local = t.local;
    c.context_tokens = t.context_tokens;
    candidates.push_back(std::move(c));
  }
  PlanOptions options;
  options.strategy = shape.strategy.value_or(route.strategy);
  options.stream = shape.stream;
  options.prompt_tokens = shape.prompt_tokens;
  options.weights = {route.balanced.cost, route.balanced.latency, route.balanced.errors};
  if (options.strategy == config::Strategy::Balanced) {
    options.max_ttft_ms = route.balanced.max_ttft_ms;
    options.max_cost_usd = route.balanced.max_cost_usd;
  }
  if (shape.max_cost_usd) options.max_cost_usd = shape.max_cost_usd;
  if (options.strategy == config::Strategy::RoundRobin) options.turn = route.stats->turn.fetch_add(1, std::memory_order_relaxed);
  auto order = planOrder(candidates, options, rng);
  Plan plan;
  plan.reason = std::move(order.reason);
  for (auto i : order.order) plan.targets.push_back(&route.targets[i]);
  return plan;
}

}  // namespace

Plan planFor(const Route& route, const RequestShape& shape, health::Clock::time_point now) {
  auto plan = routePlan(route, shape, now);
  for (const Route* fallback : shape.fallbacks) {
    auto more = routePlan(*fallback, shape, now);
    for (const Target* t : more.targets) {
      const bool seen = std::any_of(plan.targets.begin(), plan.targets.end(), [&](const Target* p) {
        return p->provider == t->provider && p->model == t->model;
      });
      if (!seen) plan.targets.push_back(t);
    }
    plan.reason += " models:" + fallback->alias + ":" + more.reason;
  }
  return plan;
}

}  // namespace katara::routing
