#include "katara/routing/cost.h"

#include <gtest/gtest.h>

#include "katara/routing/executor.h"

namespace katara::routing {
namespace {

TEST(Cost, EveryBilledAttemptCountsAtItsOwnPrice) {
  Provider provider;
  Target cheap, dear;
  cheap.provider = dear.provider = &provider;
  cheap.price = config::PriceConfig{1, 2, std::nullopt};
  dear.price = config::PriceConfig{10, 20, 1.0};
  ExecutionSummary summary;
  AttemptRecord failed;  // a 503: not billed
  failed.target = &dear;
  summary.attempts.push_back(failed);
  AttemptRecord cut;  // a stream cut before its usage: estimated
  cut.target = &cheap;
  cut.billed = true;
  cut.output_seen = 100;
  summary.attempts.push_back(cut);
  AttemptRecord answered;
  answered.target = &dear;
  answered.billed = true;
  core::Usage usage;
  usage.input_tokens = 1000;
  usage.cache_read_tokens = 2000;
  usage.output_tokens = 500;
  answered.usage = usage;
  summary.attempts.push_back(answered);
  RequestShape shape;
  shape.prompt_tokens = 3000;
  const auto cost = requestCost(summary, shape);
  // cut: 3000 × 1 + 100 × 2 = 3200 µ$; answered: 1000 × 10 + 2000 × 1 + 500 × 20 = 22000 µ$.
  EXPECT_NEAR(cost.usd, 0.0252, 1e-12);
  EXPECT_TRUE(cost.estimated);
  EXPECT_FALSE(cost.unpriced);
  EXPECT_EQ(formatUsd(cost.usd), "0.0252");
  EXPECT_EQ(formatUsd(0), "0");
}

TEST(Cost, AnUnpricedTargetIsFlaggedNotGuessed) {
  Provider provider;
  Target unknown;
  unknown.provider = &provider;
  ExecutionSummary summary;
  AttemptRecord a;
  a.target = &unknown;
  a.billed = true;
  a.usage = core::Usage{};
  summary.attempts.push_back(a);
  const auto cost = requestCost(summary, RequestShape{});
  EXPECT_TRUE(cost.unpriced);
  EXPECT_EQ(cost.usd, 0);
}

}  // namespace
}  // namespace katara::routing
