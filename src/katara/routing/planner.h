#pragma once
// Routing that decides: the order in which one request tries a route's targets, from what is
// known of each right now — its health, speed, load, price and rate-limit headroom — and the
// route's strategy. Every strategy orders the whole list, so failover still walks the rest.
// Pure: candidates in, an order and its reason out (the executor snapshots the candidates).
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "katara/config/strategy.h"

namespace katara::routing {

// What the planner knows of one target now.
struct Candidate {
  std::string name;               // "provider/model", for the reason
  bool circuit_open = false;      // its circuit (or its provider's) refuses requests now
  double ttft_ms = 0;             // EWMA time to first token; 0: not measured
  double latency_ms = 0;          // EWMA latency of whole answers; 0: not measured
  double error_rate = 0;          // failures / attempts over the health window
  std::int64_t samples = 0;       // attempts over the health window
  int in_flight = 0;              // requests being served by it now (every worker)
  int max_concurrency = 0;        // 0: unbounded
  double weight = 1;              // `weighted`
  std::optional<double> cost_usd; // this request's expected cost; nullopt: no price known
  bool near_rate_limit = false;   // its provider's headers say it is about to answer 429
  bool local = false;             // an open model on the user's own hardware
  std::int64_t context_tokens = 0; // its window; 0: not known
  bool full() const { return max_concurrency > 0 && in_flight >= max_concurrency; }
};

struct BalancedWeights {
  double cost = 1, latency = 1, errors = 1;
};

struct PlanOptions {
  config::Strategy strategy = config::Strategy::Fallback;
  bool stream = false;                  // latency means time to first token
  BalancedWeights weights;              // `balanced`
  std::optional<double> max_ttft_ms;    // `balanced` constraints (and per request for max cost)
  std::optional<double> max_cost_usd;
  std::uint64_t turn = 0;               // `round_robin`: the route's request counter
  std::int64_t prompt_tokens = 0;       // estimated: a target whose window is smaller goes back
  double explore = 0.05;                // share of requests that try an unmeasured target first
};

struct PlanOrder {
  std::vector<std::size_t> order;  // indexes into the candidates, best first
  std::string reason;              // x-katara-route-reason
};

// The order for one request. After the strategy's order, targets that cannot serve well now
// move back, keeping their relative order: first those near their rate limit or at capacity,
// then those that break a constraint, and last those whose circuit is open (which the executor
// records and skips). A target with fewer than kMeasured samples is tried first on `explore`
// of the requests, so that new and recovered targets keep fresh figures.
PlanOrder planOrder(const std::vector<Candidate>& candidates, const PlanOptions& options, std::mt19937_64& rng);

constexpr std::int64_t kMeasured = 5;

}  // namespace katara::routing
