#include "katara/store/target_stats.h"

#include <algorithm>
#include <map>

namespace katara::store {

namespace {

// The nearest-rank percentile of `values` (reordered); nullopt for none.
std::optional<double> percentile(std::vector<double>& values, double p) {
  if (values.empty()) return std::nullopt;
  const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
  return values[rank];
}

bool countsAgainst(core::UpstreamErrorKind k) {
  using K = core::UpstreamErrorKind;
  return k != K::Ok && k != K::ClientError && k != K::Cancelled && !core::notSent(k);
}

struct Window {
  std::int64_t attempts = 0, errors = 0, served = 0, input = 0, output = 0;
  double cost = 0;
  std::vector<double> latency_ms, ttft_ms;
  void add(const AttemptSample& s) {
    ++attempts;
    errors += countsAgainst(s.kind);
    served += s.served;
    input += s.input_tokens;
    output += s.output_tokens;
    cost += s.cost_usd;
    if (s.kind == core::UpstreamErrorKind::Ok) latency_ms.push_back(static_cast<double>(s.duration_us) / 1000.0);
    if (s.first_token_us) ttft_ms.push_back(static_cast<double>(*s.first_token_us) / 1000.0);
  }
};

}  // namespace

std::vector<TargetStats> aggregateStats(std::vector<AttemptSample> samples, const StatsQuery& query) {
  std::map<std::pair<std::string, std::string>, std::pair<Window, std::map<std::int64_t, Window>>> by_target;
  for (const auto& s : samples) {
    if (core::notSent(s.kind)) continue;
    auto& [whole, steps] = by_target[{s.provider, s.model}];
    whole.add(s);
    if (query.step_ms > 0) {
      const auto step = query.since_ms + (s.unix_ms - query.since_ms) / query.step_ms * query.step_ms;
      steps[step].add(s);
    }
  }
  std::vector<TargetStats> out;
  for (auto& [key, windows] : by_target) {
    auto& [whole, steps] = windows;
    TargetStats t;
    t.provider = key.first;
    t.model = key.second;
    t.attempts = whole.attempts;
    t.errors = whole.errors;
    t.served = whole.served;
    t.latency_p50_ms = percentile(whole.latency_ms, 50);
    t.latency_p95_ms = percentile(whole.latency_ms, 95);
    t.ttft_p50_ms = percentile(whole.ttft_ms, 50);
    t.ttft_p95_ms = percentile(whole.ttft_ms, 95);
    t.input_tokens = whole.input;
    t.output_tokens = whole.output;
    t.cost_usd = whole.cost;
    for (auto& [at, w] : steps) {
      TargetStats::Point p;
      p.unix_ms = at;
      p.attempts = w.attempts;
      p.errors = w.errors;
      p.latency_p95_ms = percentile(w.latency_ms, 95);
      p.ttft_p95_ms = percentile(w.ttft_ms, 95);
      p.cost_usd = w.cost;
      t.series.push_back(std::move(p));
    }
    out.push_back(std::move(t));
  }
  return out;
}

void aggregateTraffic(const std::vector<RequestSample>& samples, const StatsQuery& query, Stats& out) {
  std::map<std::int64_t, TrafficPoint> steps;
  out.totals.unix_ms = query.since_ms;
  auto add = [](TrafficPoint& p, const RequestSample& s) {
    ++p.requests;
    p.errors += s.status >= 500;
    p.failovers += s.failovers;
    p.retries += s.retries;
    p.hedges += s.hedges;
    p.continuations += s.continuations;
    p.cost_usd += s.cost_usd;
  };
  for (const auto& s : samples) {
    add(out.totals, s);
    if (query.step_ms > 0) {
      const auto step = query.since_ms + (s.unix_ms - query.since_ms) / query.step_ms * query.step_ms;
      auto& p = steps[step];
      p.unix_ms = step;
      add(p, s);
    }
  }
  for (auto& [at, p] : steps) out.traffic.push_back(p);
}

}  // namespace katara::store
