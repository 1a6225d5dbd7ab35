#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::gemini {

// Gemini's POST {base}/v1beta/models/{model}:batchEmbedContents: one request per input text,
// `dimensions` as outputDimensionality. Gemini takes text only (token ids are not carried) and
// reports no token count (usage is 0).
class GeminiEmbedder final : public Embedder {
 public:
  std::optional<std::string> encode(const core::EmbeddingRequest& request, std::string& why) const override;
  http::OutgoingRequest request(const ProviderAccess& provider, const ChatTarget& target,
                                std::string_view body) const override;
  core::Result<core::EmbeddingResponse> decode(std::string_view body, std::size_t inputs) const override;
};

}  // namespace katara::providers::gemini
