#include "katara/routing/route_table.h"

#include <algorithm>

#include "katara/config/price_catalogue.h"

namespace katara::routing {

std::shared_ptr<const RouteTable> RouteTable::build(const config::Config& config,
                                                    std::vector<std::string>& errors) {
  auto table = std::make_shared<RouteTable>();
  const auto& c = config.circuit;
  const health::CircuitSettings circuit{c.enabled, c.consecutive_failures, c.failure_ratio, c.min_samples, c.window, c.open, c.max_open};
  for (const auto& [name, pc] : config.providers) {
    auto p = std::make_unique<Provider>();
    p->name = name;
    p->adapter = providers::adapterFor(pc.kind);
    if (!p->adapter) errors.push_back("providers." + name + ".kind: no adapter for \"" + pc.kind + "\"");
    auto endpoint = http::parseEndpoint(pc.base_url);
    if (!endpoint) {
      errors.push_back("providers." + name + ".base_url: cannot parse \"" + pc.base_url + "\"");
    } else {
      p->access.endpoint = *endpoint;
    }
    p->access.api_key = pc.api_key;
    p->access.api_version = pc.api_version;
    p->enabled = pc.enabled;
    p->disabled_reason = pc.disabled_reason;
    p->health = std::make_unique<health::TargetHealth>(circuit);
    p->probe_interval = pc.probe_interval;
    table->providers_.emplace(name, std::move(p));
  }
  for (const auto& [alias, rc] : config.models) {
    Route route;
    route.alias = alias;
    if (rc.timeouts.total) route.total = *rc.timeouts.total;
    route.retry = rc.retry;
    route.strategy = rc.strategy;
    route.balanced = rc.balanced;
    route.hedge = rc.hedge;
    route.hedging = rc.hedge.enabled();
    for (const auto& tc : rc.targets) {
      auto it = table->providers_.find(tc.provider);
      if (it == table->providers_.end()) continue;  // reported by the config loader
      Target t;
      t.provider = it->second.get();
      t.model = tc.model;
      auto& h = table->target_health_[{tc.provider, tc.model}];
      if (!h) h = std::make_unique<health::TargetHealth>(circuit);
      t.health = h.get();
      t.timeouts = config.providers.at(tc.provider).timeouts;
      const auto& pc = config.providers.at(tc.provider);
      t.prefill = tc.prefill.value_or(pc.prefill);
      t.weight = tc.weight;
      t.max_concurrency = tc.max_concurrency;
      t.local = pc.local;
      // Price: katara.yaml's pricing, else the shipped catalogue, else nothing for an open model.
      const auto* listed = config::catalogueEntry(pc.kind, tc.model);
      if (auto price = config.pricing.find(tc.provider + "/" + tc.model); price != config.pricing.end()) t.price = price->second;
      else if (listed && !t.local) t.price = listed->price;
      else if (t.local) t.price = config::PriceConfig{};
      if (listed) t.context_tokens = listed->context_tokens;
      config::applyOverrides(rc.timeouts, t.timeouts);
      route.targets.push_back(std::move(t));
    }
    table->routes_.emplace(alias, std::move(route));
  }
  int route_index = 0;
  for (auto& [alias, route] : table->routes_) {
    route.index = route_index++;
    for (auto& t : route.targets) {
      auto same = std::find_if(table->distinct_targets_.begin(), table->distinct_targets_.end(),
                               [&](const Target* d) { return d->health == t.health; });
      if (same == table->distinct_targets_.end()) {
        t.index = static_cast<int>(table->distinct_targets_.size());
        table->distinct_targets_.push_back(&t);
      } else {
        t.index = (*same)->index;
      }
    }
  }
  for (auto& [alias, route] : table->routes_) {
    const auto& fallback = config.models.at(alias).context_fallback;
    if (fallback.empty()) continue;
    if (auto it = table->routes_.find(fallback); it != table->routes_.end()) route.context_fallback = &it->second;
  }
  return table;
}

bool RouteStats::takeHedge(double percent) {
  const auto allowed = static_cast<std::uint64_t>(static_cast<double>(requests.load()) * percent / 100.0) + 1;
  auto taken = hedges.load();
  while (taken < allowed) {
    if (hedges.compare_exchange_weak(taken, taken + 1)) return true;
  }
  return false;
}

const Route* RouteTable::find(std::string_view alias) const {
  auto it = routes_.find(alias);
  return it == routes_.end() ? nullptr : &it->second;
}

bool RouteTable::hasEnabledTarget() const {
  for (const auto& [alias, route] : routes_) {
    for (const auto& t : route.targets) {
      if (t.provider->enabled) return true;
    }
  }
  return false;
}

}  // namespace katara::routing
