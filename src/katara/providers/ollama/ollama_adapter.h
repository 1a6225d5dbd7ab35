#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::ollama {

// Ollama's native API: POST {base}/api/chat with NDJSON streaming. `base_url` is the server's
// root (http://127.0.0.1:11434). No credentials by default; an `api_key` (Ollama's cloud, or a
// proxy in front) is sent as a bearer token. (Ollama's OpenAI-compatible /v1 is `kind: openai`.)
class OllamaAdapter final : public Adapter {
 public:
  std::string_view kind() const override { return "ollama"; }
  core::ApiFormat format() const override { return core::ApiFormat::OllamaChat; }
  http::OutgoingRequest chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                    std::string_view body) const override;
  core::EncodedBody encodeChat(const core::ChatRequest& request) const override;
  core::Result<core::ChatResponse> decodeChat(std::string_view body) const override;
  std::unique_ptr<core::StreamDecoder> streamDecoder() const override;
  // Errors are {"error": "..."}. A model that is not pulled ("model 'x' not found", 404, or
  // 400 from older servers) is NotFound; one that does not support what was asked ("does not
  // support tools") fails over as NotFound too, since another target may; a model that fails
  // to load (out of memory, runner crashed, load timeout) is a server failure; "server busy"
  // is overload.
  core::UpstreamError classifyError(int status, const http::Headers& headers,
                                    std::string_view body) const override;
  core::ApiError clientError(int status, std::string_view body) const override;
  const Embedder* embedder() const override;

  // POST {base}{path} with the headers every Ollama call carries.
  http::OutgoingRequest request(const ProviderAccess& provider, std::string_view path, bool stream,
                                std::string_view body, std::string_view request_id) const;
};

// The message of {"error": "..."}, or "" when the body is not that.
std::string parseErrorMessage(std::string_view body);

}  // namespace katara::providers::ollama
