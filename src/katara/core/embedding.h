#pragma once
// The canonical embedding request and answer: the OpenAI-format front door parses into it and
// every adapter with an embeddings API builds from it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace katara::core {

struct EmbeddingRequest {
  std::string model;
  // Exactly one of the two is non-empty: texts, or token-id arrays (which only
  // OpenAI-compatible APIs take).
  std::vector<std::string> texts;
  std::vector<std::vector<std::int64_t>> tokens;
  bool single_input = false;  // the client sent one string (or one token array), not an array
  std::optional<std::int64_t> dimensions;
  std::string user;
};

struct EmbeddingResponse {
  std::string model;                 // as the provider names it; empty when it does not say
  std::vector<std::vector<float>> vectors;  // in input order
  std::int64_t prompt_tokens = 0;    // 0 when the provider does not count (Gemini)
};

}  // namespace katara::core
