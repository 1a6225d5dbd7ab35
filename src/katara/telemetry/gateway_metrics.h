#pragma once
// Katara's metrics: recorded per worker into its own cells (telemetry/cells.h), summed over the
// workers when Prometheus scrapes. Names follow the OpenTelemetry GenAI semantic conventions
// where they define one (gen_ai_*), the rest are katara_*; docs/observability.md lists them.
#include <memory>
#include <string>
#include <vector>

#include "katara/core/request_trace.h"
#include "katara/telemetry/dimension.h"

namespace katara::telemetry {

// The label values the metrics can take, fixed when the route table is built.
struct MetricsLayout {
  std::vector<std::string> aliases;  // RequestTrace::alias_index points here
  struct Target {
    std::string provider;       // the configured name
    std::string provider_kind;  // openai, anthropic, gemini, ...
    std::string model;
  };
  std::vector<Target> targets;  // AttemptTrace::target_index points here
};

// Figures read at scrape time from live state the metrics do not own (circuits, pools, the
// request log's counters): gauges, or counters kept elsewhere.
struct GaugeFamily {
  std::string name;
  std::string help;
  std::vector<std::pair<LabelPairs, double>> samples;
  bool counter = false;

  // A family of one unlabelled sample.
  static GaugeFamily single(std::string name, std::string help, double value, bool counter) {
    return {std::move(name), std::move(help), {{{}, value}}, counter};
  }
};

// The operations a request can be (the `operation` label); the first three are GenAI operations.
enum class Operation { Chat, TextCompletion, Embeddings, CountTokens, Models, None };
Operation operationOf(std::string_view name);

struct Families;
class Metrics;

// One worker's cells. Used on that worker's thread only.
class WorkerMetrics {
 public:
  explicit WorkerMetrics(const Families& families);
  ~WorkerMetrics();
  WorkerMetrics(const WorkerMetrics&) = delete;
  WorkerMetrics& operator=(const WorkerMetrics&) = delete;

  void requestStarted();
  // Everything `trace` says, once the request has ended (its in-flight count with it).
  void requestEnded(const core::RequestTrace& trace);

  struct Cells;

 private:
  friend class Metrics;
  const Families& families_;
  std::unique_ptr<Cells> cells_;
};

class Metrics {
 public:
  Metrics(MetricsLayout layout, unsigned workers);
  ~Metrics();
  WorkerMetrics& worker(unsigned index) { return *workers_[index]; }
  // The Prometheus text format of every worker's cells summed, then `gauges`.
  std::string expose(const std::vector<GaugeFamily>& gauges) const;

 private:
  std::unique_ptr<Families> families_;
  std::vector<std::unique_ptr<WorkerMetrics>> workers_;
};

}  // namespace katara::telemetry
