#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <variant>

#include "katara/api/openai/openai_error.h"

namespace katara::api {

// What the gateway needs from a chat completion request, found without building a DOM.
struct ChatRequestInfo {
  std::string model;
  std::size_t model_begin = 0;  // byte span of the model's JSON string literal in the body
  std::size_t model_end = 0;
  bool stream = false;
  std::optional<std::int64_t> max_tokens;  // max_completion_tokens, else max_tokens, when a positive integer
  // Katara's own `models`: aliases to fall back to after `model`, in order (never sent upstream).
  std::vector<std::string> models;
  bool has_models = false;
};

// Validates the body of POST /v1/chat/completions (JSON object, `model`, a non-empty
// `messages` array of objects with a known `role`, boolean `stream`) and returns what routing
// needs, or the 400 an OpenAI client expects. May grow the body's capacity (never its
// contents) for the parser's padding.
std::variant<ChatRequestInfo, OpenAiError> inspectChatRequest(std::string& body);

// The body with its model value replaced by `model`; the rest is copied byte for byte (when the
// body has `models`, it is rewritten without them).
std::string withModel(const std::string& body, const ChatRequestInfo& info, std::string_view model);

}  // namespace katara::api
