#pragma once
// Per provider and model figures over a window, from its attempts: the part of stats() every
// store shares once it has read the window's attempts.
#include <vector>

#include "katara/store/request_store.h"

namespace katara::store {

struct AttemptSample {
  std::string provider, model;
  std::int64_t unix_ms = 0;
  core::UpstreamErrorKind kind = core::UpstreamErrorKind::Ok;
  bool served = false;
  std::int64_t duration_us = 0;
  std::optional<std::int64_t> first_token_us;
  std::int64_t input_tokens = 0, output_tokens = 0;
  double cost_usd = 0;
};

// Skipped targets (circuit open, disabled) are not attempts and are left out; errors are the
// outcomes that count against a target.
std::vector<TargetStats> aggregateStats(std::vector<AttemptSample> samples, const StatsQuery& query);

struct RequestSample {
  std::int64_t unix_ms = 0;
  int status = 0;
  int failovers = 0, retries = 0, hedges = 0, continuations = 0;
  double cost_usd = 0;
};
// The totals over the window, and per step when one was asked for.
void aggregateTraffic(const std::vector<RequestSample>& samples, const StatsQuery& query, Stats& out);

}  // namespace katara::store
