// A simulated provider answering like an OpenAI-compatible API, with injected faults.
#include "katara/sim/provider_handler.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/json.hpp>

#include "katara/core/request_id.h"

namespace katara::sim {

namespace asio = boost::asio;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kWords[] = {"Katara", "routes", "every", "request", "to", "a", "healthy", "model",
                                  "and", "keeps", "the", "answer", "flowing", "when", "providers", "fail."};

std::string tokenText(int i) {
  std::string w = kWords[i % (sizeof(kWords) / sizeof(kWords[0]))];
  return i == 0 ? w : " " + w;
}

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

http::Headers jsonHeaders() { return {{"content-type", "application/json"}}; }

std::string errorBody(std::string_view message, std::string_view type, std::string_view code) {
  json::object err{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
  return json::serialize(json::object{{"error", err}});
}

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

int estimatePromptTokens(const json::value& body) {
  std::size_t chars = 0, messages = 0;
  if (auto* m = body.as_object().if_contains("messages"); m && m->is_array()) {
    for (const auto& msg : m->as_array()) {
      ++messages;
      if (!msg.is_object()) continue;
      if (auto* c = msg.as_object().if_contains("content")) {
        chars += c->is_string() ? c->as_string().size() : json::serialize(*c).size();
      }
    }
  }
  return static_cast<int>(chars / 4 + messages * 4 + 1);
}

// The tool call the model "decides" to make, or null when it answers in text.
json::value chooseToolCall(const json::object& body) {
  auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array() || tools->as_array().empty()) return nullptr;
  if (auto* choice = body.if_contains("tool_choice"); choice && choice->is_string() && choice->as_string() == "none")
    return nullptr;
  const auto& fn = tools->as_array()[0].as_object().at("function").as_object();
  json::object args;
  if (auto* params = fn.if_contains("parameters"); params && params->is_object()) {
    if (auto* props = params->as_object().if_contains("properties"); props && props->is_object()) {
      for (const auto& [name, schema] : props->as_object()) {
        auto* type = schema.is_object() ? schema.as_object().if_contains("type") : nullptr;
        std::string t = type && type->is_string() ? std::string(type->as_string()) : "string";
        if (t == "number" || t == "integer") args[name] = 42;
        else if (t == "boolean") args[name] = true;
        else args[name] = "sim";
      }
    }
  }
  return json::object{{"id", "call_" + core::randomHex(24)},
                      {"type", "function"},
                      {"function", {{"name", fn.at("name")}, {"arguments", json::serialize(args)}}}};
}

struct Generation {
  std::string id = "chatcmpl-" + core::randomHex(24);
  std::int64_t created = unixNow();
  std::string model;
  int prompt_tokens = 0;
  int tokens = 0;
  double ttft_ms = 0;
  double tps = 50;
  json::value tool_call;
};

std::string chunk(const Generation& g, json::object delta, json::value finish, bool usage_null) {
  json::object c{{"id", g.id}, {"object", "chat.completion.chunk"}, {"created", g.created}, {"model", g.model},
                 {"system_fingerprint", "fp_katara_sim"},
                 {"choices", json::array{json::object{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr},
                                                     {"finish_reason", std::move(finish)}}}}};
  if (usage_null) c["usage"] = nullptr;
  return "data: " + json::serialize(c) + "\n\n";
}

json::object usage(int prompt, int completion) {
  return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion},
          {"prompt_tokens_details", {{"cached_tokens", 0}}}, {"completion_tokens_details", {{"reasoning_tokens", 0}}}};
}

asio::awaitable<void> streamAnswer(http::ResponseWriter& writer, const Generation& g, const Faults& f,
                                   bool include_usage, LogEntry& entry) {
  http::Headers headers{{"content-type", "text/event-stream; charset=utf-8"}, {"cache-control", "no-cache"},
                        {"x-request-id", "req_sim_" + core::randomHex(12)}};
  if (!co_await writer.beginStream(200, std::move(headers))) co_return;
  entry.status = 200;
  if (!co_await pause(writer, g.ttft_ms)) co_return;
  const double gap_ms = g.tps > 0 ? 1000.0 / g.tps : 0;
  const bool tool = !g.tool_call.is_null();
  int sent = 0;
  for (int i = 0; i < g.tokens; ++i) {
    if (f.cut_after_tokens >= 0 && sent >= f.cut_after_tokens) {
      entry.outcome = "cut";
      writer.abortConnection();
      co_return;
    }
    if (f.stall_after_tokens >= 0 && sent >= f.stall_after_tokens) {
      entry.outcome = "stall";
      co_await pause(writer, 600000);
      co_return;
    }
    std::string event;
    if (f.malformed_chunk_at >= 0 && i == f.malformed_chunk_at) {
      event = "data: {\"id\":\"" + g.id + "\",\"choices\":[{\"delta\":{\"content\":\"broken\n\n";
      entry.outcome = "malformed";
    } else if (tool) {
      const auto& call = g.tool_call.as_object();
      const std::string args(call.at("function").at("arguments").as_string());
      // The first delta names the call; the arguments follow in two fragments.
      if (i == 0) {
        json::object first{{"index", 0}, {"id", call.at("id")}, {"type", "function"},
                           {"function", {{"name", call.at("function").at("name")}, {"arguments", ""}}}};
        event = chunk(g, {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", json::array{first}}}, nullptr, include_usage);
      } else if (i <= 2) {
        auto half = args.size() / 2;
        auto part = i == 1 ? args.substr(0, half) : args.substr(half);
        event = chunk(g, {{"tool_calls", json::array{json::object{{"index", 0}, {"function", {{"arguments", part}}}}}}}, nullptr, include_usage);
      } else {
        break;
      }
    } else {
      json::object delta{{"content", tokenText(i)}};
      if (i == 0) {
        delta["role"] = "assistant";
        delta["refusal"] = nullptr;
      }
      event = chunk(g, std::move(delta), nullptr, include_usage);
    }
    if (!co_await writer.writeChunk(event)) co_return;
    entry.tokens_sent = ++sent;
    if (i + 1 < g.tokens && !co_await pause(writer, gap_ms)) co_return;
  }
  std::string tail = chunk(g, json::object{}, tool ? "tool_calls" : "stop", include_usage);
  if (include_usage) {
    json::object u{{"id", g.id}, {"object", "chat.completion.chunk"}, {"created", g.created}, {"model", g.model},
                   {"choices", json::array{}}, {"usage", usage(g.prompt_tokens, sent)}};
    tail += "data: " + json::serialize(u) + "\n\n";
  }
  if (!f.no_done) tail += "data: [DONE]\n\n";
  if (!co_await writer.writeChunk(tail)) co_return;
  co_await writer.endStream();
  if (entry.outcome == "in_progress") entry.outcome = "ok";
}

asio::awaitable<void> fullAnswer(http::ResponseWriter& writer, const Generation& g, LogEntry& entry) {
  const double gen_ms = g.ttft_ms + (g.tps > 0 ? (g.tokens - 1) * 1000.0 / g.tps : 0);
  if (!co_await pause(writer, gen_ms)) co_return;
  json::object message{{"role", "assistant"}, {"refusal", nullptr}, {"annotations", json::array{}}};
  const bool tool = !g.tool_call.is_null();
  int completion = g.tokens;
  if (tool) {
    message["content"] = nullptr;
    message["tool_calls"] = json::array{g.tool_call};
    completion = 3;
  } else {
    std::string text;
    for (int i = 0; i < g.tokens; ++i) text += tokenText(i);
    message["content"] = text;
  }
  json::object body{{"id", g.id}, {"object", "chat.completion"}, {"created", g.created}, {"model", g.model},
                    {"choices", json::array{json::object{{"index", 0}, {"message", message}, {"logprobs", nullptr},
                                                        {"finish_reason", tool ? "tool_calls" : "stop"}}}},
                    {"usage", usage(g.prompt_tokens, completion)},
                    {"system_fingerprint", "fp_katara_sim"}, {"service_tier", "default"}};
  http::Headers headers = jsonHeaders();
  headers.push_back({"x-request-id", "req_sim_" + core::randomHex(12)});
  entry.status = 200;
  if (co_await writer.send(200, std::move(headers), json::serialize(body))) {
    entry.outcome = "ok";
    entry.tokens_sent = completion;
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
  if (path != "/v1/chat/completions" || request.method != "POST") {
    co_await writer.send(404, jsonHeaders(), errorBody("Unknown request URL: " + std::string(path), "invalid_request_error", "unknown_url"));
    co_return;
  }
  boost::system::error_code ec;
  auto body = json::parse(request.body, ec);
  if (ec || !body.is_object()) {
    co_await writer.send(400, jsonHeaders(), errorBody("We could not parse the JSON body of your request.", "invalid_request_error", "invalid_json"));
    co_return;
  }
  const auto& obj = body.as_object();
  std::string model = obj.contains("model") && obj.at("model").is_string() ? std::string(obj.at("model").as_string()) : "";
  bool stream = obj.contains("stream") && obj.at("stream").is_bool() && obj.at("stream").as_bool();
  bool include_usage = false;
  if (auto* so = obj.if_contains("stream_options"); so && so->is_object()) {
    if (auto* iu = so->as_object().if_contains("include_usage"); iu && iu->is_bool()) include_usage = iu->as_bool();
  }
  auto entry = state_.newEntry(provider.name, model, stream);
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

  auto mit = provider.models.find(model);
  if (mit == provider.models.end()) {
    entry->outcome = "unknown_model";
    entry->status = 404;
    co_await writer.send(404, jsonHeaders(), errorBody("The model `" + model + "` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found"));
    co_return;
  }
  const auto& m = mit->second;
  const Faults& f = m.faults ? *m.faults : provider.faults;
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
    http::Headers headers = jsonHeaders();
    headers.push_back({"retry-after", std::to_string(f.retry_after_s)});
    headers.push_back({"x-ratelimit-remaining-requests", "0"});
    headers.push_back({"x-ratelimit-reset-requests", std::to_string(f.retry_after_s) + "s"});
    co_await writer.send(429, std::move(headers), errorBody("Rate limit reached for requests (simulated).", "requests", "rate_limit_exceeded"));
    co_return;
  }
  if (mode == "error" || roll(rng, f.error_rate)) {
    int status = mode == "error" ? 503 : f.error_statuses[std::uniform_int_distribution<std::size_t>(0, f.error_statuses.size() - 1)(rng)];
    entry->outcome = "error";
    entry->status = status;
    co_await writer.send(status, jsonHeaders(), errorBody("The simulated provider failed (HTTP " + std::to_string(status) + ").", status >= 500 ? "server_error" : "invalid_request_error", "simulated_error"));
    co_return;
  }

  Generation g;
  g.model = model;
  g.prompt_tokens = estimatePromptTokens(body);
  g.tokens = std::max(1, static_cast<int>(m.answer_tokens.sample(rng) + 0.5));
  g.ttft_ms = m.ttft_ms.sample(rng) + f.slow_first_token_ms;
  g.tps = m.tokens_per_second.sample(rng);
  g.tool_call = chooseToolCall(obj);
  if (!g.tool_call.is_null()) g.tokens = 3;
  if (stream) co_await streamAnswer(writer, g, f, include_usage, *entry);
  else co_await fullAnswer(writer, g, *entry);
}

}  // namespace katara::sim
