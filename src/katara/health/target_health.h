#pragma once
// Live health of one target (a provider's model) or of a whole provider: what its recent
// attempts ended in, how fast it answers, and its circuit. Shared by every worker: admission
// (is the target worth a request now?) reads atomics only; an attempt's outcome is recorded
// under the target's own mutex, once per attempt.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "katara/core/error_kind.h"

namespace katara::health {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

struct CircuitSettings {
  bool enabled = true;           // false: never open (outcomes are still tracked)
  int consecutive_failures = 3;  // in a row: open
  double failure_ratio = 0.5;    // or this share of the window's outcomes ...
  int min_samples = 10;          // ... once it holds this many
  Millis window{30000};
  Millis open{2000};             // the first open period; doubled by each failed trial
  Millis max_open{30000};
};

enum class CircuitState { Closed, Open, HalfOpen };
std::string_view toString(CircuitState state);

// What one attempt told about the target.
struct Outcome {
  core::UpstreamErrorKind kind = core::UpstreamErrorKind::Ok;
  Millis latency{0};                 // the attempt, start to end
  std::optional<Millis> first_token = {};  // streams: until the first content reached the client
  Millis retry_after{0};                   // a 429's requested wait
  std::string message = {};                // for the last error
  std::optional<double> tokens_per_second = {};  // streams: output speed after the first token
};

// True for the outcomes that say something about the target: not the caller's mistakes, not a
// client that went away, not attempts never sent.
bool countsAgainstTarget(core::UpstreamErrorKind kind);

struct Admission {
  bool allowed = true;
  bool trial = false;           // the one half-open trial: its outcome decides the circuit
  Clock::time_point retry_at;   // when refused: when the circuit lets a trial through
};

// The figures routing orders targets by, read at once.
struct PlanView {
  bool circuit_open = false;  // refusing requests now (a trial due counts as open: one request takes it)
  double ttft_ms = 0, latency_ms = 0;
  double error_rate = 0;
  std::int64_t samples = 0;
  bool near_rate_limit = false;  // its provider's headers say it is about to answer 429
};

struct HealthSnapshot {
  CircuitState circuit = CircuitState::Closed;
  std::int64_t open_for_ms = 0;  // remaining, when open
  std::int64_t window_attempts = 0, window_failures = 0;
  std::int64_t total_attempts = 0, total_failures = 0;
  int consecutive_failures = 0;
  double latency_ewma_ms = 0, ttft_ewma_ms = 0;  // 0 until measured
  double tokens_per_second_ewma = 0;             // 0 until measured
  std::string last_error;                        // "server: HTTP 503 ..."
  std::int64_t last_error_age_ms = -1;           // -1: never
  int times_opened = 0;
};

class TargetHealth {
 public:
  explicit TargetHealth(CircuitSettings settings) : settings_(settings) {}

  // `may_trial`: false when active probes take the trials, so requests never do. A `probe` may
  // take the trial before the open period ends — probes are paced by their interval, not by
  // the backoff — unless the circuit is open because the provider said how long to wait.
  Admission admit(Clock::time_point now, bool may_trial = true, bool probe = false);
  // Records an attempt's outcome. `trial` is the admission's: a trial's outcome closes or
  // reopens the circuit. Outcomes that do not count against the target release a trial
  // without a verdict.
  void record(const Outcome& outcome, bool trial, Clock::time_point now);
  HealthSnapshot snapshot(Clock::time_point now) const;
  PlanView planView(Clock::time_point now) const;

  // The `percentile` (0-100) of the target's recent times to first token (`stream`) or
  // latencies of complete answers; nullopt until it has kMinSamplesForPercentile of them.
  std::optional<Millis> recentPercentile(double percentile, bool stream) const;
  static constexpr std::size_t kRecentSamples = 128;
  static constexpr std::size_t kMinSamplesForPercentile = 20;

  // What the provider's rate-limit headers said on the latest answer: the smallest share of a
  // limit left, what is left of it, and when it resets. Nearly spent (≤ 5 %, or one request
  // left) marks the target near its limit until the reset (1 s when the reset is not given).
  void noteRateLimit(double remaining_share, std::int64_t remaining, Millis resets_in, Clock::time_point now);
  bool nearRateLimit(Clock::time_point now) const;

  // Requests being served by the target now, across workers (`least_busy`, capacity).
  void started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void ended() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  int inFlight() const { return in_flight_.load(std::memory_order_relaxed); }

  // The target answered a prefill (a final assistant message) with a 400: its streams are
  // carried on with an instruction from now on.
  void notePrefillRejected() { rejects_prefill_.store(true, std::memory_order_relaxed); }
  bool rejectsPrefill() const { return rejects_prefill_.load(std::memory_order_relaxed); }

 private:
  void openLocked(Clock::time_point until, Clock::time_point now, bool as_asked = false);
  void trimLocked(Clock::time_point now);

  const CircuitSettings settings_;
  // Read without the lock by admit().
  std::atomic<CircuitState> state_{CircuitState::Closed};
  std::atomic<std::int64_t> open_until_ns_{0};
  std::atomic<bool> trial_taken_{false};
  std::atomic<bool> rejects_prefill_{false};
  std::atomic<int> in_flight_{0};
  std::atomic<std::int64_t> near_limit_until_ns_{0};
  std::atomic<bool> open_as_asked_{false};  // opened for a 429's Retry-After

  mutable std::mutex mutex_;
  std::deque<std::pair<Clock::time_point, bool>> window_;  // (when, failed), oldest first
  std::int64_t window_failures_ = 0;                        // how many of window_ failed
  int consecutive_failures_ = 0;
  Millis next_open_{0};  // the open period the next failed trial gets
  std::int64_t total_attempts_ = 0, total_failures_ = 0;
  double latency_ewma_ms_ = 0, ttft_ewma_ms_ = 0, tps_ewma_ = 0;
  // The newest kRecentSamples of each, oldest overwritten first.
  struct Recent {
    std::vector<std::int64_t> ms;
    std::size_t next = 0;
    void add(std::int64_t v);
  } recent_first_token_, recent_latency_;
  std::string last_error_;
  std::optional<Clock::time_point> last_error_at_;
  int times_opened_ = 0;
};

}  // namespace katara::health
