#include "katara/health/target_health.h"

#include <algorithm>

namespace katara::health {

using core::UpstreamErrorKind;

namespace {

constexpr double kEwmaWeight = 0.2;      // the newest sample's share
constexpr std::size_t kMaxWindow = 4096;  // outcomes kept, whatever the window's length

std::int64_t ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

void blend(double& ewma, double sample) { ewma = ewma == 0 ? sample : ewma + kEwmaWeight * (sample - ewma); }

}  // namespace

std::string_view toString(CircuitState state) {
  switch (state) {
    case CircuitState::Closed: return "closed";
    case CircuitState::Open: return "open";
    case CircuitState::HalfOpen: return "half_open";
  }
  return "closed";
}

bool countsAgainstTarget(UpstreamErrorKind kind) {
  // Success, and every failure that sends the request on to another target after reaching this
  // one: that is what the target is judged by.
  return kind == UpstreamErrorKind::Ok || (core::shouldFailOver(kind) && !core::notSent(kind));
}

Admission TargetHealth::admit(Clock::time_point now, bool may_trial, bool probe) {
  const auto state = state_.load(std::memory_order_acquire);
  if (state == CircuitState::Closed) return {};
  Admission refused{false, false, Clock::time_point(std::chrono::nanoseconds(open_until_ns_.load()))};
  const bool early_probe = probe && !open_as_asked_.load(std::memory_order_acquire);
  if (state == CircuitState::Open && !early_probe && ns(now) < open_until_ns_.load(std::memory_order_acquire)) return refused;
  if (!may_trial) return refused;
  // The open period is over (or a trial is due): exactly one request goes through as the trial.
  bool expected = false;
  if (!trial_taken_.compare_exchange_strong(expected, true)) return refused;
  state_.store(CircuitState::HalfOpen, std::memory_order_release);
  return {true, true, {}};
}

void TargetHealth::openLocked(Clock::time_point until, Clock::time_point now, bool as_asked) {
  open_until_ns_.store(ns(until), std::memory_order_release);
  open_as_asked_.store(as_asked, std::memory_order_release);
  if (state_.load() != CircuitState::Open) ++times_opened_;
  state_.store(CircuitState::Open, std::memory_order_release);
  trial_taken_.store(false, std::memory_order_release);
  (void)now;
}

void TargetHealth::trimLocked(Clock::time_point now) {
  while (!window_.empty() && (window_.size() > kMaxWindow || now - window_.front().first > settings_.window)) {
    window_failures_ -= window_.front().second;
    window_.pop_front();
  }
}

void TargetHealth::record(const Outcome& outcome, bool trial, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (!countsAgainstTarget(outcome.kind)) {
    if (trial) trial_taken_.store(false, std::memory_order_release);  // no verdict: the next request tries
    return;
  }
  const bool failed = outcome.kind != UpstreamErrorKind::Ok;
  ++total_attempts_;
  window_.emplace_back(now, failed);
  window_failures_ += failed;
  trimLocked(now);
  if (!failed) {
    blend(latency_ewma_ms_, static_cast<double>(outcome.latency.count()));
    if (outcome.first_token) blend(ttft_ewma_ms_, static_cast<double>(outcome.first_token->count()));
    if (outcome.tokens_per_second) blend(tps_ewma_, *outcome.tokens_per_second);
    if (outcome.first_token) recent_first_token_.add(outcome.first_token->count());
    else recent_latency_.add(outcome.latency.count());
    consecutive_failures_ = 0;
    if (state_.load() != CircuitState::Closed) {
      // Recovered: close, and the next opening starts from the first period again.
      state_.store(CircuitState::Closed, std::memory_order_release);
      trial_taken_.store(false, std::memory_order_release);
      next_open_ = Millis{0};
    }
    return;
  }
  ++total_failures_;
  ++consecutive_failures_;
  last_error_ = std::string(core::toString(outcome.kind)) + (outcome.message.empty() ? "" : ": " + outcome.message);
  last_error_at_ = now;

  // A rate limit that says how long: open exactly until then.
  if (outcome.kind == UpstreamErrorKind::RateLimited && outcome.retry_after.count() > 0 && settings_.enabled) {
    openLocked(now + outcome.retry_after, now, /*as_asked=*/true);
    return;
  }
  bool open = trial;  // a failed trial reopens at once
  if (!open && consecutive_failures_ >= settings_.consecutive_failures) open = true;
  if (!open && static_cast<int>(window_.size()) >= settings_.min_samples) {
    open = static_cast<double>(window_failures_) >= settings_.failure_ratio * static_cast<double>(window_.size());
  }
  if (!open || !settings_.enabled) return;
  if (state_.load() == CircuitState::Open && !trial) return;  // already open: keep its period
  next_open_ = next_open_.count() == 0 ? settings_.open : std::min(settings_.max_open, next_open_ * 2);
  openLocked(now + next_open_, now);
}

void TargetHealth::Recent::add(std::int64_t v) {
  if (ms.size() < kRecentSamples) ms.push_back(v);
  else ms[next] = v;
  next = (next + 1) % kRecentSamples;
}

std::optional<Millis> TargetHealth::recentPercentile(double percentile, bool stream) const {
  std::vector<std::int64_t> samples;
  {
    std::lock_guard lock(mutex_);
    samples = stream ? recent_first_token_.ms : recent_latency_.ms;
  }
  if (samples.size() < kMinSamplesForPercentile) return std::nullopt;
  const auto rank = static_cast<std::size_t>(percentile / 100.0 * static_cast<double>(samples.size() - 1) + 0.5);
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(rank), samples.end());
  return Millis(samples[rank]);
}

void TargetHealth::noteRateLimit(double remaining_share, std::int64_t remaining, Millis resets_in, Clock::time_point now) {
  const bool near = remaining_share <= 0.05 || remaining <= 1;
  const auto until = now + (resets_in.count() > 0 ? resets_in : Millis(1000));
  near_limit_until_ns_.store(near ? ns(until) : 0, std::memory_order_relaxed);
}

bool TargetHealth::nearRateLimit(Clock::time_point now) const {
  return ns(now) < near_limit_until_ns_.load(std::memory_order_relaxed);
}

PlanView TargetHealth::planView(Clock::time_point now) const {
  PlanView v;
  v.near_rate_limit = nearRateLimit(now);
  const auto state = state_.load(std::memory_order_acquire);
  v.circuit_open = state == CircuitState::HalfOpen ||
                   (state == CircuitState::Open && ns(now) < open_until_ns_.load(std::memory_order_acquire));
  std::lock_guard lock(mutex_);
  v.ttft_ms = ttft_ewma_ms_;
  v.latency_ms = latency_ewma_ms_;
  // As of the last outcome (trimmed then): no walk over the window on the request path.
  v.samples = static_cast<std::int64_t>(window_.size());
  v.error_rate = v.samples ? static_cast<double>(window_failures_) / static_cast<double>(v.samples) : 0;
  return v;
}

HealthSnapshot TargetHealth::snapshot(Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  HealthSnapshot s;
  s.circuit = state_.load();
  if (s.circuit == CircuitState::Open) {
    s.open_for_ms = std::max<std::int64_t>(0, (open_until_ns_.load() - ns(now)) / 1000000);
  }
  for (const auto& [at, failed] : window_) {
    if (now - at > settings_.window) continue;
    ++s.window_attempts;
    s.window_failures += failed;
  }
  s.total_attempts = total_attempts_;
  s.total_failures = total_failures_;
  s.consecutive_failures = consecutive_failures_;
  s.latency_ewma_ms = latency_ewma_ms_;
  s.ttft_ewma_ms = ttft_ewma_ms_;
  s.tokens_per_second_ewma = tps_ewma_;
  s.last_error = last_error_;
  if (last_error_at_) s.last_error_age_ms = std::chrono::duration_cast<Millis>(now - *last_error_at_).count();
  s.times_opened = times_opened_;
  return s;
}

}  // namespace katara::health
