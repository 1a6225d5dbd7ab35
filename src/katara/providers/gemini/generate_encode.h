#pragma once
#include "katara/core/chat.h"

namespace katara::providers::gemini {

// The body of a generateContent / streamGenerateContent request (the model and streaming are
// in the URL, not the body), and what of the canonical request it could not carry.
//
// Decisions, each tested (test/unit/providers/gemini_test.cc):
// - system and developer messages become `systemInstruction` (joined by blank lines, in order);
// - roles: user → user, assistant → model; consecutive turns of one role are merged;
// - assistant tool calls become `functionCall` parts whose `args` is the parsed arguments
//   (arguments that are not a JSON object become `{}`, listed in `dropped`), with the
//   thoughtSignature Gemini gave the call when it is remembered (thought_signatures.h);
// - a tool result becomes a `functionResponse` part of a user turn, named after the call it
//   answers (found by id in the earlier assistant turns); its `response` is the result when
//   that is a JSON object, otherwise {"result": <text>};
// - images: data: URIs become `inlineData`, other URLs `fileData` (mime type from the
//   extension, image/jpeg when unknown);
// - tools become `functionDeclarations` with the schema as `parametersJsonSchema` (full JSON
//   Schema, where `parameters` accepts only an OpenAPI subset);
// - tool_choice auto/none/required → functionCallingConfig AUTO/NONE/ANY; named → ANY with
//   allowedFunctionNames;
// - response_format json_object → responseMimeType application/json; json_schema adds
//   responseJsonSchema;
// - max_tokens, temperature, top_p, seed, stop → generationConfig;
// - `user`, parallel_tool_calls:false and every extra field are dropped (listed).
core::EncodedBody encodeGenerateRequest(const core::ChatRequest& request);

}  // namespace katara::providers::gemini
