#include "katara/routing/relay_support.h"

#include <simdjson.h>

#include "katara/routing/cost.h"

namespace katara::routing {

namespace asio = boost::asio;

asio::awaitable<core::Result<std::string>> readAll(http::Exchange& exchange, std::size_t limit) {
  std::string out;
  for (;;) {
    auto chunk = co_await exchange.read();
    if (!chunk) co_return chunk.error();
    if (chunk->empty()) co_return out;
    if (out.size() + chunk->size() > limit) {
      co_return core::UpstreamError{core::UpstreamErrorKind::BadResponse,
                                    "response body larger than " + std::to_string(limit) + " bytes"};
    }
    out.append(*chunk);
  }
}

http::ExchangeTimeouts attemptTimeouts(const Target& target, std::chrono::steady_clock::time_point started,
                                       std::chrono::steady_clock::time_point deadline) {
  return {target.timeouts.connect, target.timeouts.first_byte, target.timeouts.idle,
          std::min(deadline, started + target.timeouts.total)};
}

http::Headers answerHeaders(const std::string& request_id, core::ApiFormat client, const Target& target,
                            const ExecutionSummary& summary, std::string_view content_type) {
  http::Headers h;
  h.reserve(9);
  h.push_back({"content-type", content_type.empty() ? std::string("application/json") : std::string(content_type)});
  h.push_back({"x-request-id", request_id});
  if (client == core::ApiFormat::AnthropicMessages) h.push_back({"request-id", request_id});  // the SDK's _request_id
  h.push_back({"x-katara-provider", target.provider->name});
  h.push_back({"x-katara-model", target.model});
  h.push_back({"x-katara-attempts", std::to_string(summary.tried())});
  if (!summary.route_reason.empty()) h.push_back({"x-katara-route-reason", summary.route_reason});
  return h;
}

http::Headers streamHeaders(const std::string& request_id, core::ApiFormat client, const Target& target,
                            const ExecutionSummary& summary, std::string_view content_type) {
  auto h = answerHeaders(request_id, client, target, summary, content_type);
  h.push_back({"cache-control", "no-cache"});
  h.push_back({"x-accel-buffering", "no"});
  return h;
}

core::ApiError brokenStreamError(const Target& target, const core::UpstreamError& err) {
  return {502, "The upstream stream from " + target.provider->name + " failed: " + err.message, "server_error",
          std::nullopt, "upstream_stream_error"};
}

asio::awaitable<bool> deliver(ClientStream& stream, http::ResponseWriter& writer, const std::string& bytes) {
  if (stream.continuable) {
    if (stream.sent.size() + bytes.size() <= ClientStream::kMaxKept) {
      stream.sent += bytes;
    } else {
      stream.continuable = false;
      std::string().swap(stream.sent);
    }
  }
  co_return co_await writer.writeChunk(bytes);
}

std::unique_ptr<core::StreamEncoder> resumedEncoder(const ChatCall& call, const ClientStream& stream) {
  static const core::ChatRequest kUnparsed;
  const auto& parsed = call.canonical();
  const auto* request = std::get_if<core::ChatRequest>(&parsed);
  auto encoder = call.dialect->streamEncoder(request ? *request : kUnparsed);
  encoder->resumeAfter(stream.sent);
  return encoder;
}

namespace {

// Both formats' usage fields onto the canonical ones (input excludes cached input, as the
// decoders count it); fields the object lacks are left as they were.
void mergeUsage(simdjson::dom::object u, core::Usage& into) {
  std::int64_t v = 0;
  std::int64_t cached = into.cache_read_tokens;
  simdjson::dom::object details;
  if (!u["prompt_tokens_details"].get(details) && !details["cached_tokens"].get(v)) cached = v;
  if (!u["prompt_tokens"].get(v)) into.input_tokens = std::max<std::int64_t>(0, v - cached);  // OpenAI
  if (!u["completion_tokens"].get(v)) into.output_tokens = v;
  into.cache_read_tokens = cached;
  if (!u["input_tokens"].get(v)) into.input_tokens = v;  // Anthropic
  if (!u["output_tokens"].get(v)) into.output_tokens = v;
  if (!u["cache_read_input_tokens"].get(v)) into.cache_read_tokens = v;
  if (!u["cache_creation_input_tokens"].get(v)) into.cache_write_tokens = v;
}

bool mergeUsageOf(simdjson::dom::element element, core::Usage& usage) {
  simdjson::dom::object u;
  if (!element["usage"].get(u)) {
    mergeUsage(u, usage);
    return true;
  }
  if (!element["message"]["usage"].get(u)) {  // Anthropic's message_start
    mergeUsage(u, usage);
    return true;
  }
  return false;
}

}  // namespace

EventCheck checkEvent(std::string_view data, core::Usage& usage) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element element;
  EventCheck check;
  if (parser.parse(data.data(), data.size(), true).get(element)) return check;
  check.well_formed = true;
  check.had_usage = mergeUsageOf(element, usage);
  return check;
}

std::optional<core::Usage> usageInAnswer(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element element;
  if (parser.parse(body.data(), body.size(), true).get(element)) return std::nullopt;
  core::Usage usage;
  if (!mergeUsageOf(element, usage)) return std::nullopt;
  return usage;
}

std::string costComment(const ExecutionSummary& summary, const RequestShape& shape) {
  const auto cost = requestCost(summary, shape);
  if (cost.usd == 0 && cost.unpriced) return {};
  return ": x-katara-cost-usd=" + formatUsd(cost.usd) + (cost.estimated ? " estimated" : "") + "\n\n";
}

void addCostHeaders(http::Headers& headers, const ExecutionSummary& summary, const RequestShape& shape) {
  const auto cost = requestCost(summary, shape);
  if (cost.usd == 0 && cost.unpriced) return;
  headers.push_back({"x-katara-cost-usd", formatUsd(cost.usd)});
  if (cost.estimated) headers.push_back({"x-katara-cost-estimated", "true"});
}

std::optional<double> tokensPerSecond(std::int64_t output_tokens, std::chrono::steady_clock::time_point started,
                                      std::optional<std::chrono::milliseconds> first_token) {
  if (!first_token || output_tokens < 2) return std::nullopt;
  const auto generating = std::chrono::steady_clock::now() - (started + *first_token);
  const double seconds = std::chrono::duration<double>(generating).count();
  if (seconds < 0.01) return std::nullopt;
  return static_cast<double>(output_tokens - 1) / seconds;  // the first token came at first_token
}

namespace {

bool never(const http::SseEvent&) { return false; }
bool openAiEnd(const http::SseEvent& e) { return e.isDone(); }
bool anthropicEnd(const http::SseEvent& e) { return e.event == "message_stop"; }
bool anthropicError(const http::SseEvent& e) { return e.event == "error"; }
// A non-null "finish_reason" in the chunk, whatever the spacing around its colon.
bool openAiFinish(const http::SseEvent& e) {
  std::string_view d = e.data;
  for (auto at = d.find("\"finish_reason\""); at != std::string_view::npos; at = d.find("\"finish_reason\"", at + 1)) {
    auto rest = d.substr(at + 15);
    auto colon = rest.find_first_not_of(" \t\r\n");
    if (colon == std::string_view::npos || rest[colon] != ':') continue;
    auto value = rest.find_first_not_of(" \t\r\n", colon + 1);
    if (value != std::string_view::npos && rest.substr(value, 4) != "null") return true;
  }
  return false;
}
// OpenAI-compatible servers report a failure mid-stream as `data: {"error": ...}`.
bool openAiError(const http::SseEvent& e) {
  const auto at = e.data.find_first_not_of(" \t\r\n");
  return at != std::string::npos && e.data.compare(at, 8, "{\"error\"") == 0;
}
bool anthropicFinish(const http::SseEvent& e) { return e.event == "message_delta"; }
bool anthropicPreamble(const http::SseEvent& e) {
  return e.event == "message_start" || e.event == "ping" || e.event == "content_block_start" || e.data.empty();
}

}  // namespace

const SseFraming& sseFramingFor(core::ApiFormat format) {
  static const SseFraming kOpenAi{openAiEnd, openAiError, never, true, openAiFinish};
  static const SseFraming kAnthropic{anthropicEnd, anthropicError, anthropicPreamble, false, anthropicFinish};
  return format == core::ApiFormat::AnthropicMessages ? kAnthropic : kOpenAi;
}

core::UpstreamErrorKind inBandErrorKind(std::string_view text) {
  if (text.find("overloaded") != std::string_view::npos) return core::UpstreamErrorKind::Overloaded;
  if (text.find("rate_limit") != std::string_view::npos) return core::UpstreamErrorKind::RateLimited;
  return core::UpstreamErrorKind::Server;
}

}  // namespace katara::routing
