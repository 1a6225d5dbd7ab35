#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::ollama {

// Ollama's POST {base}/api/embed: `input` a string or strings, `dimensions` passed on, the
// answer's `embeddings` in input order and prompt_eval_count as usage. Text only.
class OllamaEmbedder final : public Embedder {
 public:
  std::optional<std::string> encode(const core::EmbeddingRequest& request, std::string& why) const override;
  http::OutgoingRequest request(const ProviderAccess& provider, const ChatTarget& target,
                                std::string_view body) const override;
  core::Result<core::EmbeddingResponse> decode(std::string_view body, std::size_t inputs) const override;
};

}  // namespace katara::providers::ollama
