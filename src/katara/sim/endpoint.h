#pragma once
// Which simulated API a request asks for: every format is served on each provider's port, and
// the path says which one (as each provider's own API paths do).
#include <optional>
#include <string>
#include <string_view>

#include "katara/http/message.h"
#include "katara/sim/wire_answer.h"

namespace katara::sim {

enum class SimOperation { Chat, CountTokens, Completion, Embedding };

struct SimEndpoint {
  SimFormat format = SimFormat::OpenAi;
  SimOperation op = SimOperation::Chat;
  std::string label;            // for the request log: openai | anthropic | azure | gemini | ollama
  std::string model;            // named by the path: Azure's deployment, Gemini's model
  std::optional<bool> stream;   // set by the path: Gemini's streamGenerateContent
  bool sse = true;              // Gemini streams only with ?alt=sse
};

// The endpoint of a POST to `request`'s path, or nullopt for an unknown URL:
//   /v1/chat/completions, /v1/completions, /v1/embeddings  openai
//   /v1/messages, /v1/messages/count_tokens                anthropic
//   /openai/deployments/<deployment>/chat/completions | /completions | /embeddings   azure
//   /v1beta/models/<model>:generateContent | :streamGenerateContent?alt=sse |
//                          :batchEmbedContents             gemini
//   /api/chat, /api/embed                                  ollama
std::optional<SimEndpoint> matchEndpoint(const http::Request& request);

// The key the request presents in the header its API uses ("Bearer " stripped; Gemini's
// x-goog-api-key or ?key=).
std::string presentedKey(const SimEndpoint& endpoint, const http::Request& request);

// Which credential header the request came with, for the log: bearer | x-api-key | api-key |
// x-goog-api-key | none.
std::string_view authStyle(const http::Request& request);

}  // namespace katara::sim
