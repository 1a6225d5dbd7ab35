// A simulated provider answering in the API format its request path names, with injected faults.
#include "katara/sim/provider_handler.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/json.hpp>

#include "katara/core/request_id.h"
#include "katara/sim/endpoint.h"
#include "katara/sim/wire_answer.h"

namespace katara::sim {

namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

http::Headers jsonHeaders() { return {{"content-type", "application/json"}}; }

// Sleeps unless the client goes away first; false when it did.
asio::awaitable<bool> pause(http::ResponseWriter& writer, double ms) {
  if (writer.clientGone()) co_return false;
  if (ms <= 0) co_return true;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::microseconds(static_cast<std::int64_t>(ms * 1000)));
  writer.onClientGone([&timer] { timer.cancel(); });
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  writer.onClientGone({});
  co_return !writer.clientGone();
}

bool roll(std::mt19937_64& rng, double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return std::uniform_real_distribution<double>(0, 1)(rng) < p;
}

// Where a stream breaks: the fixed token counts of the faults, or for `rate` of the streams a
// token drawn between the first and the last.
int breakPoint(int fixed, double rate, std::size_t events, std::mt19937_64& rng) {
  if (fixed >= 0) return fixed;
  if (events < 2 || !roll(rng, rate)) return -1;
  return std::uniform_int_distribution<int>(1, static_cast<int>(events) - 1)(rng);
}

asio::awaitable<void> streamAnswer(http::ResponseWriter& writer, const Generation& g, const WireAnswer& w,
                                   const Faults& f, LogEntry& entry, std::mt19937_64& rng, http::Headers extra) {
  const int cut_after = breakPoint(f.cut_after_tokens, f.cut_rate, w.events.size(), rng);
  const int stall_after = cut_after >= 0 ? -1 : breakPoint(f.stall_after_tokens, f.stall_rate, w.events.size(), rng);
  http::Headers headers{{"content-type", w.content_type}, {"cache-control", "no-cache"},
                        {"x-request-id", "req_sim_" + core::randomHex(12)}};
  for (auto& h : extra) headers.push_back(std::move(h));
  if (!co_await writer.beginStream(200, std::move(headers))) co_return;
  entry.status = 200;
  if (!co_await pause(writer, g.ttft_ms)) co_return;
  const double gap_ms = g.tps > 0 ? 1000.0 / g.tps : 0;
  std::string pending = w.head;  // the format's preamble goes out with the first token
  int sent = 0;
  for (std::size_t i = 0; i < w.events.size(); ++i) {
    if (cut_after >= 0 && sent >= cut_after) {
      if (!pending.empty()) co_await writer.writeChunk(pending);
      entry.outcome = "cut";
      writer.abortConnection();
      co_return;
    }
    if (stall_after >= 0 && sent >= stall_after) {
      if (!pending.empty()) co_await writer.writeChunk(pending);
      entry.outcome = "stall";
      co_await pause(writer, 600000);
      co_return;
    }
    const int at = static_cast<int>(i);
    if (f.malformed_chunk_at >= 0 && at >= f.malformed_chunk_at && at < f.malformed_chunk_at + f.malformed_chunk_count) {
      pending += w.malformed;
      entry.outcome = "malformed";
    } else {
      pending += w.events[i];
    }
    if (!co_await writer.writeChunk(pending)) co_return;
    pending.clear();
    entry.tokens_sent = ++sent;
    if (i + 1 < w.events.size() && !co_await pause(writer, gap_ms)) co_return;
  }
  std::string tail = pending + w.tail;
  if (!f.no_done) tail += w.end;
  if (!co_await writer.writeChunk(tail)) co_return;
  if (f.hold_open_ms > 0 && !co_await pause(writer, f.hold_open_ms)) co_return;  // a server that lingers
  co_await writer.endStream();
  if (entry.outcome == "in_progress") entry.outcome = "ok";
}

asio::awaitable<void> fullAnswer(http::ResponseWriter& writer, const Generation& g, const WireAnswer& w, LogEntry& entry,
                                 http::Headers extra) {
  const double gen_ms = g.ttft_ms + (g.tps > 0 ? (static_cast<double>(w.events.size()) - 1) * 1000.0 / g.tps : 0);
  if (!co_await pause(writer, gen_ms)) co_return;
  http::Headers headers = jsonHeaders();
  headers.push_back({"x-request-id", "req_sim_" + core::randomHex(12)});
  for (auto& h : extra) headers.push_back(std::move(h));
  entry.status = 200;
  if (co_await writer.send(200, std::move(headers), w.body)) {
    entry.outcome = "ok";
    entry.tokens_sent = static_cast<int>(w.events.size());
  }
}

std::string modelsBody(const SimProvider& provider) {
  json::array data;
  for (const auto& [name, m] : provider.models) {
    data.push_back({{"id", name}, {"object", "model"}, {"created", 1700000000}, {"owned_by", provider.name}});
  }
  return json::serialize(json::object{{"object", "list"}, {"data", data}});
}

}  // namespace

asio::awaitable<void> ProviderHandler::handle(http::Request& request, http::ResponseWriter& writer) {
  auto& provider = state_.current.providers[index_];
  if (state_.refusing[index_]) {  // "down": even kept-alive connections die
    writer.abortConnection();
    co_return;
  }
  auto path = request.path();
  if (path == "/v1/models" && request.method == "GET") {
    co_await writer.send(200, jsonHeaders(), modelsBody(provider));
    co_return;
  }
  // Every format on one port: the path says which API is asked.
  const auto endpoint = matchEndpoint(request);
  if (!endpoint || request.method != "POST") {
    const SimFormat guess = path.rfind("/v1/messages", 0) == 0 ? SimFormat::Anthropic : SimFormat::OpenAi;
    co_await writer.send(404, jsonHeaders(), errorBody(guess, 404, "Unknown request URL: " + std::string(path), "unknown_url"));
    co_return;
  }
  const SimFormat format = endpoint->format;
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  if (ec || !body.is_object()) {
    co_await writer.send(400, jsonHeaders(), errorBody(format, 400, "We could not parse the JSON body of your request.", "invalid_json"));
    co_return;
  }
  const auto& obj = body.as_object();
  SimRequest req = readRequest(format, obj);
  if (!endpoint->model.empty()) req.model = endpoint->model;
  if (endpoint->stream) req.stream = *endpoint->stream;
  auto entry = state_.newEntry(provider.name, req.model, req.stream);
  entry->format = endpoint->label;
  entry->auth = authStyle(request);
  entry->api_version = std::string(request.header("anthropic-version"));
  if (endpoint->label == "azure") {
    if (auto q = request.target.find("api-version="); q != std::string::npos) {
      entry->api_version = request.target.substr(q + std::string_view("api-version=").size());
    }
  }
  entry->request = body;
  entry->handover = req.handover_mode;
  const auto t0 = Clock::now();
  struct Finish {
    LogEntry& e;
    http::ResponseWriter& w;
    Clock::time_point t0;
    ~Finish() {
      e.client_disconnected = w.clientGone() && e.outcome != "reset" && e.outcome != "cut";
      e.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (e.outcome == "in_progress") e.outcome = e.client_disconnected ? "client_gone" : "ok";
    }
  } finish{*entry, writer, t0};

  if (!provider.api_key.empty() && presentedKey(*endpoint, request) != provider.api_key) {
    auto refused = authError(format);
    entry->outcome = "unauthorized";
    entry->status = refused.status;
    co_await writer.send(refused.status, jsonHeaders(), std::move(refused.body));
    co_return;
  }
  if (endpoint->stream && *endpoint->stream && !endpoint->sse) {
    entry->outcome = "error";
    entry->status = 400;
    co_await writer.send(400, jsonHeaders(), errorBody(format, 400, "This simulator streams Gemini only with alt=sse.", ""));
    co_return;
  }
  auto mit = provider.models.find(req.model);
  if (mit == provider.models.end()) {
    auto unknown = unknownModelError(format, req.model);
    entry->outcome = "unknown_model";
    entry->status = unknown.status;
    co_await writer.send(unknown.status, jsonHeaders(), std::move(unknown.body));
    co_return;
  }
  if (mit->second.context_tokens > 0 && req.prompt_tokens > mit->second.context_tokens) {
    auto too_long = contextLengthError(format, req.prompt_tokens, mit->second.context_tokens);
    entry->outcome = "context_length";
    entry->status = too_long.status;
    co_await writer.send(too_long.status, jsonHeaders(), std::move(too_long.body));
    co_return;
  }
  if (auto rejected = historyError(format, obj); rejected && endpoint->op == SimOperation::Chat) {
    entry->outcome = "error";
    entry->status = rejected->status;
    co_await writer.send(rejected->status, jsonHeaders(), std::move(rejected->body));
    co_return;
  }
  if (endpoint->op == SimOperation::CountTokens) {
    entry->outcome = "ok";
    entry->status = 200;
    const std::string count = R"({"input_tokens":)" + std::to_string(req.prompt_tokens) + "}";
    co_await writer.send(200, jsonHeaders(), count);
    co_return;
  }
  auto& m = mit->second;
  Faults& f = m.faults ? *m.faults : provider.faults;
  auto& rng = state_.rng;

  std::string mode;
  const double now_s = state_.elapsedSeconds();
  if (f.outage.activeAt(now_s)) mode = f.outage.mode;
  else if (provider.faults.outage.activeAt(now_s)) mode = provider.faults.outage.mode;
  if (mode == "refuse" || mode == "reset" || roll(rng, f.reset_rate)) {
    entry->outcome = "reset";
    writer.abortConnection();
    co_return;
  }
  if (mode == "hang" || roll(rng, f.hang_rate)) {
    entry->outcome = "hang";
    co_await pause(writer, 600000);
    co_return;
  }
  if (roll(rng, f.rate_limit_rate)) {
    entry->outcome = "rate_limited";
    entry->status = 429;
    auto limited = rateLimitError(format, f.retry_after_s);
    http::Headers headers = jsonHeaders();
    for (auto& [name, value] : limited.headers) headers.push_back({std::move(name), std::move(value)});
    co_await writer.send(429, std::move(headers), std::move(limited.body));
    co_return;
  }
  // A provider-wide request rate limit, as real APIs report it on every answer.
  http::Headers limit_headers;
  if (const int limit = provider.faults.requests_per_minute; limit > 0) {
    if (state_.request_times.size() <= index_) state_.request_times.resize(index_ + 1);
    auto& times = state_.request_times[index_];
    while (!times.empty() && now_s - times.front() >= 60) times.pop_front();
    const int used = static_cast<int>(times.size());
    const double reset_s = times.empty() ? 60 : 60 - (now_s - times.front());
    if (used >= limit) {
      entry->outcome = "rate_limited";
      entry->status = 429;
      auto limited = rateLimitError(format, static_cast<int>(reset_s + 0.999));
      http::Headers headers = jsonHeaders();
      for (auto& [name, value] : rateLimitHeaders(format, limit, 0, reset_s)) headers.push_back({name, value});
      headers.push_back({"retry-after", std::to_string(static_cast<int>(reset_s + 0.999))});
      co_await writer.send(429, std::move(headers), std::move(limited.body));
      co_return;
    }
    times.push_back(now_s);
    for (auto& [name, value] : rateLimitHeaders(format, limit, limit - used - 1, reset_s)) limit_headers.push_back({name, value});
  }
  if (f.content_filter) {
    auto refused = contentFilterError(format);
    entry->outcome = "content_filter";
    entry->status = refused.status;
    co_await writer.send(refused.status, jsonHeaders(), std::move(refused.body));
    co_return;
  }
  if (f.rejects_prefill && req.handover_mode == "prefill" && endpoint->op == SimOperation::Chat) {
    entry->outcome = "error";
    entry->status = 400;
    co_await writer.send(400, jsonHeaders(), errorBody(format, 400, "This model does not support assistant message prefill. The conversation must end with a user message.", "invalid_request_error"));
    co_return;
  }
  const bool fail_now = f.fail_next > 0;
  if (fail_now) --f.fail_next;
  if (mode == "error" || fail_now || roll(rng, f.error_rate)) {
    int status = mode == "error" ? (format == SimFormat::Anthropic ? 529 : 503)
                 : fail_now      ? f.error_statuses.front()
                                 : f.error_statuses[std::uniform_int_distribution<std::size_t>(0, f.error_statuses.size() - 1)(rng)];
    entry->outcome = "error";
    entry->status = status;
    co_await writer.send(status, jsonHeaders(), errorBody(format, status, "The simulated provider failed (HTTP " + std::to_string(status) + ").", "simulated_error"));
    co_return;
  }

  if (endpoint->op == SimOperation::Embedding) {
    const double ms = m.ttft_ms.sample(rng) + f.slow_first_token_ms;
    if (!co_await pause(writer, ms)) co_return;
    auto answer = embeddingAnswer(format, obj);
    entry->status = answer.status;
    entry->outcome = answer.status == 200 ? "ok" : "error";
    co_await writer.send(answer.status, jsonHeaders(), std::move(answer.body));
    co_return;
  }

  const bool legacy = endpoint->op == SimOperation::Completion;
  Generation g;
  g.id = (legacy ? "cmpl-" : "chatcmpl-") + core::randomHex(24);
  g.created = unixNow();
  g.model = req.model;
  g.prompt_tokens = req.prompt_tokens;
  const int tokens = std::max(1, static_cast<int>(m.answer_tokens.sample(rng) + 0.5));
  g.tokens = answerTokens(tokens, req, f.continuation_overlap_tokens);
  g.ttft_ms = m.ttft_ms.sample(rng) + f.slow_first_token_ms;
  g.tps = m.tokens_per_second.sample(rng);
  if (!legacy) g.tool_call = chooseToolCall(format, req);
  const WireAnswer wire = legacy ? completionFrame(g, req.include_usage) : frame(format, g, req.include_usage);
  if (req.stream) co_await streamAnswer(writer, g, wire, f, *entry, rng, std::move(limit_headers));
  else co_await fullAnswer(writer, g, wire, *entry, std::move(limit_headers));
}

}  // namespace katara::sim
