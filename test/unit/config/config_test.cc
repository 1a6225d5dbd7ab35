#include <gtest/gtest.h>

#include <cstdlib>

#include "katara/config/config.h"
#include "config/config_test_support.h"
#include "katara/config/env_subst.h"

using namespace katara::config;

namespace {

const char* kMinimal = R"(
listen: 127.0.0.1:4000
providers:
  a: { kind: openai, base_url: http://127.0.0.1:9001/v1, api_key: k }
models:
  m:
    strategy: fallback
    targets: [ { provider: a, model: x } ]
)";

using katara::config::testing::hasError;

}  // namespace

TEST(Config, ParsesTheDocumentedSchema) {
  auto r = parseConfig(R"(
listen: 0.0.0.0:4100
workers: 3
api_keys: [ "sk-1", "sk-2" ]
providers:
  a:
    kind: openai
    base_url: https://api.example.com/v1/
    api_key: secret
    timeouts: { connect_ms: 100, first_byte_ms: 200, idle_ms: 300, total_ms: 400 }
models:
  smart:
    strategy: fallback
    targets:
      - { provider: a, model: gpt-x }
)");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  const auto& c = *r.config;
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 4100);
  EXPECT_EQ(c.workers, 3u);
  EXPECT_EQ(c.api_keys.size(), 2u);
  const auto& p = c.providers.at("a");
  EXPECT_EQ(p.base_url, "https://api.example.com/v1");  // trailing slash dropped
  EXPECT_EQ(p.timeouts.connect.count(), 100);
  EXPECT_EQ(p.timeouts.total.count(), 400);
  EXPECT_EQ(c.models.at("smart").targets.at(0).model, "gpt-x");
}

TEST(Config, UnknownKeyIsReportedWithItsPath) {
  auto r = parseConfig(std::string(kMinimal) + "\nbogus: 1\n");
  EXPECT_FALSE(r.config);
  EXPECT_TRUE(hasError(r, "bogus: unknown key"));
  auto nested = parseConfig(R"(
providers:
  a: { kind: openai, base_url: http://x/v1, timeouts: { conect_ms: 5 } }
models:
  m: { targets: [ { provider: a, model: x } ] }
)");
  EXPECT_TRUE(hasError(nested, "providers.a.timeouts.conect_ms: unknown key"));
}

TEST(Config, WrongTypeNamesThePath) {
  auto r = parseConfig(R"(
providers:
  a: { kind: openai, base_url: http://x/v1, timeouts: { connect_ms: soon } }
models:
  m: { targets: [ { provider: a, model: x } ] }
)");
  EXPECT_TRUE(hasError(r, "providers.a.timeouts.connect_ms: expected an integer"));
}

TEST(Config, DanglingProviderReferenceIsAnError) {
  auto r = parseConfig(R"(
providers:
  a: { kind: openai, base_url: http://x/v1 }
models:
  m: { targets: [ { provider: a, model: x }, { provider: ghost, model: y } ] }
)");
  EXPECT_TRUE(hasError(r, "models.m.targets[1].provider: no provider named \"ghost\""));
}

TEST(Config, UnsetKeyVariableDisablesTheProviderInsteadOfFailing) {
  ::unsetenv("KATARA_TEST_UNSET_KEY");
  auto r = parseConfig(R"(
providers:
  a: { kind: openai, base_url: http://x/v1, api_key: "${KATARA_TEST_UNSET_KEY}" }
models:
  m: { targets: [ { provider: a, model: x } ] }
)");
  ASSERT_TRUE(r.config);
  const auto& p = r.config->providers.at("a");
  EXPECT_FALSE(p.enabled);
  EXPECT_NE(p.disabled_reason.find("KATARA_TEST_UNSET_KEY"), std::string::npos);
  EXPECT_TRUE(p.api_key.empty());
  EXPECT_FALSE(r.config->hasEnabledTarget());
}

TEST(Config, EnvironmentIsSubstitutedEverywhere) {
  ::setenv("KATARA_TEST_PORT", "4321", 1);
  auto r = parseConfig(R"(
listen: 127.0.0.1:${KATARA_TEST_PORT}
providers:
  a: { kind: openai, base_url: "http://127.0.0.1:${KATARA_TEST_PORT}/v1" }
models:
  m: { targets: [ { provider: a, model: x } ] }
)");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->listen_port, 4321);
  EXPECT_EQ(r.config->providers.at("a").base_url, "http://127.0.0.1:4321/v1");
}

TEST(Config, UnknownKindAndStrategyAreErrors) {
  auto r = parseConfig(R"(
providers:
  a: { kind: carrier-pigeon, base_url: http://x/v1 }
models:
  m: { strategy: vibes, targets: [ { provider: a, model: x } ] }
)");
  EXPECT_TRUE(hasError(r, "providers.a.kind"));
  EXPECT_TRUE(hasError(r, "models.m.strategy"));
}

TEST(Config, SyntaxErrorNamesTheLine) {
  auto r = parseConfig("providers:\n  a: [unclosed\n");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].find("line"), std::string::npos);
}

TEST(EnvSubst, DefaultsDollarEscapesAndMalformedReferences) {
  EnvLookup env = [](const std::string& n) -> std::optional<std::string> {
    if (n == "SET") return std::string("v");
    return std::nullopt;
  };
  EXPECT_EQ(substituteEnv("a${SET}b", env).text, "avb");
  EXPECT_EQ(substituteEnv("${MISSING:-dflt}", env).text, "dflt");
  EXPECT_EQ(substituteEnv("$$5", env).text, "$5");
  auto unset = substituteEnv("${MISSING}", env);
  ASSERT_EQ(unset.unset.size(), 1u);
  EXPECT_EQ(unset.unset[0], "MISSING");
  EXPECT_FALSE(substituteEnv("${OPEN", env).error.empty());
}

TEST(SplitHostPort, AcceptsIpv4NamesAndBracketedIpv6) {
  std::string h;
  std::uint16_t p = 0;
  EXPECT_TRUE(splitHostPort("[::1]:8080", h, p));
  EXPECT_EQ(h, "::1");
  EXPECT_EQ(p, 8080);
  EXPECT_TRUE(splitHostPort("localhost:1", h, p));
  EXPECT_FALSE(splitHostPort("localhost", h, p));
  EXPECT_FALSE(splitHostPort("h:99999", h, p));
}

TEST(Config, NonScalarMappingKeysAreErrorsNotCrashes) {
  // Found by config_fuzz: yaml-cpp threw on converting a sequence key to a string.
  auto r = parseConfig("? [a, b]\n: 1\nproviders:\n  ? {x: 1}\n  : { kind: openai }\nmodels: {}\n");
  EXPECT_FALSE(r.config);
  EXPECT_TRUE(hasError(r, "mapping keys must be plain strings"));
}

TEST(Config, EachKindHasItsDefaultBaseUrl) {
  auto r = parseConfig(R"(
providers:
  claude: { kind: anthropic, api_key: k }
  gpt: { api_key: k }
models:
  m: { targets: [ { provider: claude, model: x }, { provider: gpt, model: y } ] }
)");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.config->providers.at("claude").base_url, "https://api.anthropic.com");
  EXPECT_EQ(r.config->providers.at("gpt").base_url, "https://api.openai.com/v1");
}

TEST(Config, PrefillDefaultsByKindAndIsSetPerProviderOrTarget) {
  auto r = parseConfig(R"(
providers:
  claude: { kind: anthropic, api_key: k }
  gpt:    { kind: openai, api_key: k }
  vllm:   { kind: openai, base_url: http://127.0.0.1:8000/v1, prefill: true }
models:
  m:
    targets: [ { provider: claude, model: c }, { provider: claude, model: new, prefill: false }, { provider: gpt, model: g } ]
)");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_TRUE(r.config->providers.at("claude").prefill);
  EXPECT_FALSE(r.config->providers.at("gpt").prefill);
  EXPECT_TRUE(r.config->providers.at("vllm").prefill);
  const auto& targets = r.config->models.at("m").targets;
  EXPECT_FALSE(targets[0].prefill.has_value());
  EXPECT_EQ(targets[1].prefill, false);
  EXPECT_TRUE(hasError(parseConfig("providers:\n  a: { kind: openai, api_key: k, prefill: maybe }\n"), "providers.a.prefill"));
}

TEST(Config, HedgeTakesAFixedDelayOrAPercentile) {
  const std::string head = "providers:\n  a: { kind: openai, api_key: k }\nmodels:\n  m:\n    targets: [ { provider: a, model: x } ]\n";
  auto r = parseConfig(head + "    hedge: { percentile: 95 }\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.config->models.at("m").hedge.percentile, 95.0);
  EXPECT_EQ(r.config->models.at("m").hedge.after, Millis(2000)) << "the delay until the percentile is known";
  EXPECT_TRUE(hasError(parseConfig(head + "    hedge: { percentile: 100 }\n"), "hedge.percentile"));
  EXPECT_TRUE(hasError(parseConfig(head + "    hedge: { budget_percent: 5 }\n"), "hedge.after_ms"));
}
