#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "katara/sim/sim_config.h"

using namespace katara::sim;

TEST(SimConfig, ParsesProvidersModelsAndFaults) {
  auto r = parseSimConfig(R"(
control: 127.0.0.1:0
seed: 3
providers:
  p:
    listen: 127.0.0.1:0
    faults: { error_rate: 0.5, error_statuses: [502, 503] }
    models:
      m1: { ttft_ms: { mean: 100, jitter: 10 }, tokens_per_second: 20, answer_tokens: 5 }
      m2: { faults: { cut_after_tokens: 3, outage: { start_s: 1, duration_s: 2, mode: reset } } }
)");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  const auto& p = r.config->providers.at(0);
  EXPECT_EQ(p.faults.error_statuses, (std::vector<int>{502, 503}));
  EXPECT_DOUBLE_EQ(p.models.at("m1").ttft_ms.jitter, 10);
  EXPECT_FALSE(p.models.at("m1").faults);
  const auto& f2 = *p.models.at("m2").faults;
  EXPECT_EQ(f2.cut_after_tokens, 3);
  EXPECT_DOUBLE_EQ(f2.error_rate, 0.5) << "model faults start from the provider's";
  EXPECT_TRUE(f2.outage.activeAt(1.5));
  EXPECT_FALSE(f2.outage.activeAt(3.5));
}

TEST(SimFaults, RejectsUnknownFaultsAndBadValues) {
  Faults f;
  std::vector<std::string> errors;
  mergeFaults(boost::json::parse(R"({"error_rate": 2, "gremlins": true})"), "faults", f, errors);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_DOUBLE_EQ(f.error_rate, 0);
}

TEST(SimConfig, NonScalarKeysAreErrorsNotCrashes) {
  auto r = parseSimConfig("providers:\n  ? [p]\n  : { listen: 127.0.0.1:0, models: { m: {} } }\n");
  EXPECT_FALSE(r.config);
  EXPECT_FALSE(r.errors.empty());
}
