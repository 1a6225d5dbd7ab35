#include "katara/providers/rate_limits.h"

#include <gtest/gtest.h>

namespace katara::providers {
namespace {

using std::chrono::milliseconds;

TEST(RateLimits, OpenAiHeadersGiveTheTightestLimit) {
  const http::Headers h{{"x-ratelimit-limit-requests", "100"}, {"x-ratelimit-remaining-requests", "40"},
                        {"x-ratelimit-reset-requests", "6m0s"}, {"x-ratelimit-limit-tokens", "10000"},
                        {"x-ratelimit-remaining-tokens", "300"}, {"x-ratelimit-reset-tokens", "1.5s"}};
  const auto p = readRateLimits(h, std::chrono::system_clock::now());
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->remaining_share, 0.03);
  EXPECT_EQ(p->remaining, 300);
  EXPECT_EQ(p->resets_in, milliseconds(1500));
}

TEST(RateLimits, AnthropicHeadersResetAtAnRfc3339Time) {
  const auto now = std::chrono::system_clock::from_time_t(1796142600);  // 2026-12-01T16:30:00Z
  const http::Headers h{{"anthropic-ratelimit-requests-limit", "50"}, {"anthropic-ratelimit-requests-remaining", "1"},
                        {"anthropic-ratelimit-requests-reset", "2026-12-01T16:30:12Z"}};
  const auto p = readRateLimits(h, now);
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->remaining_share, 0.02);
  EXPECT_EQ(p->resets_in, milliseconds(12000));
}

TEST(RateLimits, NoHeadersOrNonsenseSayNothing) {
  EXPECT_FALSE(readRateLimits({}, std::chrono::system_clock::now()));
  const http::Headers junk{{"x-ratelimit-limit-requests", "many"}, {"x-ratelimit-remaining-requests", "-1"}};
  EXPECT_FALSE(readRateLimits(junk, std::chrono::system_clock::now()));
}

TEST(RateLimits, ResetDurations) {
  EXPECT_EQ(parseResetDuration("20ms"), milliseconds(20));
  EXPECT_EQ(parseResetDuration("1m30s"), milliseconds(90000));
  EXPECT_EQ(parseResetDuration("2h"), milliseconds(7200000));
  EXPECT_FALSE(parseResetDuration("soon"));
  EXPECT_FALSE(parseResetDuration(""));
}

}  // namespace
}  // namespace katara::providers
