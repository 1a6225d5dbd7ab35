#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::openai {

// Every OpenAI-compatible API: OpenAI, Groq, Together, Mistral, DeepSeek, OpenRouter, vLLM,
// llama.cpp server, Ollama's /v1, LM Studio.
class OpenAiAdapter : public Adapter {
 public:
  std::string_view kind() const override { return "openai"; }
  core::ApiFormat format() const override { return core::ApiFormat::OpenAiChat; }
  http::OutgoingRequest chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                    std::string_view body) const override;
  std::optional<http::OutgoingRequest> completionRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                         std::string_view body) const override;
  core::EncodedBody encodeChat(const core::ChatRequest& request) const override;
  core::Result<core::ChatResponse> decodeChat(std::string_view body) const override;
  std::unique_ptr<core::StreamDecoder> streamDecoder() const override;
  core::UpstreamError classifyError(int status, const http::Headers& headers,
                                    std::string_view body) const override;
  core::ApiError clientError(int status, std::string_view body) const override;
  const Embedder* embedder() const override;
};

// A POST with the headers every OpenAI-style request carries; the key as a bearer token, or in
// `api-key` (Azure) when `bearer` is false.
http::OutgoingRequest apiRequest(const ProviderAccess& provider, const ChatTarget& target, std::string_view body,
                                 std::string target_path, bool bearer);

// The error message and code inside an OpenAI-style error body (also vLLM's integer code and
// llama.cpp's shape); empty strings when the body is not such JSON.
struct ErrorFields {
  std::string message;
  std::string code;
  std::string type;
  std::string param;
};
ErrorFields parseErrorBody(std::string_view body);

}  // namespace katara::providers::openai
