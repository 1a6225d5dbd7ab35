// The circuit of one target: when it opens, how long it stays open, its single trial, and what
// does not count against a target.
#include <gtest/gtest.h>

#include "katara/health/target_health.h"

using namespace katara;
using core::UpstreamErrorKind;
using health::CircuitState;
using health::Clock;
using std::chrono::milliseconds;

namespace {

health::CircuitSettings settings() {
  health::CircuitSettings s;
  s.consecutive_failures = 3;
  s.failure_ratio = 0.5;
  s.min_samples = 10;
  s.window = milliseconds(30000);
  s.open = milliseconds(1000);
  s.max_open = milliseconds(4000);
  return s;
}

health::Outcome failure(UpstreamErrorKind kind = UpstreamErrorKind::Server) { return {kind, milliseconds(5)}; }
health::Outcome success(int ms = 10) { return {UpstreamErrorKind::Ok, milliseconds(ms)}; }

}  // namespace

TEST(Circuit, OpensAfterConsecutiveFailuresAndLetsOneTrialThroughWhenItsTimeIsUp) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(h.admit(t).allowed);
    h.record(failure(), false, t);
  }
  EXPECT_EQ(h.snapshot(t).circuit, CircuitState::Closed);
  h.record(failure(), false, t);
  EXPECT_EQ(h.snapshot(t).circuit, CircuitState::Open);
  auto refused = h.admit(t + milliseconds(999));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_at, t + milliseconds(1000));

  auto trial = h.admit(t + milliseconds(1000));
  EXPECT_TRUE(trial.allowed);
  EXPECT_TRUE(trial.trial);
  EXPECT_EQ(h.snapshot(t).circuit, CircuitState::HalfOpen);
  EXPECT_FALSE(h.admit(t + milliseconds(1001)).allowed) << "exactly one trial";
  h.record(success(), true, t + milliseconds(1010));
  EXPECT_EQ(h.snapshot(t).circuit, CircuitState::Closed);
  EXPECT_TRUE(h.admit(t + milliseconds(1011)).allowed);
}

TEST(Circuit, FailedTrialsDoubleTheOpenTimeUpToTheMaximumAndRecoveryResetsIt) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  for (int i = 0; i < 3; ++i) h.record(failure(), false, t);
  for (int expected_ms : {2000, 4000, 4000}) {
    t += milliseconds(5000);
    auto trial = h.admit(t);
    ASSERT_TRUE(trial.trial);
    h.record(failure(), true, t);
    EXPECT_FALSE(h.admit(t + milliseconds(expected_ms - 1)).allowed) << expected_ms;
    EXPECT_TRUE(h.admit(t + milliseconds(expected_ms)).allowed) << expected_ms;
    h.record(failure(), true, t + milliseconds(expected_ms));  // keeps it open for the loop
    t += milliseconds(expected_ms);
  }
  t += milliseconds(5000);
  ASSERT_TRUE(h.admit(t).trial);
  h.record(success(), true, t);
  for (int i = 0; i < 3; ++i) h.record(failure(), false, t);
  EXPECT_FALSE(h.admit(t + milliseconds(999)).allowed);
  EXPECT_TRUE(h.admit(t + milliseconds(1000)).allowed) << "after a recovery the first period applies again";
}

TEST(Circuit, OpensOnAFailureRatioOnceTheWindowHoldsEnough) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  for (int i = 0; i < 9; ++i) h.record(i % 2 ? failure() : success(), false, t);
  EXPECT_EQ(h.snapshot(t).circuit, CircuitState::Closed) << "9 samples are too few";
  h.record(failure(), false, t);
  EXPECT_EQ(h.snapshot(t).circuit, CircuitState::Open) << "5 of 10 failed";
}

TEST(Circuit, ARateLimitWithRetryAfterOpensUntilThen) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  h.record({UpstreamErrorKind::RateLimited, milliseconds(3), {}, milliseconds(7000), "slow down"}, false, t);
  EXPECT_FALSE(h.admit(t + milliseconds(6999)).allowed);
  EXPECT_TRUE(h.admit(t + milliseconds(7000)).trial);
}

TEST(Circuit, AProbeMayTakeTheTrialBeforeTheOpenPeriodEndsButNotAgainstRetryAfter) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  for (int i = 0; i < 3; ++i) h.record(failure(), false, t);
  EXPECT_FALSE(h.admit(t + milliseconds(10)).allowed) << "a request waits out the backoff";
  const auto probe = h.admit(t + milliseconds(10), true, /*probe=*/true);
  EXPECT_TRUE(probe.allowed && probe.trial) << "a probe is paced by its own interval";
  EXPECT_FALSE(h.admit(t + milliseconds(10), true, true).allowed) << "one trial at a time";
  h.record(success(), true, t + milliseconds(20));
  EXPECT_TRUE(h.admit(t + milliseconds(20)).allowed) << "the probe's success closed it";

  health::TargetHealth limited(settings());
  limited.record({UpstreamErrorKind::RateLimited, milliseconds(3), {}, milliseconds(7000)}, false, t);
  EXPECT_FALSE(limited.admit(t + milliseconds(10), true, true).allowed) << "the provider said how long";
}

TEST(Circuit, TheCallersMistakesAndCancellationsDoNotCountAndGiveTheTrialBack) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  for (auto kind : {UpstreamErrorKind::ClientError, UpstreamErrorKind::ContextLength, UpstreamErrorKind::ContentFilter,
                    UpstreamErrorKind::Cancelled, UpstreamErrorKind::ClientError}) {
    h.record(failure(kind), false, t);
  }
  auto s = h.snapshot(t);
  EXPECT_EQ(s.circuit, CircuitState::Closed);
  EXPECT_EQ(s.total_attempts, 0);
  for (int i = 0; i < 3; ++i) h.record(failure(), false, t);
  auto trial = h.admit(t + milliseconds(1000));
  ASSERT_TRUE(trial.trial);
  h.record(failure(UpstreamErrorKind::Cancelled), true, t + milliseconds(1000));
  EXPECT_TRUE(h.admit(t + milliseconds(1001)).trial) << "a trial without a verdict goes to the next request";
}

TEST(Circuit, DisabledCircuitsNeverOpenButStatisticsAreKept) {
  auto s = settings();
  s.enabled = false;
  health::TargetHealth h(s);
  auto t = Clock::now();
  for (int i = 0; i < 20; ++i) h.record(failure(), false, t);
  h.record({UpstreamErrorKind::RateLimited, milliseconds(3), {}, milliseconds(7000)}, false, t);
  EXPECT_TRUE(h.admit(t).allowed);
  EXPECT_EQ(h.snapshot(t).total_failures, 21);
}

TEST(Health, TokensPerSecondAreSmoothedFromStreamsThatReportThem) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  health::Outcome fast{UpstreamErrorKind::Ok, milliseconds(100), milliseconds(10)};
  fast.tokens_per_second = 50.0;
  h.record(fast, false, t);
  h.record({UpstreamErrorKind::Ok, milliseconds(100)}, false, t);  // a whole answer says nothing of speed
  fast.tokens_per_second = 100.0;
  h.record(fast, false, t);
  EXPECT_DOUBLE_EQ(h.snapshot(t).tokens_per_second_ewma, 60.0);  // 50 + 0.2 × (100 − 50)
}

TEST(Health, RecentPercentilesOfFirstTokenAndLatencyAreKeptApart) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  for (int i = 1; i <= 19; ++i) h.record({UpstreamErrorKind::Ok, milliseconds(500), milliseconds(i)}, false, t);
  EXPECT_FALSE(h.recentPercentile(90, true)) << "19 samples are too few to say";
  h.record({UpstreamErrorKind::Ok, milliseconds(500), milliseconds(20)}, false, t);
  EXPECT_EQ(h.recentPercentile(90, true), milliseconds(18));  // rank 0.9 × 19 ≈ 17 of 1..20
  EXPECT_FALSE(h.recentPercentile(90, false)) << "streams say nothing of whole answers";
  for (int i = 0; i < 200; ++i) h.record({UpstreamErrorKind::Ok, milliseconds(700), milliseconds(5)}, false, t);
  EXPECT_EQ(h.recentPercentile(99, true), milliseconds(5)) << "only the newest samples count";
}

TEST(Health, LatencyAndFirstTokenAreSmoothedAndTheLastErrorKept) {
  health::TargetHealth h(settings());
  auto t = Clock::now();
  h.record({UpstreamErrorKind::Ok, milliseconds(100), milliseconds(40)}, false, t);
  h.record({UpstreamErrorKind::Ok, milliseconds(200), milliseconds(60)}, false, t);
  h.record({UpstreamErrorKind::Server, milliseconds(5), {}, {}, "HTTP 500: boom"}, false, t);
  auto s = h.snapshot(t + milliseconds(250));
  EXPECT_DOUBLE_EQ(s.latency_ewma_ms, 120.0);  // 100 + 0.2 × (200 − 100)
  EXPECT_DOUBLE_EQ(s.ttft_ewma_ms, 44.0);
  EXPECT_EQ(s.last_error, "server: HTTP 500: boom");
  EXPECT_EQ(s.last_error_age_ms, 250);
  EXPECT_EQ(s.window_attempts, 3);
  EXPECT_EQ(s.window_failures, 1);
  EXPECT_EQ(h.snapshot(t + milliseconds(31000)).window_attempts, 0) << "the window slides";
}
