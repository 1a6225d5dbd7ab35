#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "katara/config/config.h"
#include "config/config_test_support.h"

using namespace katara::config;

namespace {

const std::string kBase = R"(
providers:
  a: { kind: openai, base_url: http://127.0.0.1:9001/v1, api_key: k }
models:
  m: { targets: [ { provider: a, model: x } ] }
)";

using katara::config::testing::hasError;

}  // namespace

TEST(ObservabilityConfig, DefaultsNeedNoKeys) {
  auto r = parseConfig(kBase);
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->store.sqlite, "katara.db");
  EXPECT_EQ(r.config->store.flush_interval.count(), 200);
  EXPECT_FALSE(r.config->store.capture_bodies);
  EXPECT_TRUE(r.config->admin.api_key.empty());
  EXPECT_TRUE(r.config->admin.listen_host.empty());
  EXPECT_TRUE(r.config->tracing.otlp_endpoint.empty());
}

TEST(ObservabilityConfig, ReadsEveryKey) {
  auto r = parseConfig(kBase + R"(
store: { sqlite: /var/lib/katara/log.db, flush_interval_ms: 50, queue_rows: 100, journal: /tmp/j, retention_days: 7,
         max_mb: 64, capture_bodies: true, capture_max_bytes: 1024 }
admin: { api_key: adm, listen: 127.0.0.1:4001 }
tracing: { otlp_endpoint: "http://collector:4318", service_name: gw }
)");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  const auto& c = *r.config;
  EXPECT_EQ(c.store.sqlite, "/var/lib/katara/log.db");
  EXPECT_EQ(c.store.flush_interval.count(), 50);
  EXPECT_EQ(c.store.queue_rows, 100);
  EXPECT_EQ(c.store.journal, "/tmp/j");
  EXPECT_EQ(c.store.retention_days, 7);
  EXPECT_EQ(c.store.max_mb, 64);
  EXPECT_TRUE(c.store.capture_bodies);
  EXPECT_EQ(c.store.capture_max_bytes, 1024);
  EXPECT_EQ(c.admin.api_key, "adm");
  EXPECT_EQ(c.admin.listen_host, "127.0.0.1");
  EXPECT_EQ(c.admin.listen_port, 4001);
  EXPECT_EQ(c.tracing.otlp_endpoint, "http://collector:4318");
  EXPECT_EQ(c.tracing.service_name, "gw");
}

TEST(ObservabilityConfig, MistakesNameTheirPath) {
  auto r = parseConfig(kBase + R"(
store: { sqlite: "", flush_interval_ms: 0, colour: red }
admin: { api_key: "", listen: nowhere }
tracing: { otlp_endpoint: "collector:4318" }
)");
  EXPECT_FALSE(r.config);
  EXPECT_TRUE(hasError(r, "store.sqlite"));
  EXPECT_TRUE(hasError(r, "store.flush_interval_ms"));
  EXPECT_TRUE(hasError(r, "store.colour"));
  EXPECT_TRUE(hasError(r, "admin.api_key"));
  EXPECT_TRUE(hasError(r, "admin.listen"));
  EXPECT_TRUE(hasError(r, "tracing.otlp_endpoint"));
}

TEST(ObservabilityConfig, TheDatabaseLivesBesideTheConfigFile) {
  const auto dir = std::filesystem::temp_directory_path() / "katara-config-store";
  std::filesystem::create_directories(dir);
  const auto file = dir / "katara.yaml";
  std::ofstream(file) << kBase << "store: { journal: spill.jsonl }\n";
  auto r = loadConfigFile(file.string());
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->store.sqlite, (dir / "katara.db").string());
  EXPECT_EQ(r.config->store.journal, (dir / "spill.jsonl").string());
  std::filesystem::remove_all(dir);
}
