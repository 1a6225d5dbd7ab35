#pragma once
// One request's plan: its route's targets in the order the route's strategy gives them now,
// from a snapshot of each target's health, load and price.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "katara/config/strategy.h"
#include "katara/health/target_health.h"
#include "katara/routing/route_table.h"

namespace katara::routing {

// What of a request routing needs to know.
struct RequestShape {
  bool stream = false;
  std::int64_t prompt_tokens = 0;   // estimated
  std::int64_t output_tokens = 0;   // expected: max_tokens when given, else kAssumedOutputTokens
  std::optional<config::Strategy> strategy = {};  // the request's own (x-katara-strategy)
  std::optional<double> max_cost_usd = {};        // x-katara-max-cost-usd
  // The body's `models` after its `model`: their plans follow the route's (targets once).
  std::vector<const Route*> fallbacks = {};
};

// Without max_tokens, a request's cost is estimated as if it answered this many tokens.
constexpr std::int64_t kAssumedOutputTokens = 500;

struct Plan {
  std::vector<const Target*> targets;
  std::string reason;
};

// The route's plan, then each of shape.fallbacks' (without targets already in it).
Plan planFor(const Route& route, const RequestShape& shape, health::Clock::time_point now);

}  // namespace katara::routing
