// Google's Gemini API (generateContent, streamGenerateContent?alt=sse), as the simulator
// answers it: every streamed event is a whole GenerateContentResponse, the last one carries
// finishReason, and the body's end ends the stream.
#include "katara/sim/wire/formats.h"

namespace katara::sim::wire {

namespace {

std::string_view statusName(int status) {
  switch (status) {
    case 400: return "INVALID_ARGUMENT";
    case 401: return "UNAUTHENTICATED";
    case 403: return "PERMISSION_DENIED";
    case 404: return "NOT_FOUND";
    case 429: return "RESOURCE_EXHAUSTED";
    case 503: return "UNAVAILABLE";
    case 504: return "DEADLINE_EXCEEDED";
    default: return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
  }
}

json::object response(const Generation& g, json::array parts, const char* finish, int candidates_tokens) {
  json::object candidate{{"content", {{"role", "model"}, {"parts", std::move(parts)}}}, {"index", 0}};
  if (finish) candidate["finishReason"] = finish;
  return {{"candidates", json::array{candidate}},
          {"usageMetadata", {{"promptTokenCount", g.prompt_tokens}, {"candidatesTokenCount", candidates_tokens},
                             {"totalTokenCount", g.prompt_tokens + candidates_tokens}}},
          {"modelVersion", g.model},
          {"responseId", idSuffix(g)}};
}

// As Gemini 3 does, every function call carries a thought signature the next turn must return.
json::object callPart(const SimToolCall& call) {
  boost::system::error_code ec;
  auto args = json::parse(call.arguments, ec);
  return {{"functionCall", {{"name", call.name}, {"args", ec ? json::value(json::object{}) : args}}},
          {"thoughtSignature", "c2ltLXNpZ25hdHVyZS1mb3ItIg" + call.name}};
}

}  // namespace

void readGemini(const json::object& body, SimRequest& r) {
  auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array() || tools->as_array().empty() || !tools->as_array()[0].is_object()) return;
  if (const auto* config = body.if_contains("toolConfig"); config && config->is_object()) {
    const auto* calling = config->as_object().if_contains("functionCallingConfig");
    const auto* mode = calling && calling->is_object() ? calling->as_object().if_contains("mode") : nullptr;
    if (mode && mode->is_string() && mode->as_string() == "NONE") return;
  }
  const auto* decls = tools->as_array()[0].as_object().if_contains("functionDeclarations");
  if (!decls || !decls->is_array() || decls->as_array().empty() || !decls->as_array()[0].is_object()) return;
  const auto& fn = decls->as_array()[0].as_object();
  readTool(fn, fn.contains("parametersJsonSchema") ? "parametersJsonSchema" : "parameters", r);
}

std::string geminiHistoryError(const json::object& body) {
  const auto* contents = body.if_contains("contents");
  if (!contents || !contents->is_array()) return {};
  for (std::size_t i = 0; i < contents->as_array().size(); ++i) {
    const auto& turn = contents->as_array()[i];
    const auto* parts = turn.is_object() ? turn.as_object().if_contains("parts") : nullptr;
    if (!parts || !parts->is_array()) continue;
    for (const auto& p : parts->as_array()) {
      if (!p.is_object() || !p.as_object().contains("functionCall")) continue;
      if (p.as_object().contains("thoughtSignature")) continue;
      const auto* fn = p.as_object().at("functionCall").if_object();
      const auto* name = fn ? fn->if_contains("name") : nullptr;
      return "Function call `" + (name && name->is_string() ? std::string(name->as_string()) : std::string()) +
             "` in the " + std::to_string(i + 1) + ". content block is missing a `thought_signature`.";
    }
  }
  return {};
}

WireAnswer geminiFrame(const Generation& g) {
  WireAnswer w;
  if (g.tool_call) {
    w.events.push_back(sse(response(g, json::array{callPart(*g.tool_call)}, nullptr, 3)));
  } else {
    for (std::size_t i = 0; i < g.tokens.size(); ++i) {
      w.events.push_back(sse(response(g, json::array{json::object{{"text", g.tokens[i]}}}, nullptr, static_cast<int>(i + 1))));
    }
  }
  w.malformed = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"bro\n\n";
  const int output = g.tool_call ? 3 : static_cast<int>(g.tokens.size());
  // The finishReason event is the stream's only end marker (no_done leaves it out).
  w.end = sse(response(g, json::array{json::object{{"text", ""}}}, "STOP", output));
  json::array parts;
  if (g.tool_call) parts.push_back(callPart(*g.tool_call));
  else parts.push_back(json::object{{"text", joined(g)}});
  w.body = json::serialize(response(g, std::move(parts), "STOP", output));
  w.content_type = "text/event-stream";
  return w;
}

std::string geminiError(int status, std::string_view message, std::string_view reason) {
  json::object err{{"code", status}, {"message", message}, {"status", statusName(status)}};
  if (!reason.empty()) {
    err["details"] = json::array{json::object{{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                                              {"reason", reason},
                                              {"domain", "googleapis.com"}}};
  }
  return json::serialize(json::object{{"error", err}});
}

std::string geminiRateLimit(std::string_view message, int retry_after_s) {
  json::object err{{"code", 429}, {"message", message}, {"status", "RESOURCE_EXHAUSTED"},
                   {"details", json::array{json::object{{"@type", "type.googleapis.com/google.rpc.RetryInfo"},
                                                        {"retryDelay", std::to_string(retry_after_s) + "s"}}}}};
  return json::serialize(json::object{{"error", err}});
}

}  // namespace katara::sim::wire
