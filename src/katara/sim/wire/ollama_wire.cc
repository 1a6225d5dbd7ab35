// Ollama's native /api/chat, as the simulator answers it: NDJSON lines, tool calls whole with
// object arguments, the `done: true` line last (with the counts), errors as {"error": "..."}.
#include "katara/sim/wire/formats.h"

#include <chrono>
#include <ctime>

namespace katara::sim::wire {

namespace {

std::string createdAt() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json::object line(const Generation& g, json::object message, bool done) {
  return {{"model", g.model}, {"created_at", createdAt()}, {"message", std::move(message)}, {"done", done}};
}

json::object callMessage(const SimToolCall& call) {
  boost::system::error_code ec;
  auto args = json::parse(call.arguments, ec);
  json::object fn{{"index", 0}, {"name", call.name}, {"arguments", ec ? json::value(json::object{}) : args}};
  return {{"role", "assistant"}, {"content", ""}, {"tool_calls", json::array{json::object{{"function", fn}}}}};
}

json::object doneLine(const Generation& g, json::object message, int output) {
  auto o = line(g, std::move(message), true);
  o["done_reason"] = "stop";
  o["total_duration"] = 812000000;
  o["load_duration"] = 1200000;
  o["prompt_eval_count"] = g.prompt_tokens;
  o["prompt_eval_duration"] = 90000000;
  o["eval_count"] = output;
  o["eval_duration"] = 60000000;
  return o;
}

std::string ndjson(const json::object& o) { return json::serialize(o) + "\n"; }

}  // namespace

void readOllama(const json::object& body, SimRequest& r) {
  r.stream = true;  // Ollama streams unless told not to
  if (auto* s = body.if_contains("stream"); s && s->is_bool()) r.stream = s->as_bool();
  auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array() || tools->as_array().empty() || !tools->as_array()[0].is_object()) return;
  const auto* fn = tools->as_array()[0].as_object().if_contains("function");
  if (fn && fn->is_object()) readTool(fn->as_object(), "parameters", r);
}

WireAnswer ollamaFrame(const Generation& g) {
  WireAnswer w;
  if (g.tool_call) {
    w.events.push_back(ndjson(line(g, callMessage(*g.tool_call), false)));
  } else {
    for (const auto& t : g.tokens) w.events.push_back(ndjson(line(g, {{"role", "assistant"}, {"content", t}}, false)));
  }
  w.malformed = "{\"model\":\"" + g.model + "\",\"message\":{\"role\":\"assistant\",\"content\":\"bro\n";
  const int output = g.tool_call ? 3 : static_cast<int>(g.tokens.size());
  // The done line is the stream's only end marker (no_done leaves it out).
  w.end = ndjson(doneLine(g, {{"role", "assistant"}, {"content", ""}}, output));
  json::object message = g.tool_call ? callMessage(*g.tool_call) : json::object{{"role", "assistant"}, {"content", joined(g)}};
  w.body = json::serialize(doneLine(g, std::move(message), output));
  w.content_type = "application/x-ndjson";
  return w;
}

std::string ollamaError(std::string_view message) { return json::serialize(json::object{{"error", message}}); }

}  // namespace katara::sim::wire
