#pragma once
#include "katara/core/chat.h"

namespace katara::providers::ollama {

// The body of a native Ollama /api/chat request, and what of the canonical request it could
// not carry.
//
// Decisions, each tested (test/unit/providers/ollama_test.cc):
// - `stream` is always written: Ollama streams when it is absent;
// - developer messages become system messages (Ollama keeps system turns in place);
// - text parts are joined into `content`; data: URI images become `images` (bare base64);
//   images by URL cannot be carried (Ollama takes no URLs) and are dropped, listed;
// - assistant tool calls become `tool_calls` with `arguments` as a JSON object (arguments
//   that are not an object become {}, listed); a tool result carries `tool_name`, the name of
//   the call it answers (found by id in the earlier assistant turns; without one, its own name or id, listed);
// - tools keep OpenAI's shape; tool_choice none sends no tools; required and named have no
//   equivalent and are dropped, listed;
// - response_format json_object → format "json"; json_schema → format <schema>;
// - max_tokens → options.num_predict; temperature, top_p, seed, stop → options;
// - `user`, parallel_tool_calls and every extra field are dropped, listed.
core::EncodedBody encodeOllamaChat(const core::ChatRequest& request);

}  // namespace katara::providers::ollama
