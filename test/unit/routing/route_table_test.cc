#include <gtest/gtest.h>

#include "katara/config/config.h"
#include "katara/routing/route_table.h"

using namespace katara;

namespace {

std::shared_ptr<const routing::RouteTable> build(const std::string& yaml) {
  auto loaded = config::parseConfig(yaml);
  EXPECT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  std::vector<std::string> errors;
  auto table = routing::RouteTable::build(*loaded.config, errors);
  EXPECT_TRUE(errors.empty());
  return table;
}

}  // namespace

TEST(RouteTable, RouteTimeoutsOverrideTheProvidersAndBoundTheWholeRequest) {
  auto table = build(R"(
providers:
  a: { kind: openai, base_url: http://127.0.0.1:1/v1, timeouts: { connect_ms: 100, idle_ms: 700 } }
models:
  m:
    timeouts: { idle_ms: 50, total_ms: 900 }
    targets: [ { provider: a, model: x } ]
  plain:
    targets: [ { provider: a, model: y } ]
)");
  const auto* m = table->find("m");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total.count(), 900);
  EXPECT_EQ(m->targets[0].timeouts.connect.count(), 100) << "the provider's, not overridden";
  EXPECT_EQ(m->targets[0].timeouts.idle.count(), 50) << "the route's override";
  const auto* plain = table->find("plain");
  EXPECT_EQ(plain->total.count(), 600000) << "default whole-request deadline";
  EXPECT_EQ(plain->targets[0].timeouts.idle.count(), 700);
  EXPECT_EQ(table->find("nope"), nullptr);
}

TEST(RouteTable, KeepsTargetOrderAndEndpoints) {
  auto table = build(R"(
providers:
  first:  { kind: openai, base_url: https://api.example.com/v1, api_key: k1 }
  second: { kind: openai, base_url: "http://[::1]:8080/v1" }
models:
  m: { targets: [ { provider: second, model: b }, { provider: first, model: a } ] }
)");
  const auto* m = table->find("m");
  ASSERT_EQ(m->targets.size(), 2u);
  EXPECT_EQ(m->targets[0].provider->name, "second");
  EXPECT_EQ(m->targets[0].provider->access.endpoint.host, "::1");
  EXPECT_TRUE(m->targets[1].provider->access.endpoint.tls);
  EXPECT_EQ(m->targets[1].provider->access.api_key, "k1");
  EXPECT_TRUE(table->hasEnabledTarget());
}

TEST(RouteTable, PricesComeFromPricingThenTheCatalogueAndOpenModelsCostNothing) {
  auto table = build(R"(
pricing:
  "claude/claude-sonnet-4-5": { input_per_mtok: 2, output_per_mtok: 9 }
providers:
  claude: { kind: anthropic, api_key: k }
  gpt:    { kind: openai, api_key: k }
  gpu:    { kind: openai, base_url: http://127.0.0.1:8000/v1 }
  azure:  { kind: azure, base_url: https://example.openai.azure.com, api_key: k }
models:
  m:
    targets: [ { provider: claude, model: claude-sonnet-4-5 }, { provider: claude, model: claude-haiku-4-5 },
               { provider: gpt, model: gpt-4.1-mini }, { provider: gpu, model: llama3 }, { provider: gpt, model: unlisted },
               { provider: azure, model: gpt-4.1-mini } ]
)");
  const auto& t = table->find("m")->targets;
  EXPECT_EQ(t[0].price->input_per_mtok, 2) << "katara.yaml's pricing wins";
  EXPECT_EQ(t[0].context_tokens, 200000) << "the window still comes from the catalogue";
  EXPECT_EQ(t[1].price->output_per_mtok, 5);
  EXPECT_EQ(t[1].price->cached_input_per_mtok, 0.10);
  EXPECT_EQ(t[2].price->input_per_mtok, 0.40);
  EXPECT_EQ(t[3].price->input_per_mtok, 0) << "a model on this machine";
  EXPECT_FALSE(t[4].price) << "not in the catalogue: no price";
  EXPECT_FALSE(t[5].price) << "an azure deployment is named by its owner";
}
