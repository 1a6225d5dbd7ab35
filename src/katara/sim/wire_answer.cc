#include "katara/sim/wire_answer.h"

#include <boost/json.hpp>

#include "katara/core/request_id.h"

namespace katara::sim {

namespace json = boost::json;

namespace {

int estimatePromptTokens(const json::object& body) {
  std::size_t chars = 0, messages = 0;
  if (auto* m = body.if_contains("messages"); m && m->is_array()) {
    for (const auto& msg : m->as_array()) {
      ++messages;
      if (!msg.is_object()) continue;
      if (auto* c = msg.as_object().if_contains("content")) {
        chars += c->is_string() ? c->as_string().size() : json::serialize(*c).size();
      }
    }
  }
  if (auto* s = body.if_contains("system")) chars += s->is_string() ? s->as_string().size() : json::serialize(*s).size();
  return static_cast<int>(chars / 4 + messages * 4 + 1);
}

std::string sse(const json::value& data) { return "data: " + json::serialize(data) + "\n\n"; }
std::string namedSse(std::string_view event, const json::value& data) {
  return "event: " + std::string(event) + "\ndata: " + json::serialize(data) + "\n\n";
}

std::string joined(const Generation& g) {
  std::string text;
  for (const auto& t : g.tokens) text += t;
  return text;
}

// The tool call's arguments in the two fragments both formats stream them in.
std::pair<std::string, std::string> halves(const std::string& args) {
  auto half = args.size() / 2;
  return {args.substr(0, half), args.substr(half)};
}

// --- OpenAI chat completions -------------------------------------------------------------

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

// --- Anthropic messages ------------------------------------------------------------------

json::object anthropicUsage(int input, int output) {
  return {{"input_tokens", input}, {"cache_creation_input_tokens", 0}, {"cache_read_input_tokens", 0}, {"output_tokens", output}};
}

WireAnswer anthropicFrame(const Generation& g) {
  WireAnswer w;
  const int output = g.tool_call ? 3 : static_cast<int>(g.tokens.size());
  const std::string id = "msg_" + g.id.substr(g.id.find('-') + 1);
  json::object start{{"id", id}, {"type", "message"}, {"role", "assistant"}, {"model", g.model}, {"content", json::array{}},
                     {"stop_reason", nullptr}, {"stop_sequence", nullptr}, {"usage", anthropicUsage(g.prompt_tokens, 1)}};
  w.head = namedSse("message_start", {{"type", "message_start"}, {"message", start}});
  json::object block = g.tool_call ? json::object{{"type", "tool_use"}, {"id", g.tool_call->id}, {"name", g.tool_call->name}, {"input", json::object{}}}
                                   : json::object{{"type", "text"}, {"text", ""}};
  w.head += namedSse("content_block_start", {{"type", "content_block_start"}, {"index", 0}, {"content_block", block}});
  w.head += namedSse("ping", {{"type", "ping"}});
  auto delta = [](json::object d) {
    return namedSse("content_block_delta", {{"type", "content_block_delta"}, {"index", 0}, {"delta", std::move(d)}});
  };
  if (g.tool_call) {
    auto [a, b] = halves(g.tool_call->arguments);
    w.events.push_back(delta({{"type", "input_json_delta"}, {"partial_json", ""}}));
    w.events.push_back(delta({{"type", "input_json_delta"}, {"partial_json", a}}));
    w.events.push_back(delta({{"type", "input_json_delta"}, {"partial_json", b}}));
  } else {
    for (const auto& t : g.tokens) w.events.push_back(delta({{"type", "text_delta"}, {"text", t}}));
  }
  w.malformed = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_del\n\n";
  const char* stop = g.tool_call ? "tool_use" : "end_turn";
  w.tail = namedSse("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
  w.tail += namedSse("message_delta", {{"type", "message_delta"}, {"delta", {{"stop_reason", stop}, {"stop_sequence", nullptr}}},
                                       {"usage", {{"output_tokens", output}}}});
  w.end = namedSse("message_stop", {{"type", "message_stop"}});

  json::array content;
  if (g.tool_call) {
    boost::system::error_code ec;
    auto input = json::parse(g.tool_call->arguments, ec);
    content.push_back({{"type", "tool_use"}, {"id", g.tool_call->id}, {"name", g.tool_call->name}, {"input", ec ? json::value(json::object{}) : input}});
  } else {
    content.push_back({{"type", "text"}, {"text", joined(g)}});
  }
  json::object body{{"id", id}, {"type", "message"}, {"role", "assistant"}, {"model", g.model}, {"content", content},
                    {"stop_reason", stop}, {"stop_sequence", nullptr}, {"usage", anthropicUsage(g.prompt_tokens, output)}};
  w.body = json::serialize(body);
  return w;
}

std::string_view anthropicErrorType(int status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 529: return "overloaded_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

}  // namespace

SimRequest readRequest(SimFormat format, const json::object& body) {
  SimRequest r;
  if (auto* m = body.if_contains("model"); m && m->is_string()) r.model = m->as_string();
  if (auto* s = body.if_contains("stream"); s && s->is_bool()) r.stream = s->as_bool();
  if (auto* so = body.if_contains("stream_options"); so && so->is_object()) {
    if (auto* iu = so->as_object().if_contains("include_usage"); iu && iu->is_bool()) r.include_usage = iu->as_bool();
  }
  r.prompt_tokens = estimatePromptTokens(body);
  auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array() || tools->as_array().empty() || !tools->as_array()[0].is_object()) return r;
  const auto* choice = body.if_contains("tool_choice");
  if (format == SimFormat::OpenAi) {
    if (choice && choice->is_string() && choice->as_string() == "none") return r;
    const auto* fn = tools->as_array()[0].as_object().if_contains("function");
    if (!fn || !fn->is_object()) return r;
    if (auto* n = fn->as_object().if_contains("name"); n && n->is_string()) r.tool_name = n->as_string();
    if (auto* p = fn->as_object().if_contains("parameters"); p && p->is_object()) {
      if (auto* props = p->as_object().if_contains("properties")) r.tool_properties = *props;
    }
  } else {
    if (choice && choice->is_object()) {
      auto* t = choice->as_object().if_contains("type");
      if (t && t->is_string() && t->as_string() == "none") return r;
    }
    const auto& tool = tools->as_array()[0].as_object();
    if (auto* n = tool.if_contains("name"); n && n->is_string()) r.tool_name = n->as_string();
    if (auto* p = tool.if_contains("input_schema"); p && p->is_object()) {
      if (auto* props = p->as_object().if_contains("properties")) r.tool_properties = *props;
    }
  }
  return r;
}

std::optional<SimToolCall> chooseToolCall(SimFormat format, const SimRequest& request) {
  if (request.tool_name.empty()) return std::nullopt;
  json::object args;
  if (request.tool_properties.is_object()) {
    for (const auto& [name, schema] : request.tool_properties.as_object()) {
      auto* type = schema.is_object() ? schema.as_object().if_contains("type") : nullptr;
      std::string t = type && type->is_string() ? std::string(type->as_string()) : "string";
      if (t == "number" || t == "integer") args[name] = 42;
      else if (t == "boolean") args[name] = true;
      else args[name] = "sim";
    }
  }
  const std::string prefix = format == SimFormat::OpenAi ? "call_" : "toolu_";
  return SimToolCall{prefix + core::randomHex(24), request.tool_name, json::serialize(args)};
}

WireAnswer frame(SimFormat format, const Generation& g, bool include_usage) {
  return format == SimFormat::OpenAi ? openAiFrame(g, include_usage) : anthropicFrame(g);
}

std::string errorBody(SimFormat format, int status, std::string_view message, std::string_view code) {
  if (format == SimFormat::Anthropic) {
    json::object body{{"type", "error"}, {"error", {{"type", anthropicErrorType(status)}, {"message", message}}},
                      {"request_id", "req_sim_" + core::randomHex(12)}};
    return json::serialize(body);
  }
  std::string_view type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
  json::object err{{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}};
  return json::serialize(json::object{{"error", err}});
}

}  // namespace katara::sim
