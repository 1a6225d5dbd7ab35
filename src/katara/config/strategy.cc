#include "katara/config/strategy.h"

namespace katara::config {

namespace {

struct Named {
  Strategy strategy;
  std::string_view name;
};

constexpr Named kStrategies[] = {
    {Strategy::Fallback, "fallback"}, {Strategy::Weighted, "weighted"}, {Strategy::RoundRobin, "round_robin"},
    {Strategy::LeastBusy, "least_busy"}, {Strategy::Latency, "latency"}, {Strategy::Cost, "cost"},
    {Strategy::Balanced, "balanced"}, {Strategy::LocalFirst, "local_first"},
};

}  // namespace

std::optional<Strategy> parseStrategy(std::string_view name) {
  for (const auto& s : kStrategies) {
    if (s.name == name) return s.strategy;
  }
  return std::nullopt;
}

std::string_view toString(Strategy strategy) {
  for (const auto& s : kStrategies) {
    if (s.strategy == strategy) return s.name;
  }
  return "fallback";
}

std::string strategyNames() {
  std::string out;
  for (const auto& s : kStrategies) out += (out.empty() ? "" : ", ") + std::string(s.name);
  return out;
}

}  // namespace katara::config
