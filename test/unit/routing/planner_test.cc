#include "katara/routing/planner.h"

#include <gtest/gtest.h>

#include <map>

namespace katara::routing {
namespace {

using config::Strategy;

Candidate named(std::string name) {
  Candidate c;
  c.name = std::move(name);
  c.samples = 100;
  return c;
}

std::vector<std::string> names(const std::vector<Candidate>& cs, const PlanOrder& plan) {
  std::vector<std::string> out;
  for (auto i : plan.order) out.push_back(cs[i].name);
  return out;
}

PlanOptions with(Strategy s) {
  PlanOptions o;
  o.strategy = s;
  o.explore = 0;
  return o;
}

std::mt19937_64 rng{42};

TEST(Planner, FallbackKeepsTheConfiguredOrder) {
  std::vector<Candidate> cs{named("a/1"), named("b/2"), named("c/3")};
  const auto plan = planOrder(cs, with(Strategy::Fallback), rng);
  EXPECT_EQ(names(cs, plan), (std::vector<std::string>{"a/1", "b/2", "c/3"}));
  EXPECT_EQ(plan.reason, "strategy=fallback;order=a/1,b/2,c/3");
}

TEST(Planner, LatencyUsesTimeToFirstTokenForStreamsAndLatencyOtherwise) {
  auto a = named("a/1"), b = named("b/2"), c = named("c/3");
  a.ttft_ms = 300, a.latency_ms = 900;
  b.ttft_ms = 100, b.latency_ms = 2000;
  c.ttft_ms = 0, c.latency_ms = 500;  // never streamed: tried first, once, to be measured
  std::vector<Candidate> cs{a, b, c};
  auto o = with(Strategy::Latency);
  o.stream = true;
  const auto streamed = planOrder(cs, o, rng);
  EXPECT_EQ(names(cs, streamed), (std::vector<std::string>{"c/3", "b/2", "a/1"}));
  EXPECT_EQ(streamed.reason, "strategy=latency;order=c/3,b/2,a/1;ttft_ms=?,100,300");
  o.stream = false;
  EXPECT_EQ(names(cs, planOrder(cs, o, rng)), (std::vector<std::string>{"c/3", "a/1", "b/2"}));
}

TEST(Planner, CostPutsTheCheapestFirstAndUnpricedLast) {
  auto a = named("a/1"), b = named("b/2"), c = named("c/3");
  a.cost_usd = 0.02, c.cost_usd = 0.001;
  std::vector<Candidate> cs{a, b, c};
  const auto plan = planOrder(cs, with(Strategy::Cost), rng);
  EXPECT_EQ(names(cs, plan), (std::vector<std::string>{"c/3", "a/1", "b/2"}));
  EXPECT_EQ(plan.reason, "strategy=cost;order=c/3,a/1,b/2;cost_usd=0.001,0.02,?");
}

TEST(Planner, LeastBusyAndRoundRobin) {
  auto a = named("a/1"), b = named("b/2"), c = named("c/3");
  a.in_flight = 4, b.in_flight = 1, c.in_flight = 2;
  std::vector<Candidate> cs{a, b, c};
  EXPECT_EQ(names(cs, planOrder(cs, with(Strategy::LeastBusy), rng)), (std::vector<std::string>{"b/2", "c/3", "a/1"}));
  auto o = with(Strategy::RoundRobin);
  o.turn = 4;
  EXPECT_EQ(names(cs, planOrder(cs, o, rng)), (std::vector<std::string>{"b/2", "c/3", "a/1"})) << "4 % 3 = 1 step on";
}

TEST(Planner, WeightedFollowsTheWeights) {
  auto a = named("a/1"), b = named("b/2"), c = named("c/3");
  a.weight = 7, b.weight = 2, c.weight = 1;
  std::vector<Candidate> cs{a, b, c};
  std::map<std::string, int> first;
  for (int i = 0; i < 10000; ++i) ++first[cs[planOrder(cs, with(Strategy::Weighted), rng).order[0]].name];
  EXPECT_NEAR(first["a/1"], 7000, 300);
  EXPECT_NEAR(first["b/2"], 2000, 300);
  EXPECT_NEAR(first["c/3"], 1000, 300);
}

TEST(Planner, BalancedScoresCostLatencyAndErrorsWithinConstraints) {
  auto cheap_slow = named("cheap/slow"), dear_fast = named("dear/fast"), flaky = named("cheap/flaky");
  cheap_slow.cost_usd = 0.001, cheap_slow.ttft_ms = 900;
  dear_fast.cost_usd = 0.010, dear_fast.ttft_ms = 150;
  flaky.cost_usd = 0.001, flaky.ttft_ms = 150, flaky.error_rate = 0.9;
  std::vector<Candidate> cs{cheap_slow, dear_fast, flaky};
  auto o = with(Strategy::Balanced);
  o.stream = true;
  o.weights = {1, 1, 1};
  // cheap/slow 0.1 + 1 = 1.1; dear/fast 1 + 0.17 = 1.17; cheap/flaky 0.1 + 0.17 + 0.9 = 1.17
  EXPECT_EQ(names(cs, planOrder(cs, o, rng))[0], "cheap/slow");
  o.max_ttft_ms = 500;  // now the slow one breaks a constraint: used only when nothing else can
  const auto plan = planOrder(cs, o, rng);
  EXPECT_EQ(names(cs, plan).back(), "cheap/slow");
  EXPECT_NE(plan.reason.find("held_back=cheap/slow:max_ttft"), std::string::npos) << plan.reason;
  o.weights = {0, 1, 0};
  o.max_ttft_ms.reset();
  EXPECT_EQ(names(cs, planOrder(cs, o, rng))[0], "dear/fast") << "latency alone";
}

TEST(Planner, OpenCircuitsGoLastThenLimitsAndCapacityHoldBack) {
  auto a = named("a/1"), b = named("b/2"), c = named("c/3"), d = named("d/4");
  a.circuit_open = true;
  b.near_rate_limit = true;
  c.max_concurrency = 2, c.in_flight = 2;
  std::vector<Candidate> cs{a, b, c, d};
  const auto plan = planOrder(cs, with(Strategy::Fallback), rng);
  EXPECT_EQ(names(cs, plan), (std::vector<std::string>{"d/4", "b/2", "c/3", "a/1"}));
  EXPECT_NE(plan.reason.find("held_back=b/2:rate_limit,c/3:full,a/1:circuit_open"), std::string::npos) << plan.reason;
}

TEST(Planner, APromptTooLongForATargetsWindowTriesItLast) {
  auto small = named("small/m"), large = named("large/m");
  small.context_tokens = 8000;
  large.context_tokens = 200000;
  std::vector<Candidate> cs{small, large};
  auto o = with(Strategy::Fallback);
  o.prompt_tokens = 20000;
  const auto plan = planOrder(cs, o, rng);
  EXPECT_EQ(names(cs, plan), (std::vector<std::string>{"large/m", "small/m"}));
  EXPECT_NE(plan.reason.find("held_back=small/m:context"), std::string::npos) << plan.reason;
}

TEST(Planner, LocalFirstFillsLocalTargetsUpToCapacityThenSpillsToTheCloud) {
  auto cloud = named("cloud/m"), gpu = named("local/llama");
  gpu.local = true;
  gpu.max_concurrency = 2;
  std::vector<Candidate> cs{cloud, gpu};
  EXPECT_EQ(names(cs, planOrder(cs, with(Strategy::LocalFirst), rng)), (std::vector<std::string>{"local/llama", "cloud/m"}));
  cs[1].in_flight = 2;
  EXPECT_EQ(names(cs, planOrder(cs, with(Strategy::LocalFirst), rng)), (std::vector<std::string>{"cloud/m", "local/llama"}))
      << "full: the cloud first, the local model still behind it for when the cloud is down";
}

TEST(Planner, UnmeasuredTargetsGetALittleExplorationTraffic) {
  auto fast = named("fast/m"), fresh = named("recovered/m");
  fast.ttft_ms = 100;
  fresh.ttft_ms = 400;  // its figures are old: nothing in the window since it recovered
  fresh.samples = 0;
  std::vector<Candidate> cs{fast, fresh};
  auto o = with(Strategy::Latency);
  o.stream = true;
  o.explore = 0.1;
  int explored = 0;
  for (int i = 0; i < 5000; ++i) explored += cs[planOrder(cs, o, rng).order[0]].name == "recovered/m";
  EXPECT_NEAR(explored, 500, 100);
}

}  // namespace
}  // namespace katara::routing
