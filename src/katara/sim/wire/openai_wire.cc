// OpenAI chat completions, as the simulator answers them.
#include "katara/sim/wire/formats.h"

namespace katara::sim::wire {

namespace {

json::object openAiUsage(int prompt, int completion) {
  return {{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", prompt + completion},
          {"prompt_tokens_details", {{"cached_tokens", 0}}}, {"completion_tokens_details", {{"reasoning_tokens", 0}}}};
}

std::string openAiChunk(const Generation& g, json::object delta, json::value finish, bool usage_null) {
  json::object c{{"id", g.id}, {"object", "chat.completion.chunk"}, {"created", g.created}, {"model", g.model},
                 {"system_fingerprint", "fp_katara_sim"},
                 {"choices", json::array{json::object{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr},
                                                     {"finish_reason", std::move(finish)}}}}};
  if (usage_null) c["usage"] = nullptr;
  return sse(c);
}

}  // namespace

WireAnswer openAiFrame(const Generation& g, bool include_usage) {
  WireAnswer w;
  const int completion = g.tool_call ? 3 : static_cast<int>(g.tokens.size());
  if (g.tool_call) {
    const auto& call = *g.tool_call;
    json::object first{{"index", 0}, {"id", call.id}, {"type", "function"},
                       {"function", {{"name", call.name}, {"arguments", ""}}}};
    w.events.push_back(openAiChunk(g, {{"role", "assistant"}, {"content", nullptr}, {"tool_calls", json::array{first}}}, nullptr, include_usage));
    auto [a, b] = halves(call.arguments);
    for (const auto& part : {a, b}) {
      w.events.push_back(openAiChunk(g, {{"tool_calls", json::array{json::object{{"index", 0}, {"function", {{"arguments", part}}}}}}}, nullptr, include_usage));
    }
  } else {
    for (std::size_t i = 0; i < g.tokens.size(); ++i) {
      json::object delta{{"content", g.tokens[i]}};
      if (i == 0) {
        delta["role"] = "assistant";
        delta["refusal"] = nullptr;
      }
      w.events.push_back(openAiChunk(g, std::move(delta), nullptr, include_usage));
    }
  }
  w.malformed = "data: {\"id\":\"" + g.id + "\",\"choices\":[{\"delta\":{\"content\":\"broken\n\n";
  w.tail = openAiChunk(g, json::object{}, g.tool_call ? "tool_calls" : "stop", include_usage);
  if (include_usage) {
    json::object u{{"id", g.id}, {"object", "chat.completion.chunk"}, {"created", g.created}, {"model", g.model},
                   {"choices", json::array{}}, {"usage", openAiUsage(g.prompt_tokens, completion)}};
    w.tail += sse(u);
  }
  w.end = "data: [DONE]\n\n";

  json::object message{{"role", "assistant"}, {"refusal", nullptr}, {"annotations", json::array{}}};
  if (g.tool_call) {
    message["content"] = nullptr;
    message["tool_calls"] = json::array{json::object{{"id", g.tool_call->id}, {"type", "function"},
                                                     {"function", {{"name", g.tool_call->name}, {"arguments", g.tool_call->arguments}}}}};
  } else {
    message["content"] = joined(g);
  }
  json::object body{{"id", g.id}, {"object", "chat.completion"}, {"created", g.created}, {"model", g.model},
                    {"choices", json::array{json::object{{"index", 0}, {"message", message}, {"logprobs", nullptr},
                                                        {"finish_reason", g.tool_call ? "tool_calls" : "stop"}}}},
                    {"usage", openAiUsage(g.prompt_tokens, completion)},
                    {"system_fingerprint", "fp_katara_sim"}, {"service_tier", "default"}};
  w.body = json::serialize(body);
  return w;
}

WireAnswer openAiCompletionFrame(const Generation& g, bool include_usage) {
  WireAnswer w;
  auto chunk = [&](const std::string& text, json::value finish) {
    return json::object{{"id", g.id}, {"object", "text_completion"}, {"created", g.created}, {"model", g.model},
                        {"choices", json::array{json::object{{"text", text}, {"index", 0}, {"logprobs", nullptr},
                                                            {"finish_reason", std::move(finish)}}}}};
  };
  for (const auto& t : g.tokens) w.events.push_back(sse(chunk(t, nullptr)));
  w.malformed = "data: {\"id\":\"" + g.id + "\",\"object\":\"text_completion\",\"choices\":[{\"text\":\"bro\n\n";
  w.tail = sse(chunk("", "stop"));
  const int completion = static_cast<int>(g.tokens.size());
  json::object usage{{"prompt_tokens", g.prompt_tokens}, {"completion_tokens", completion},
                     {"total_tokens", g.prompt_tokens + completion}};
  if (include_usage) {
    json::object u{{"id", g.id}, {"object", "text_completion"}, {"created", g.created}, {"model", g.model},
                   {"choices", json::array{}}, {"usage", usage}};
    w.tail += sse(u);
  }
  w.end = "data: [DONE]\n\n";
  auto body = chunk(joined(g), "stop");
  body["usage"] = usage;
  w.body = json::serialize(body);
  return w;
}

void readOpenAi(const json::object& body, SimRequest& r) {
  if (auto* so = body.if_contains("stream_options"); so && so->is_object()) {
    if (auto* iu = so->as_object().if_contains("include_usage"); iu && iu->is_bool()) r.include_usage = iu->as_bool();
  }
  auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array() || tools->as_array().empty() || !tools->as_array()[0].is_object()) return;
  const auto* choice = body.if_contains("tool_choice");
  if (choice && choice->is_string() && choice->as_string() == "none") return;
  const auto* fn = tools->as_array()[0].as_object().if_contains("function");
  if (fn && fn->is_object()) readTool(fn->as_object(), "parameters", r);
}

std::string openAiError(int status, std::string_view message, std::string_view code) {
  std::string_view type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
  json::object err{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
  return json::serialize(json::object{{"error", err}});
}

}  // namespace katara::sim::wire
