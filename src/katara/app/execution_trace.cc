#include "katara/app/execution_trace.h"

#include "katara/routing/cost.h"

namespace katara::app {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

// When an attempt ended: finish() was called on every path that reached out, else its start.
Clock::time_point endOf(const routing::AttemptRecord& a) {
  if (a.ended != Clock::time_point{}) return a.ended;
  return a.started + a.elapsed;
}

}  // namespace

void noteExecution(core::RequestTrace& trace, const routing::ExecutionSummary& summary,
                   const routing::RequestShape& shape, Clock::time_point arrived) {
  const routing::Target* previous = nullptr;  // the last target a request was sent to
  trace.attempts.reserve(summary.attempts.size());
  for (const auto& a : summary.attempts) {
    core::AttemptTrace& t = trace.attempts.emplace_back();
    if (trace.detailed) {
      t.provider = a.provider;
      t.model = a.model;
      t.message = a.message;
      if (a.target) t.provider_kind = std::string(a.target->provider->adapter->kind());
    }
    if (a.target) t.target_index = a.target->index;
    t.kind = a.kind;
    t.status = a.status;
    t.start_us = micros(a.started - arrived);
    t.duration_us = micros(endOf(a) - a.started);
    if (a.first_token) t.first_token_us = micros(*a.first_token);
    t.translated = a.translated;
    t.continued = a.continued;
    t.hedge = a.hedge;
    t.tokens_per_second = a.tokens_per_second;
    t.gaps = a.gaps;
    if (a.billed) {
      const auto bill = routing::billOf(a, shape);
      t.usage = bill.usage;
      t.usage_estimated = bill.estimated;
      if (a.target && a.target->price) {
        t.cost_usd = routing::costUsd(*a.target->price, bill.usage);
        trace.cost_usd += *t.cost_usd;
      } else {
        trace.unpriced = true;
      }
      trace.cost_estimated |= bill.estimated;
      trace.usage.input_tokens += bill.usage.input_tokens;
      trace.usage.output_tokens += bill.usage.output_tokens;
      trace.usage.cache_read_tokens += bill.usage.cache_read_tokens;
      trace.usage.cache_write_tokens += bill.usage.cache_write_tokens;
      trace.usage.reasoning_tokens += bill.usage.reasoning_tokens;
      trace.usage_estimated |= bill.estimated;
    }
    if (!a.target || core::notSent(a.kind)) continue;
    // What the attempt was, beside the first one sent: a hedge, a stream carried on, or a
    // retry of the same target or a failover to another.
    if (a.hedge) {
      ++trace.hedges;
    } else if (a.continued) {
      ++trace.continuations;
    } else if (previous) {
      ++(previous == a.target ? trace.retries : trace.failovers);
    }
    previous = a.target;
  }
  // The answer the client got came from the last attempt its serving target made.
  for (std::size_t i = 0; i < summary.attempts.size(); ++i) {
    const auto& a = summary.attempts[i];
    if (summary.served_by && a.target == summary.served_by && !core::notSent(a.kind)) trace.served_attempt = static_cast<int>(i);
  }
  // A stream's first content: the earliest any attempt delivered (only the committed one sets it).
  if (trace.stream) {
    for (const auto& a : summary.attempts) {
      if (!a.first_token) continue;
      const auto at = micros(a.started - arrived + *a.first_token);
      if (!trace.first_token_us || at < *trace.first_token_us) trace.first_token_us = at;
    }
  }
  trace.stream_broken = summary.stream_broken;
  // The error the gateway wrote when no target answered or a stream broke, as for a front door's.
  if (trace.detailed && !summary.error.empty()) trace.error = summary.error;
}

void noteEnd(core::RequestTrace& trace, Clock::time_point arrived, Clock::time_point now) {
  trace.duration_us = micros(now - arrived);
  // Katara's own time: before the first attempt reached out and after the last one ended (the
  // gaps between attempts are backoff and racing, not overhead).
  std::int64_t first_start = trace.duration_us, last_end = 0;
  bool any = false;
  for (const auto& a : trace.attempts) {
    if (core::notSent(a.kind)) continue;
    any = true;
    first_start = std::min(first_start, a.start_us);
    last_end = std::max(last_end, a.start_us + a.duration_us);
  }
  trace.overhead_us = any ? first_start + std::max<std::int64_t>(trace.duration_us - last_end, 0) : trace.duration_us;
}

}  // namespace katara::app
