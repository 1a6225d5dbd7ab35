#include "katara/telemetry/otlp_json.h"

#include <boost/json.hpp>

#include "katara/telemetry/metric_families.h"

namespace katara::telemetry {

namespace json = boost::json;

namespace {

constexpr int kSpanKindServer = 2;
constexpr int kSpanKindClient = 3;
constexpr int kStatusError = 2;

std::string hex(std::uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHex[v & 15];
  return out;
}

bool isHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

json::object attr(std::string_view key, std::string_view value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}
json::object attr(std::string_view key, std::int64_t value) {
  return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}
json::object boolAttr(std::string_view key, bool value) { return {{"key", key}, {"value", {{"boolValue", value}}}}; }

std::string nanos(std::int64_t unix_ms, std::int64_t offset_us) {
  return std::to_string(unix_ms * 1'000'000 + offset_us * 1000);
}

json::object attemptSpan(const core::RequestTrace& t, const core::AttemptTrace& a, const std::string& trace_id,
                         const std::string& parent, SpanIds& ids) {
  const std::string operation = t.operation.empty() ? "chat" : t.operation;
  json::array attributes{attr("gen_ai.operation.name", operation),
                         attr("gen_ai.provider.name", genAiProviderName(a.provider_kind)),
                         attr("gen_ai.request.model", a.model),
                         attr("katara.provider", a.provider),
                         attr("katara.outcome", core::toString(a.kind))};
  if (a.kind == core::UpstreamErrorKind::Ok) attributes.push_back(attr("gen_ai.response.model", a.model));
  if (a.status) attributes.push_back(attr("http.response.status_code", static_cast<std::int64_t>(a.status)));
  if (a.usage) {
    attributes.push_back(attr("gen_ai.usage.input_tokens", a.usage->input_tokens + a.usage->cache_read_tokens + a.usage->cache_write_tokens));
    attributes.push_back(attr("gen_ai.usage.output_tokens", a.usage->output_tokens));
  }
  if (a.first_token_us) attributes.push_back(attr("katara.time_to_first_token_us", *a.first_token_us));
  if (a.hedge) attributes.push_back(boolAttr("katara.hedge", true));
  if (a.continued) attributes.push_back(boolAttr("katara.continued", true));
  if (a.translated) attributes.push_back(boolAttr("katara.translated", true));
  json::object span{{"traceId", trace_id},
                    {"spanId", ids.spanId()},
                    {"parentSpanId", parent},
                    {"name", operation + " " + a.model},
                    {"kind", kSpanKindClient},
                    {"startTimeUnixNano", nanos(t.unix_ms, a.start_us)},
                    {"endTimeUnixNano", nanos(t.unix_ms, a.start_us + a.duration_us)}};
  if (a.kind != core::UpstreamErrorKind::Ok) {
    attributes.push_back(attr("error.type", core::toString(a.kind)));
    span["status"] = {{"code", kStatusError}, {"message", a.message}};
  }
  span["attributes"] = std::move(attributes);
  return span;
}

}  // namespace

std::string SpanIds::traceId() { return hex(rng_(), 16) + hex(rng_(), 16); }
std::string SpanIds::spanId() { return hex(rng_() | 1, 16); }  // never all zeros (invalid)

bool parseTraceparent(std::string_view h, std::string& trace_id, std::string& parent_span_id) {
  // version "-" trace-id "-" parent-id "-" flags: 00-<32 hex>-<16 hex>-<2 hex>
  if (h.size() < 55 || h[2] != '-' || h[35] != '-' || h[52] != '-') return false;
  const auto version = h.substr(0, 2), trace = h.substr(3, 32), parent = h.substr(36, 16), flags = h.substr(53, 2);
  if (!isHex(version) || version == "ff" || !isHex(trace) || !isHex(parent) || !isHex(flags)) return false;
  if (trace == std::string(32, '0') || parent == std::string(16, '0')) return false;
  trace_id = trace;
  parent_span_id = parent;
  return true;
}

std::string otlpTraceJson(const std::vector<core::RequestTrace>& traces, const std::string& service_name, SpanIds& ids) {
  json::array spans;
  for (const auto& t : traces) {
    std::string trace_id, parent;
    if (!parseTraceparent(t.traceparent, trace_id, parent)) {
      trace_id = ids.traceId();
      parent.clear();
    }
    const std::string root_id = ids.spanId();
    const std::string operation = t.operation.empty() ? "request" : t.operation;
    json::array attributes{attr("katara.request_id", t.id), attr("http.request.method", t.method),
                           attr("url.path", t.path), attr("http.response.status_code", static_cast<std::int64_t>(t.status))};
    if (!t.operation.empty()) attributes.push_back(attr("gen_ai.operation.name", t.operation));
    if (!t.alias.empty()) attributes.push_back(attr("gen_ai.request.model", t.alias));
    if (t.served_attempt >= 0) {
      const auto& served = t.attempts[static_cast<std::size_t>(t.served_attempt)];
      attributes.push_back(attr("gen_ai.response.model", served.model));
      attributes.push_back(attr("gen_ai.provider.name", genAiProviderName(served.provider_kind)));
    }
    attributes.push_back(attr("gen_ai.usage.input_tokens", t.usage.input_tokens + t.usage.cache_read_tokens + t.usage.cache_write_tokens));
    attributes.push_back(attr("gen_ai.usage.output_tokens", t.usage.output_tokens));
    if (t.first_token_us) attributes.push_back(attr("katara.time_to_first_token_us", *t.first_token_us));
    attributes.push_back(attr("katara.attempts", static_cast<std::int64_t>(t.attempts.size())));
    json::object root{{"traceId", trace_id},
                      {"spanId", root_id},
                      {"name", t.alias.empty() ? operation : operation + " " + t.alias},
                      {"kind", kSpanKindServer},
                      {"startTimeUnixNano", nanos(t.unix_ms, 0)},
                      {"endTimeUnixNano", nanos(t.unix_ms, t.duration_us)}};
    if (!parent.empty()) root["parentSpanId"] = parent;
    if (t.status >= 500 || t.status == 0) {
      attributes.push_back(attr("error.type", std::to_string(t.status)));
      root["status"] = {{"code", kStatusError}, {"message", t.error}};
    }
    root["attributes"] = std::move(attributes);
    spans.push_back(std::move(root));
    for (const auto& a : t.attempts) {
      if (core::notSent(a.kind)) continue;  // skipped targets made no call
      spans.push_back(attemptSpan(t, a, trace_id, root_id, ids));
    }
  }
  json::object body{
      {"resourceSpans",
       json::array{json::object{
           {"resource", {{"attributes", json::array{attr("service.name", service_name)}}}},
           {"scopeSpans", json::array{json::object{{"scope", {{"name", "katara"}, {"version", KATARA_VERSION}}},
                                                   {"spans", std::move(spans)}}}}}}}};
  return json::serialize(body);
}

}  // namespace katara::telemetry
