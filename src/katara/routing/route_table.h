#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "katara/config/config.h"
#include "katara/health/target_health.h"
#include "katara/providers/adapter.h"

namespace katara::routing {

struct Provider {
  std::string name;
  const providers::Adapter* adapter = nullptr;
  providers::ProviderAccess access;
  bool enabled = true;
  std::string disabled_reason;
  // The provider as a whole: its circuit opens when its host cannot be reached (connect and TLS
  // failures), whichever model was asked.
  std::unique_ptr<health::TargetHealth> health;
  std::chrono::milliseconds probe_interval{0};  // > 0: active probes take the circuits' trials
};

struct Target {
  const Provider* provider = nullptr;
  std::string model;               // the provider's model id
  config::TimeoutsConfig timeouts; // the provider's, with the route's overrides applied
  health::TargetHealth* health = nullptr;  // shared by every route with this (provider, model)
  bool prefill = false;  // it continues a final assistant message (unless health learned otherwise)
  double weight = 1;             // `weighted`
  int max_concurrency = 0;       // 0: no limit
  bool local = false;            // an open model on the user's own hardware
  std::optional<config::PriceConfig> price;  // nullopt: not known
  std::int64_t context_tokens = 0;           // the most prompt tokens it takes; 0: not known
  int index = -1;  // its (provider, model)'s place in RouteTable::distinctTargets(): metric cells
};

// What a route's requests went through, counted by every worker: the hedging budget's ledger
// and the resilience figures /admin/health shows.
struct RouteStats {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> failovers{0};       // answered by another target than the first tried
  std::atomic<std::uint64_t> retries{0};         // a target asked again after a transient failure
  std::atomic<std::uint64_t> hedges{0};          // second targets started beside a slow first one
  std::atomic<std::uint64_t> hedges_won{0};      // ... that answered first
  std::atomic<std::uint64_t> handovers{0};       // streams that broke after the client had bytes
  std::atomic<std::uint64_t> streams_continued{0};  // ... carried on to their end by other targets
  std::atomic<std::uint64_t> streams_broken{0};  // streams ended with an in-band error
  std::atomic<std::uint64_t> turn{0};            // `round_robin`'s position
  // Takes one hedge if it stays within `percent` of the requests (one is always allowed).
  bool takeHedge(double percent);
};

struct Route {
  std::string alias;
  std::vector<Target> targets;
  config::Strategy strategy = config::Strategy::Fallback;
  config::BalancedConfig balanced;
  std::chrono::milliseconds total{600000};  // the whole request, every attempt included
  config::RetryConfig retry;
  config::HedgeConfig hedge;
  bool hedging = false;                 // hedge.enabled()
  std::shared_ptr<RouteStats> stats = std::make_shared<RouteStats>();
  const Route* context_fallback = nullptr;  // where a prompt too long for these targets goes
  int index = -1;  // its place in RouteTable::routes(), in order: metric cells
};

// Immutable after build: shared by all workers through a shared_ptr<const RouteTable>.
class RouteTable {
 public:
  // Builds the table; problems that only show once values are combined go to `errors`.
  static std::shared_ptr<const RouteTable> build(const config::Config& config,
                                                 std::vector<std::string>& errors);

  const Route* find(std::string_view alias) const;
  const std::map<std::string, Route, std::less<>>& routes() const { return routes_; }
  const std::map<std::string, std::unique_ptr<Provider>, std::less<>>& providers() const { return providers_; }
  bool hasEnabledTarget() const;
  // Each (provider, model) once, as the first route that names it configures it (for probes).
  const std::vector<const Target*>& distinctTargets() const { return distinct_targets_; }
  // Every target's health, by (provider, model).
  const std::map<std::pair<std::string, std::string>, std::unique_ptr<health::TargetHealth>>& targetHealth() const {
    return target_health_;
  }

 private:
  std::map<std::string, std::unique_ptr<Provider>, std::less<>> providers_;
  std::map<std::string, Route, std::less<>> routes_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<health::TargetHealth>> target_health_;
  std::vector<const Target*> distinct_targets_;
};

}  // namespace katara::routing
