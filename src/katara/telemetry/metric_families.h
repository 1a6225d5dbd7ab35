#pragma once
// Internal to telemetry/: every metric family's axes and bucket bounds, and one worker's cells
// in the same shapes. The recording (gateway_metrics.cc) and the exposition (exposition.cc)
// both follow these.
#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "katara/telemetry/cells.h"
#include "katara/telemetry/gateway_metrics.h"

namespace katara::telemetry {

using core::UpstreamErrorKind;

// OpenTelemetry's advised bucket boundaries for GenAI durations (s) and token counts.
constexpr std::array<double, 14> kDurationBounds = {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64,
                                                     1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
constexpr std::array<double, 14> kTokenBounds = {1,      4,       16,      64,       256,      1024,     4096,
                                                 16384,  65536,   262144,  1048576,  4194304,  16777216, 67108864};
// What Katara adds is measured in microseconds to milliseconds.
constexpr std::array<double, 14> kOverheadBounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                    0.01,    0.025,  0.05,    0.1,    0.25,  0.5,    1};
constexpr std::array<double, 11> kTokensPerSecondBounds = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};

constexpr std::size_t kKinds = core::kUpstreamErrorKinds;
constexpr std::array<std::string_view, 6> kOperations = {"chat", "text_completion", "embeddings",
                                                         "count_tokens", "models", ""};
constexpr std::size_t kGenAiOperations = 3;  // chat, text_completion, embeddings

inline std::size_t kindIndex(UpstreamErrorKind kind) { return static_cast<std::size_t>(kind); }

inline std::size_t statusClass(int status) {
  if (status < 100 || status > 599) return 4;  // nothing answered counts with the server errors
  return static_cast<std::size_t>(status / 100 - 1);
}

// OpenTelemetry's well-known gen_ai.provider.name for a provider kind, where it has one.
inline std::string genAiProviderName(std::string_view kind) {
  if (kind == "gemini") return "gcp.gemini";
  if (kind == "azure") return "azure.ai.openai";
  return std::string(kind);
}

inline double seconds(std::int64_t us) { return static_cast<double>(us) / 1e6; }


// Every family's axes, built once from the layout; the workers' cells follow these shapes.
struct Families {
  explicit Families(MetricsLayout l) : layout(std::move(l)) {
    operation.labels = {"operation"};
    for (auto op : kOperations) operation.values.push_back({std::string(op)});
    gen_ai_operation.labels = {"gen_ai_operation_name"};
    for (std::size_t i = 0; i < kGenAiOperations; ++i) gen_ai_operation.values.push_back({std::string(kOperations[i])});
    alias.labels = {"alias"};
    gen_ai_alias.labels = {"gen_ai_request_model"};
    for (const auto& a : layout.aliases) {
      alias.values.push_back({a});
      gen_ai_alias.values.push_back({a});
    }
    alias.values.push_back({""});  // no configured model was named
    gen_ai_alias.values.push_back({""});
    target.labels = {"provider", "model"};
    gen_ai_target.labels = {"gen_ai_provider_name", "katara_provider", "gen_ai_request_model"};
    for (const auto& t : layout.targets) {
      target.values.push_back({t.provider, t.model});
      gen_ai_target.values.push_back({genAiProviderName(t.provider_kind), t.provider, t.model});
    }
    served = target;
    served.values.push_back({"", ""});  // no target answered
    status_class.labels = {"status_class"};
    for (const char* c : {"1xx", "2xx", "3xx", "4xx", "5xx"}) status_class.values.push_back({c});
    kind.labels = {"kind"};
    error_type.labels = {"error_type"};
    for (std::size_t k = 0; k < kKinds; ++k) {
      const auto name = std::string(core::toString(static_cast<UpstreamErrorKind>(k)));
      kind.values.push_back({name});
      error_type.values.push_back({k == 0 ? "" : name});
    }
    gen_ai_token_type.labels = {"gen_ai_token_type"};
    gen_ai_token_type.values = {{"input"}, {"output"}};
    token_type.labels = {"type"};
    token_type.values = {{"input"}, {"output"}, {"cached"}};

    requests = Shape({&operation, &alias, &served, &status_class});
    request_duration = Shape({&gen_ai_operation, &gen_ai_alias, &status_class});
    time_to_first_token = Shape({&gen_ai_operation, &gen_ai_alias});
    overhead = Shape({&operation});
    per_alias = Shape({&alias});
    attempt_duration = Shape({&gen_ai_operation, &gen_ai_target, &error_type});
    per_target_op = Shape({&gen_ai_operation, &gen_ai_target});
    per_target = Shape({&target});
    upstream_errors = Shape({&target, &kind});
    token_usage = Shape({&gen_ai_operation, &gen_ai_target, &gen_ai_token_type});
    tokens = Shape({&target, &token_type});
    cost = Shape({&alias, &target});
  }

  MetricsLayout layout;
  Dimension operation, gen_ai_operation, alias, gen_ai_alias, target, gen_ai_target, served, status_class, kind,
      error_type, gen_ai_token_type, token_type;
  Shape requests, request_duration, time_to_first_token, overhead, per_alias, attempt_duration, per_target_op,
      per_target, upstream_errors, token_usage, tokens, cost;
};

template <typename Cell>
inline std::unique_ptr<Cell[]> cellsFor(const Shape& shape) {
  return std::make_unique<Cell[]>(shape.cells());
}

inline std::unique_ptr<Histogram[]> histogramsFor(const Shape& shape, std::span<const double> bounds) {
  auto cells = std::make_unique<Histogram[]>(shape.cells());
  for (std::size_t i = 0; i < shape.cells(); ++i) cells[i].init(bounds);
  return cells;
}

struct WorkerMetrics::Cells {
  explicit Cells(const Families& f)
      : requests(cellsFor<Counter>(f.requests)),
        request_duration(histogramsFor(f.request_duration, kDurationBounds)),
        time_to_first_token(histogramsFor(f.time_to_first_token, kDurationBounds)),
        overhead(histogramsFor(f.overhead, kOverheadBounds)),
        retries(cellsFor<Counter>(f.per_alias)),
        failovers(cellsFor<Counter>(f.per_alias)),
        hedges(cellsFor<Counter>(f.per_alias)),
        continuations(cellsFor<Counter>(f.per_alias)),
        streams_broken(cellsFor<Counter>(f.per_alias)),
        attempt_duration(histogramsFor(f.attempt_duration, kDurationBounds)),
        time_to_first_chunk(histogramsFor(f.per_target_op, kDurationBounds)),
        time_per_output_chunk(histogramsFor(f.per_target_op, core::kEventGapBounds)),
        tokens_per_second(histogramsFor(f.per_target, kTokensPerSecondBounds)),
        upstream_errors(cellsFor<Counter>(f.upstream_errors)),
        skipped(cellsFor<Counter>(f.upstream_errors)),
        token_usage(histogramsFor(f.token_usage, kTokenBounds)),
        tokens(cellsFor<Counter>(f.tokens)),
        cost(cellsFor<Sum>(f.cost)) {}

  Level in_flight;
  std::unique_ptr<Counter[]> requests;
  std::unique_ptr<Histogram[]> request_duration, time_to_first_token, overhead;
  std::unique_ptr<Counter[]> retries, failovers, hedges, continuations, streams_broken;
  std::unique_ptr<Histogram[]> attempt_duration, time_to_first_chunk, time_per_output_chunk, tokens_per_second;
  std::unique_ptr<Counter[]> upstream_errors, skipped;
  std::unique_ptr<Histogram[]> token_usage;
  std::unique_ptr<Counter[]> tokens;
  std::unique_ptr<Sum[]> cost;
};

}  // namespace katara::telemetry
