#pragma once
#include <string>

#include "katara/core/chat.h"

namespace katara::providers::openai {

// The OpenAI chat completion body for a canonical request, for clients of another format.
// `max_tokens` is sent (not `max_completion_tokens`): every OpenAI-compatible server reads it.
// `extra_fields` (OpenAI-only fields a client of this family sent) are written back verbatim.
std::string encodeChatRequest(const core::ChatRequest& request);

}  // namespace katara::providers::openai
