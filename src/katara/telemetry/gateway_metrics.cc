#include "katara/telemetry/gateway_metrics.h"

#include "katara/telemetry/metric_families.h"

namespace katara::telemetry {

Operation operationOf(std::string_view name) {
  for (std::size_t i = 0; i + 1 < kOperations.size(); ++i) {
    if (kOperations[i] == name) return static_cast<Operation>(i);
  }
  return Operation::None;
}

WorkerMetrics::WorkerMetrics(const Families& families)
    : families_(families), cells_(std::make_unique<Cells>(families)) {}
WorkerMetrics::~WorkerMetrics() = default;

void WorkerMetrics::requestStarted() { cells_->in_flight.add(1); }

void WorkerMetrics::requestEnded(const core::RequestTrace& t) {
  const Families& f = families_;
  Cells& c = *cells_;
  c.in_flight.add(-1);
  const std::size_t op = static_cast<std::size_t>(operationOf(t.operation));
  const bool gen_ai = op < kGenAiOperations;
  const std::size_t none_alias = f.layout.aliases.size();
  const std::size_t alias = t.alias_index >= 0 ? static_cast<std::size_t>(t.alias_index) : none_alias;
  const std::size_t none_target = f.layout.targets.size();
  std::size_t served = none_target;
  if (t.served_attempt >= 0 && t.attempts[static_cast<std::size_t>(t.served_attempt)].target_index >= 0) {
    served = static_cast<std::size_t>(t.attempts[static_cast<std::size_t>(t.served_attempt)].target_index);
  }
  const std::size_t status = statusClass(t.status);
  c.requests[f.requests.at({op, alias, served, status})].add();
  if (gen_ai) {
    c.request_duration[f.request_duration.at({op, alias, status})].observe(seconds(t.duration_us));
    if (t.first_token_us) c.time_to_first_token[f.time_to_first_token.at({op, alias})].observe(seconds(*t.first_token_us));
  }
  if (!t.attempts.empty()) c.overhead[f.overhead.at({op})].observe(seconds(t.overhead_us));
  if (t.retries) c.retries[alias].add(static_cast<std::uint64_t>(t.retries));
  if (t.failovers) c.failovers[alias].add(static_cast<std::uint64_t>(t.failovers));
  if (t.hedges) c.hedges[alias].add(static_cast<std::uint64_t>(t.hedges));
  if (t.continuations) c.continuations[alias].add(static_cast<std::uint64_t>(t.continuations));
  if (t.stream_broken) c.streams_broken[alias].add();

  for (const auto& a : t.attempts) {
    if (a.target_index < 0) continue;
    const auto target = static_cast<std::size_t>(a.target_index);
    const auto kind = kindIndex(a.kind);
    if (core::notSent(a.kind)) {
      c.skipped[f.upstream_errors.at({target, kind})].add();
      continue;
    }
    if (a.kind != UpstreamErrorKind::Ok) c.upstream_errors[f.upstream_errors.at({target, kind})].add();
    if (gen_ai) {
      c.attempt_duration[f.attempt_duration.at({op, target, kind})].observe(seconds(a.duration_us));
      const auto per_op = f.per_target_op.at({op, target});
      if (a.first_token_us) c.time_to_first_chunk[per_op].observe(seconds(*a.first_token_us));
      if (a.gaps.count) c.time_per_output_chunk[per_op].merge(a.gaps.counts, a.gaps.sum_seconds);
    }
    if (a.tokens_per_second) c.tokens_per_second[target].observe(*a.tokens_per_second);
    if (a.usage) {
      const std::int64_t cached = a.usage->cache_read_tokens;
      const std::int64_t input = a.usage->input_tokens + a.usage->cache_write_tokens + cached;
      if (gen_ai) {
        c.token_usage[f.token_usage.at({op, target, 0})].observe(static_cast<double>(input));
        if (op != static_cast<std::size_t>(Operation::Embeddings)) {
          c.token_usage[f.token_usage.at({op, target, 1})].observe(static_cast<double>(a.usage->output_tokens));
        }
      }
      c.tokens[f.tokens.at({target, 0})].add(static_cast<std::uint64_t>(std::max<std::int64_t>(input, 0)));
      c.tokens[f.tokens.at({target, 1})].add(static_cast<std::uint64_t>(std::max<std::int64_t>(a.usage->output_tokens, 0)));
      c.tokens[f.tokens.at({target, 2})].add(static_cast<std::uint64_t>(std::max<std::int64_t>(cached, 0)));
    }
    if (a.cost_usd && *a.cost_usd > 0) c.cost[f.cost.at({alias, target})].add(*a.cost_usd);
  }
}

Metrics::Metrics(MetricsLayout layout, unsigned workers) : families_(std::make_unique<Families>(std::move(layout))) {
  for (unsigned i = 0; i < workers; ++i) workers_.push_back(std::make_unique<WorkerMetrics>(*families_));
}
Metrics::~Metrics() = default;


}  // namespace katara::telemetry
