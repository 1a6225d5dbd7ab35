#include "katara/sim/wire_answer.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "katara/core/request_id.h"
#include "katara/sim/wire/formats.h"

namespace katara::sim {

namespace json = boost::json;

namespace wire {

std::string sse(const json::value& data) { return "data: " + json::serialize(data) + "\n\n"; }

std::string namedSse(std::string_view event, const json::value& data) {
  return "event: " + std::string(event) + "\ndata: " + json::serialize(data) + "\n\n";
}

std::string joined(const Generation& g) {
  std::string text;
  for (const auto& t : g.tokens) text += t;
  return text;
}

std::pair<std::string, std::string> halves(const std::string& args) {
  auto half = args.size() / 2;
  return {args.substr(0, half), args.substr(half)};
}

void readTool(const json::object& fn, const char* schema_key, SimRequest& r) {
  if (auto* n = fn.if_contains("name"); n && n->is_string()) r.tool_name = n->as_string();
  if (auto* p = fn.if_contains(schema_key); p && p->is_object()) {
    if (auto* props = p->as_object().if_contains("properties")) r.tool_properties = *props;
  }
}

std::string idSuffix(const Generation& g) { return g.id.substr(g.id.find('-') + 1); }

}  // namespace wire

namespace {

// About four characters a token, plus a few per turn, over every field that holds the prompt.
int estimatePromptTokens(const json::object& body) {
  std::size_t chars = 0, turns = 0;
  for (const char* key : {"messages", "contents"}) {
    const auto* list = body.if_contains(key);
    if (!list || !list->is_array()) continue;
    for (const auto& turn : list->as_array()) {
      ++turns;
      if (!turn.is_object()) continue;
      for (const char* field : {"content", "parts"}) {
        if (auto* c = turn.as_object().if_contains(field)) {
          chars += c->is_string() ? c->as_string().size() : json::serialize(*c).size();
        }
      }
    }
  }
  for (const char* key : {"system", "systemInstruction", "prompt"}) {
    if (auto* s = body.if_contains(key)) chars += s->is_string() ? s->as_string().size() : json::serialize(*s).size();
  }
  return static_cast<int>(chars / 4 + turns * 4 + 1);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> rateLimitHeaders(SimFormat format, int limit, int remaining, double reset_s) {
  if (format == SimFormat::Anthropic) {
    const auto at = std::chrono::system_clock::now() + std::chrono::milliseconds(static_cast<std::int64_t>(reset_s * 1000));
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return {{"anthropic-ratelimit-requests-limit", std::to_string(limit)},
            {"anthropic-ratelimit-requests-remaining", std::to_string(remaining)},
            {"anthropic-ratelimit-requests-reset", buf}};
  }
  char reset[32];
  std::snprintf(reset, sizeof reset, "%.3gs", reset_s);
  return {{"x-ratelimit-limit-requests", std::to_string(limit)},
          {"x-ratelimit-remaining-requests", std::to_string(remaining)},
          {"x-ratelimit-reset-requests", reset}};
}

std::string_view toString(SimFormat format) {
  switch (format) {
    case SimFormat::OpenAi: return "openai";
    case SimFormat::Anthropic: return "anthropic";
    case SimFormat::Gemini: return "gemini";
    case SimFormat::Ollama: return "ollama";
  }
  return "openai";
}

namespace {

// A turn's text in any format: a string content, or the text of its parts.
std::string turnText(const json::object& turn) {
  for (const char* field : {"content", "parts"}) {
    const auto* c = turn.if_contains(field);
    if (!c) continue;
    if (c->is_string()) return std::string(c->as_string());
    if (!c->is_array()) continue;
    std::string text;
    for (const auto& part : c->as_array()) {
      const auto* t = part.is_object() ? part.as_object().if_contains("text") : nullptr;
      if (t && t->is_string()) text += t->as_string();
    }
    return text;
  }
  return {};
}

std::string turnRole(const json::value& turn) {
  const auto* role = turn.is_object() ? turn.as_object().if_contains("role") : nullptr;
  std::string r = role && role->is_string() ? std::string(role->as_string()) : "";
  return r == "model" ? "assistant" : r;  // Gemini's name for it
}

void readHandover(const json::object& body, SimRequest& r) {
  const auto* list = body.if_contains(body.contains("contents") ? "contents" : "messages");
  if (!list || !list->is_array() || list->as_array().empty()) return;
  const auto& turns = list->as_array();
  const auto& last = turns.back();
  if (turnRole(last) == "assistant") {
    r.handover_text = turnText(last.as_object());
    r.handover_mode = "prefill";
  } else if (turns.size() >= 2 && turnRole(turns[turns.size() - 2]) == "assistant" && last.is_object() &&
             turnText(last.as_object()).find("Continue") != std::string::npos) {
    r.handover_text = turnText(turns[turns.size() - 2].as_object());
    r.handover_mode = "instruction";
  }
}

std::string wordAt(int i) {
  static constexpr const char* kWords[] = {"Katara", "routes", "every", "request", "to", "a", "healthy", "model",
                                           "and", "keeps", "the", "answer", "flowing", "when", "providers", "fail."};
  std::string w = kWords[i % (sizeof(kWords) / sizeof(kWords[0]))];
  return i == 0 ? w : " " + w;
}

}  // namespace

std::vector<std::string> answerTokens(int count, const SimRequest& request, int overlap) {
  std::vector<std::string> tokens;
  const std::string& given = request.handover_text;
  // How many words the given text covers, if it is the start of the sentence at all.
  std::string prefix;
  int covered = 0;
  while (prefix.size() < given.size()) prefix += wordAt(covered++);
  if (given.empty() || prefix.compare(0, given.size(), given) != 0) {
    for (int i = 0; i < count; ++i) tokens.push_back(wordAt(i));  // a fresh answer
    return tokens;
  }
  if (request.handover_mode == "instruction") {
    const int whole = prefix.size() == given.size() ? covered : covered - 1;
    for (int i = std::max(0, whole - overlap); i < whole; ++i) tokens.push_back(wordAt(i));
  }
  if (prefix.size() > given.size()) tokens.push_back(prefix.substr(given.size()));  // the rest of a cut word
  for (int i = covered; i < std::max(count, covered + 1); ++i) tokens.push_back(wordAt(i));
  return tokens;
}

SimRequest readRequest(SimFormat format, const json::object& body) {
  SimRequest r;
  if (auto* m = body.if_contains("model"); m && m->is_string()) r.model = m->as_string();
  if (auto* s = body.if_contains("stream"); s && s->is_bool()) r.stream = s->as_bool();
  r.prompt_tokens = estimatePromptTokens(body);
  readHandover(body, r);
  switch (format) {
    case SimFormat::OpenAi: wire::readOpenAi(body, r); break;
    case SimFormat::Anthropic: wire::readAnthropic(body, r); break;
    case SimFormat::Gemini: wire::readGemini(body, r); break;
    case SimFormat::Ollama: wire::readOllama(body, r); break;
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
  // Gemini's and Ollama's calls carry no id: the gateway must make one.
  std::string id;
  if (format == SimFormat::OpenAi) id = "call_" + core::randomHex(24);
  else if (format == SimFormat::Anthropic) id = "toolu_" + core::randomHex(24);
  return SimToolCall{std::move(id), request.tool_name, json::serialize(args)};
}

WireAnswer frame(SimFormat format, const Generation& g, bool include_usage) {
  switch (format) {
    case SimFormat::Anthropic: return wire::anthropicFrame(g);
    case SimFormat::Gemini: return wire::geminiFrame(g);
    case SimFormat::Ollama: return wire::ollamaFrame(g);
    case SimFormat::OpenAi: break;
  }
  return wire::openAiFrame(g, include_usage);
}

WireAnswer completionFrame(const Generation& g, bool include_usage) { return wire::openAiCompletionFrame(g, include_usage); }

std::string errorBody(SimFormat format, int status, std::string_view message, std::string_view code) {
  switch (format) {
    case SimFormat::Anthropic: return wire::anthropicError(status, message);
    case SimFormat::Gemini: return wire::geminiError(status, message, "");
    case SimFormat::Ollama: return wire::ollamaError(message);
    case SimFormat::OpenAi: break;
  }
  return wire::openAiError(status, message, code);
}

SimReply authError(SimFormat format) {
  switch (format) {
    case SimFormat::Anthropic: return {401, wire::anthropicError(401, "invalid x-api-key")};
    case SimFormat::Gemini:
      return {400, wire::geminiError(400, "API key not valid. Please pass a valid API key.", "API_KEY_INVALID")};
    case SimFormat::Ollama: return {401, wire::ollamaError("unauthorized")};
    case SimFormat::OpenAi: break;
  }
  return {401, wire::openAiError(401, "Incorrect API key provided.", "invalid_api_key")};
}

std::optional<SimReply> historyError(SimFormat format, const json::object& body) {
  if (format != SimFormat::Gemini) return std::nullopt;
  auto message = wire::geminiHistoryError(body);
  if (message.empty()) return std::nullopt;
  return SimReply{400, wire::geminiError(400, message, "")};
}

SimReply contentFilterError(SimFormat format) {
  switch (format) {
    case SimFormat::Anthropic: return {400, wire::anthropicError(400, "Output blocked by content filtering policy")};
    case SimFormat::Gemini: return {400, wire::geminiError(400, "The prompt was blocked by the content policy (simulated).", "")};
    case SimFormat::Ollama: return {400, wire::ollamaError("the prompt was refused by the content policy (simulated)")};
    case SimFormat::OpenAi: break;
  }
  return {400, wire::openAiError(400, "The response was filtered due to the prompt triggering the content management policy.",
                                 "content_filter")};
}

SimReply contextLengthError(SimFormat format, int prompt_tokens, int limit) {
  const auto got = std::to_string(prompt_tokens), max = std::to_string(limit);
  switch (format) {
    case SimFormat::Anthropic:
      return {400, wire::anthropicError(400, "prompt is too long: " + got + " tokens > " + max + " maximum")};
    case SimFormat::Gemini:
      return {400, wire::geminiError(400, "The input token count (" + got + ") exceeds the maximum number of tokens allowed (" + max + ").", "")};
    case SimFormat::Ollama:
      return {400, wire::ollamaError("the input length exceeds the context length")};
    case SimFormat::OpenAi: break;
  }
  return {400, wire::openAiError(400, "This model's maximum context length is " + max + " tokens. However, your messages resulted in " + got + " tokens.", "context_length_exceeded")};
}

SimReply unknownModelError(SimFormat format, const std::string& model) {
  switch (format) {
    case SimFormat::Anthropic: return {404, wire::anthropicError(404, "model: " + model)};
    case SimFormat::Gemini:
      return {404, wire::geminiError(404, "models/" + model + " is not found for API version v1beta, or is not "
                                     "supported for generateContent.", "")};
    case SimFormat::Ollama: return {404, wire::ollamaError("model '" + model + "' not found")};
    case SimFormat::OpenAi: break;
  }
  return {404, wire::openAiError(404, "The model `" + model + "` does not exist or you do not have access to it.",
                                 "model_not_found")};
}

SimRateLimit rateLimitError(SimFormat format, int retry_after_s) {
  SimRateLimit r;
  const std::string message = "Rate limit reached for requests (simulated).";
  switch (format) {
    case SimFormat::Gemini:
      r.body = wire::geminiRateLimit(message, retry_after_s);
      return r;
    case SimFormat::Anthropic:
      r.headers = {{"retry-after", std::to_string(retry_after_s)}, {"anthropic-ratelimit-requests-remaining", "0"}};
      r.body = wire::anthropicError(429, message);
      return r;
    case SimFormat::Ollama:
      r.headers = {{"retry-after", std::to_string(retry_after_s)}};
      r.body = wire::ollamaError(message);
      return r;
    case SimFormat::OpenAi: break;
  }
  r.headers = {{"retry-after", std::to_string(retry_after_s)},
               {"x-ratelimit-remaining-requests", "0"},
               {"x-ratelimit-reset-requests", std::to_string(retry_after_s) + "s"}};
  r.body = wire::openAiError(429, message, "rate_limit_exceeded");
  return r;
}

}  // namespace katara::sim
