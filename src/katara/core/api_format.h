#pragma once
#include <string_view>

namespace katara::core {

// The chat wire formats Katara speaks. A request whose client format equals its target's
// passes through with only the model changed; any other pair is translated through the
// canonical form (core/chat.h).
enum class ApiFormat { OpenAiChat, AnthropicMessages, GeminiGenerate, OllamaChat };

constexpr std::string_view toString(ApiFormat f) {
  switch (f) {
    case ApiFormat::OpenAiChat: return "openai";
    case ApiFormat::AnthropicMessages: return "anthropic";
    case ApiFormat::GeminiGenerate: return "gemini";
    case ApiFormat::OllamaChat: return "ollama";
  }
  return "?";
}

}  // namespace katara::core
