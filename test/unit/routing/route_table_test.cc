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
