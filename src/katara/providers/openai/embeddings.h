#pragma once
#include <boost/json/value.hpp>

#include "katara/providers/adapter.h"

namespace katara::providers::openai {

// OpenAI-compatible POST {base}/embeddings. The upstream is always asked for float arrays (the
// one encoding every compatible server speaks); both arrays and base64 strings are read back,
// since some servers ignore encoding_format. Azure overrides the path.
class OpenAiEmbedder : public Embedder {
 public:
  std::optional<std::string> encode(const core::EmbeddingRequest& request, std::string& why) const override;
  http::OutgoingRequest request(const ProviderAccess& provider, const ChatTarget& target,
                                std::string_view body) const override;
  core::Result<core::EmbeddingResponse> decode(std::string_view body, std::size_t inputs) const override;
};

// Reads one embedding: a JSON array of numbers or base64 of float32 values; nullopt when it is
// neither or holds a value that is not finite.
std::optional<std::vector<float>> readVector(const boost::json::value& v);

}  // namespace katara::providers::openai
