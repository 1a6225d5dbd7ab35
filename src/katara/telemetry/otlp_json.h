#pragma once
// Requests as OpenTelemetry traces, in OTLP/JSON (an ExportTraceServiceRequest body for POST
// /v1/traces): one trace per request, a server span for the request and a client span per
// upstream attempt, with the GenAI semantic conventions' attributes.
#include <random>
#include <string>
#include <vector>

#include "katara/core/request_trace.h"

namespace katara::telemetry {

// Trace and span ids; random unless a test fixes the seed.
class SpanIds {
 public:
  explicit SpanIds(std::uint64_t seed = std::random_device{}()) : rng_(seed) {}
  std::string traceId();  // 32 hex digits
  std::string spanId();   // 16 hex digits

 private:
  std::mt19937_64 rng_;
};

// A W3C traceparent's trace and parent span ids; false when `header` is not a valid one.
bool parseTraceparent(std::string_view header, std::string& trace_id, std::string& parent_span_id);

std::string otlpTraceJson(const std::vector<core::RequestTrace>& traces, const std::string& service_name, SpanIds& ids);

}  // namespace katara::telemetry
