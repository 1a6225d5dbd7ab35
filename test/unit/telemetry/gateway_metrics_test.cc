#include "katara/telemetry/gateway_metrics.h"

#include <gtest/gtest.h>

#include <regex>

namespace katara::telemetry {
namespace {

MetricsLayout twoTargets() {
  MetricsLayout l;
  l.aliases = {"fast", "smart"};
  l.targets = {{"openai", "openai", "gpt-x"}, {"vertex", "gemini", "gem-y"}};
  return l;
}

core::RequestTrace chatServedBy(int alias, int target, int status = 200) {
  core::RequestTrace t;
  t.operation = "chat";
  t.alias_index = alias;
  t.status = status;
  t.duration_us = 120000;
  core::AttemptTrace a;
  a.target_index = target;
  a.duration_us = 100000;
  a.usage = core::Usage{10, 5, 4, 0, 0};
  a.cost_usd = 0.25;
  t.attempts.push_back(a);
  t.served_attempt = 0;
  return t;
}

// The value of the sample line `line` starts with (labels included), or -1 when absent.
double valueOf(const std::string& text, const std::string& line) {
  std::string needle = "\n";
  needle += line;
  needle += ' ';
  const auto at = text.find(needle);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + needle.size()));
}

TEST(GatewayMetrics, SumsEveryWorkersCellsAtScrape) {
  Metrics metrics(twoTargets(), 2);
  metrics.worker(0).requestStarted();
  metrics.worker(0).requestEnded(chatServedBy(0, 0));
  metrics.worker(1).requestStarted();
  metrics.worker(1).requestEnded(chatServedBy(0, 0));
  metrics.worker(1).requestStarted();
  metrics.worker(1).requestEnded(chatServedBy(1, 1, 503));
  const auto text = metrics.expose({});
  EXPECT_EQ(valueOf(text, R"(katara_requests_total{operation="chat",alias="fast",provider="openai",model="gpt-x",status_class="2xx"})"), 2);
  EXPECT_EQ(valueOf(text, R"(katara_requests_total{operation="chat",alias="smart",provider="vertex",model="gem-y",status_class="5xx"})"), 1);
  EXPECT_EQ(valueOf(text, R"(katara_tokens_total{provider="openai",model="gpt-x",type="input"})"), 28) << "cached included";
  EXPECT_EQ(valueOf(text, R"(katara_tokens_total{provider="openai",model="gpt-x",type="cached"})"), 8);
  EXPECT_DOUBLE_EQ(valueOf(text, R"(katara_cost_usd_total{alias="fast",provider="openai",model="gpt-x"})"), 0.5);
  EXPECT_EQ(valueOf(text, "katara_requests_in_flight"), 0);
  // OpenTelemetry's names and provider names; the histogram buckets are cumulative.
  const std::string gen = R"(gen_ai_operation_name="chat",gen_ai_provider_name="gcp.gemini",katara_provider="vertex",gen_ai_request_model="gem-y")";
  EXPECT_EQ(valueOf(text, "gen_ai_client_operation_duration_seconds_count{" + gen + "}"), 1);
  EXPECT_EQ(valueOf(text, "gen_ai_client_operation_duration_seconds_bucket{" + gen + R"(,le="0.08"})"), 0);
  EXPECT_EQ(valueOf(text, "gen_ai_client_operation_duration_seconds_bucket{" + gen + R"(,le="0.16"})"), 1);
  EXPECT_EQ(valueOf(text, "gen_ai_client_operation_duration_seconds_bucket{" + gen + R"(,le="+Inf"})"), 1);
  EXPECT_EQ(valueOf(text, R"(gen_ai_server_request_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_request_model="fast",status_class="2xx"})"), 2);
}

TEST(GatewayMetrics, CountsRetriesFailoversAndErrorsByKind) {
  Metrics metrics(twoTargets(), 1);
  auto t = chatServedBy(0, 1);
  core::AttemptTrace failed;
  failed.target_index = 0;
  failed.kind = core::UpstreamErrorKind::RateLimited;
  failed.duration_us = 3000;
  core::AttemptTrace skipped;
  skipped.target_index = 0;
  skipped.kind = core::UpstreamErrorKind::CircuitOpen;
  t.attempts.insert(t.attempts.begin(), {failed, skipped});
  t.served_attempt = 2;
  t.failovers = 1;
  t.retries = 2;
  metrics.worker(0).requestStarted();
  metrics.worker(0).requestEnded(t);
  const auto text = metrics.expose({});
  EXPECT_EQ(valueOf(text, R"(katara_upstream_errors_total{provider="openai",model="gpt-x",kind="rate_limited"})"), 1);
  EXPECT_EQ(valueOf(text, R"(katara_targets_skipped_total{provider="openai",model="gpt-x",kind="circuit_open"})"), 1);
  EXPECT_EQ(text.find(R"(katara_upstream_errors_total{provider="openai",model="gpt-x",kind="circuit_open"})"), std::string::npos)
      << "a skipped target is not an upstream error";
  EXPECT_EQ(valueOf(text, R"(katara_failovers_total{alias="fast"})"), 1);
  EXPECT_EQ(valueOf(text, R"(katara_retries_total{alias="fast"})"), 2);
  EXPECT_EQ(valueOf(text, R"(gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="openai",katara_provider="openai",gen_ai_request_model="gpt-x",error_type="rate_limited"})"), 1);
}

TEST(GatewayMetrics, RequestsWithoutARouteHaveNoAliasLabel) {
  Metrics metrics(twoTargets(), 1);
  core::RequestTrace t;
  t.operation = "chat";
  t.alias = "made-up-by-a-client";
  t.status = 404;
  metrics.worker(0).requestStarted();
  metrics.worker(0).requestEnded(t);
  const auto text = metrics.expose({});
  EXPECT_EQ(valueOf(text, R"(katara_requests_total{operation="chat",status_class="4xx"})"), 1);
  EXPECT_EQ(text.find("made-up-by-a-client"), std::string::npos);
}

TEST(GatewayMetrics, StreamGapsMergeIntoTheChunkHistogram) {
  Metrics metrics(twoTargets(), 1);
  auto t = chatServedBy(0, 0);
  auto& gaps = t.attempts[0].gaps;
  const auto t0 = std::chrono::steady_clock::now();
  gaps.note(t0);
  gaps.note(t0 + std::chrono::milliseconds(3));
  gaps.note(t0 + std::chrono::milliseconds(6));
  gaps.note(t0 + std::chrono::milliseconds(206));
  metrics.worker(0).requestStarted();
  metrics.worker(0).requestEnded(t);
  const auto text = metrics.expose({});
  const std::string series = R"(gen_ai_client_operation_time_per_output_chunk_seconds_bucket{gen_ai_operation_name="chat",gen_ai_provider_name="openai",katara_provider="openai",gen_ai_request_model="gpt-x",le=)";
  EXPECT_EQ(valueOf(text, series + R"("0.005"})"), 2);
  EXPECT_EQ(valueOf(text, series + R"("0.25"})"), 3);
  EXPECT_EQ(valueOf(text, R"(gen_ai_client_operation_time_per_output_chunk_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="openai",katara_provider="openai",gen_ai_request_model="gpt-x"})"), 3);
}

TEST(GatewayMetrics, ExposesLiveGaugesAndCounters) {
  Metrics metrics(twoTargets(), 1);
  GaugeFamily circuit{"katara_circuit_state", "help", {{{{"provider", "openai"}, {"model", "gpt-x"}}, 2}}};
  GaugeFamily written{"katara_store_rows_written_total", "help", {{{}, 7}}, true};
  const auto text = metrics.expose({circuit, written});
  EXPECT_NE(text.find("# TYPE katara_circuit_state gauge"), std::string::npos);
  EXPECT_EQ(valueOf(text, R"(katara_circuit_state{provider="openai",model="gpt-x"})"), 2);
  EXPECT_NE(text.find("# TYPE katara_store_rows_written_total counter"), std::string::npos);
  EXPECT_EQ(valueOf(text, "katara_store_rows_written_total"), 7);
}

}  // namespace
}  // namespace katara::telemetry
