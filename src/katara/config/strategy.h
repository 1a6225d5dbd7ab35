#pragma once
// How a route orders its targets for each request (routing/planner.h does the ordering).
#include <optional>
#include <string>
#include <string_view>

namespace katara::config {

enum class Strategy {
  Fallback,    // the configured order
  Weighted,    // a weighted random order (targets' `weight`)
  RoundRobin,  // each request starts one target further
  LeastBusy,   // fewest requests in flight first
  Latency,     // lowest time to first token (streams) or latency (whole answers) first
  Cost,        // cheapest expected cost of this request first
  Balanced,    // a weighted score of cost, latency and errors, within hard constraints
  LocalFirst,  // open-model targets up to their capacity, then the cloud
};

std::optional<Strategy> parseStrategy(std::string_view name);
std::string_view toString(Strategy strategy);
// "fallback, weighted, ...", for error messages.
std::string strategyNames();

}  // namespace katara::config
