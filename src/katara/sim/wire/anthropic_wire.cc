// Anthropic's Messages API, as the simulator answers it.
#include "katara/sim/wire/formats.h"

#include "katara/core/request_id.h"

namespace katara::sim::wire {

namespace {

json::object anthropicUsage(int input, int output) {
  return {{"input_tokens", input}, {"cache_creation_input_tokens", 0}, {"cache_read_input_tokens", 0}, {"output_tokens", output}};
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

WireAnswer anthropicFrame(const Generation& g) {
  WireAnswer w;
  const int output = g.tool_call ? 3 : static_cast<int>(g.tokens.size());
  const std::string id = "msg_" + idSuffix(g);
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

void readAnthropic(const json::object& body, SimRequest& r) {
  auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array() || tools->as_array().empty() || !tools->as_array()[0].is_object()) return;
  if (const auto* choice = body.if_contains("tool_choice"); choice && choice->is_object()) {
    auto* t = choice->as_object().if_contains("type");
    if (t && t->is_string() && t->as_string() == "none") return;
  }
  readTool(tools->as_array()[0].as_object(), "input_schema", r);
}

std::string anthropicError(int status, std::string_view message) {
  json::object body{{"type", "error"}, {"error", {{"type", anthropicErrorType(status)}, {"message", message}}},
                    {"request_id", "req_sim_" + core::randomHex(12)}};
  return json::serialize(body);
}

}  // namespace katara::sim::wire
