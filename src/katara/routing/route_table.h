#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
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
};

// How many requests a hedging route served and how many hedges it sent: the budget's ledger,
// shared by all workers.
struct HedgeLedger {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> hedges{0};
  // Takes one hedge if it stays within `percent` of the requests (one is always allowed).
  bool take(double percent);
};

struct Route {
  std::string alias;
  std::vector<Target> targets;
  std::chrono::milliseconds total{600000};  // the whole request, every attempt included
  config::RetryConfig retry;
  config::HedgeConfig hedge;
  std::shared_ptr<HedgeLedger> hedges;  // set when hedge.after > 0
  const Route* context_fallback = nullptr;  // where a prompt too long for these targets goes
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
