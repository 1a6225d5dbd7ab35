#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::openai {

// Every OpenAI-compatible API: OpenAI, Groq, Together, Mistral, DeepSeek, OpenRouter, vLLM,
// llama.cpp server, Ollama's /v1, LM Studio.
class OpenAiAdapter final : public Adapter {
 public:
  std::string_view kind() const override { return "openai"; }
  http::OutgoingRequest chatRequest(const ProviderAccess& provider, std::string_view body,
                                    std::string_view request_id) const override;
  core::UpstreamError classifyError(int status, const http::Headers& headers,
                                    std::string_view body) const override;
};

// The error message and code inside an OpenAI-style error body (also vLLM's integer code and
// llama.cpp's shape); empty strings when the body is not such JSON.
struct ErrorFields {
  std::string message;
  std::string code;
  std::string type;
};
ErrorFields parseErrorBody(std::string_view body);

}  // namespace katara::providers::openai
