#pragma once
#include <string>

#include "katara/core/chat.h"

namespace katara::providers::openai {

// The OpenAI chat completion body for a canonical request, for clients of another format.
// `max_tokens` is sent (not `max_completion_tokens`): every OpenAI-compatible server reads it.
// `extra_fields` of an OpenAI-format origin are written back verbatim; those of another
// format are dropped (listed). A stream always asks for the usage chunk, so that a client of
// any format gets its token counts.
core::EncodedBody encodeChatRequest(const core::ChatRequest& request);

}  // namespace katara::providers::openai
