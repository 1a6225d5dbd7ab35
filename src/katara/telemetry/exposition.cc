// The Prometheus exposition: every worker's cells summed, serialised by prometheus-cpp.
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <limits>
#include <sstream>

#include "katara/telemetry/gateway_metrics.h"
#include "katara/telemetry/metric_families.h"

namespace katara::telemetry {

namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::vector<ClientMetric::Label> labelsOf(const LabelPairs& pairs) {
  std::vector<ClientMetric::Label> out;
  for (const auto& [name, value] : pairs) out.push_back({name, value});
  return out;
}

}  // namespace

std::string Metrics::expose(const std::vector<GaugeFamily>& gauges) const {
  const Families& f = *families_;
  std::vector<MetricFamily> out;
  using HistogramCells = std::unique_ptr<Histogram[]> WorkerMetrics::Cells::*;

  // Counters of whole numbers (Counter cells) and of amounts (Sum cells: USD) alike.
  auto counter = [&]<typename Cell>(std::string name, std::string help, const Shape& shape,
                                     std::unique_ptr<Cell[]> WorkerMetrics::Cells::*cells) {
    MetricFamily family{std::move(name), std::move(help), MetricType::Counter, {}};
    for (std::size_t i = 0; i < shape.cells(); ++i) {
      double total = 0;
      for (const auto& w : workers_) total += static_cast<double>(((*w->cells_).*cells)[i].value());
      if (total == 0) continue;
      ClientMetric m;
      m.label = labelsOf(shape.labels(i));
      m.counter.value = total;
      family.metric.push_back(std::move(m));
    }
    out.push_back(std::move(family));
  };
  auto histogram = [&](std::string name, std::string help, const Shape& shape, HistogramCells cells) {
    MetricFamily family{std::move(name), std::move(help), MetricType::Histogram, {}};
    for (std::size_t i = 0; i < shape.cells(); ++i) {
      const auto bounds = ((*workers_.front()->cells_).*cells)[i].bounds();
      std::vector<std::uint64_t> counts(bounds.size() + 1, 0);
      double sum = 0;
      for (const auto& w : workers_) {
        const Histogram& h = ((*w->cells_).*cells)[i];
        for (std::size_t b = 0; b < counts.size(); ++b) counts[b] += h.bucket(b);
        sum += h.sum();
      }
      std::uint64_t cumulative = 0;
      ClientMetric m;
      for (std::size_t b = 0; b < counts.size(); ++b) {
        cumulative += counts[b];
        const double bound = b < bounds.size() ? bounds[b] : std::numeric_limits<double>::infinity();
        m.histogram.bucket.push_back({cumulative, bound});
      }
      if (cumulative == 0) continue;
      m.histogram.sample_count = cumulative;
      m.histogram.sample_sum = sum;
      m.label = labelsOf(shape.labels(i));
      family.metric.push_back(std::move(m));
    }
    out.push_back(std::move(family));
  };
  using C = WorkerMetrics::Cells;

  counter("katara_requests_total", "Requests by operation, alias, the provider and model that answered, and status class.",
          f.requests, &C::requests);
  histogram("gen_ai_server_request_duration_seconds", "Requests from arrival to their last byte, as the client saw them.",
            f.request_duration, &C::request_duration);
  histogram("gen_ai_server_time_to_first_token_seconds", "Streams: from arrival to the client's first content.",
            f.time_to_first_token, &C::time_to_first_token);
  histogram("katara_gateway_overhead_seconds",
            "Time a request spent in Katara outside every upstream attempt (before the first, after the last).",
            f.overhead, &C::overhead);
  counter("katara_retries_total", "Attempts on the target the previous attempt tried.", f.per_alias, &C::retries);
  counter("katara_failovers_total", "Attempts on another target after a failure.", f.per_alias, &C::failovers);
  counter("katara_hedges_total", "Second attempts started beside a slow first one.", f.per_alias, &C::hedges);
  counter("katara_stream_continuations_total", "Attempts that carried on a stream another target broke off.", f.per_alias,
          &C::continuations);
  counter("katara_streams_broken_total", "Committed streams that ended with an in-band error.", f.per_alias, &C::streams_broken);
  histogram("gen_ai_client_operation_duration_seconds", "Upstream attempts, start to end, by outcome (error_type).",
            f.attempt_duration, &C::attempt_duration);
  histogram("gen_ai_client_operation_time_to_first_chunk_seconds",
            "Streamed attempts: from the request sent to the first content.", f.per_target_op, &C::time_to_first_chunk);
  histogram("gen_ai_client_operation_time_per_output_chunk_seconds", "Streamed attempts: the time between events.",
            f.per_target_op, &C::time_per_output_chunk);
  histogram("katara_output_tokens_per_second", "Streamed attempts: output tokens per second after the first.",
            f.per_target, &C::tokens_per_second);
  counter("katara_upstream_errors_total", "Failed upstream attempts by outcome class (UpstreamErrorKind).",
          f.upstream_errors, &C::upstream_errors);
  counter("katara_targets_skipped_total", "Targets passed over without a request (circuit open, disabled, untranslatable).",
          f.upstream_errors, &C::skipped);
  histogram("gen_ai_client_token_usage", "Tokens per attempt, input (cached included) and output.", f.token_usage,
            &C::token_usage);
  counter("katara_tokens_total", "Tokens billed by providers: input (cached included), output, and the cached part.",
          f.tokens, &C::tokens);

  counter("katara_cost_usd_total", "What the billed attempts cost, in USD, at the configured prices.", f.cost, &C::cost);

  MetricFamily in_flight{"katara_requests_in_flight", "Requests being answered now.", MetricType::Gauge, {}};
  std::int64_t flying = 0;
  for (const auto& w : workers_) flying += w->cells_->in_flight.value();
  in_flight.metric.emplace_back().gauge.value = static_cast<double>(flying);
  out.push_back(std::move(in_flight));

  for (const auto& g : gauges) {
    MetricFamily family{g.name, g.help, g.counter ? MetricType::Counter : MetricType::Gauge, {}};
    for (const auto& [labels, value] : g.samples) {
      ClientMetric m;
      m.label = labelsOf(labels);
      (g.counter ? m.counter.value : m.gauge.value) = value;
      family.metric.push_back(std::move(m));
    }
    out.push_back(std::move(family));
  }
  std::ostringstream text;
  prometheus::TextSerializer().Serialize(text, out);
  return text.str();
}

}  // namespace katara::telemetry
