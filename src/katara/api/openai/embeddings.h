#pragma once
// The POST /v1/embeddings front door: OpenAI's request parsed into the canonical form, and the
// canonical answer written back as OpenAI's list of embeddings.
#include <string>
#include <string_view>
#include <variant>

#include "katara/api/openai/openai_error.h"
#include "katara/core/embedding.h"

namespace katara::api {

// What the client asked, beyond the canonical request: how it wants the vectors written.
struct EmbeddingsCall {
  core::EmbeddingRequest request;
  bool base64 = false;  // encoding_format "base64" (the OpenAI Node SDK's default) or "float"
};

// `model` a non-empty string; `input` a non-empty string, array of non-empty strings, array of
// token ids, or array of non-empty token arrays (at most 2048 inputs, as OpenAI allows);
// `encoding_format` float | base64; `dimensions` a positive integer; `user` a string.
std::variant<EmbeddingsCall, OpenAiError> parseEmbeddingsRequest(std::string_view body);

// {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage"}: each
// vector as a float array, or base64 of its little-endian float32 values. Floats are written
// in their shortest form that reads back as the same float32.
std::string encodeEmbeddingsResponse(const core::EmbeddingResponse& response, bool base64,
                                     std::string_view model);

}  // namespace katara::api
