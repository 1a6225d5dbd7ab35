#pragma once
// Streams that survive their provider. When a stream the client has begun receiving breaks,
// what the client has is read back from the bytes it was sent, and the next target is asked to
// carry the answer on from there: with the partial answer as an assistant prefill where the
// target continues one, otherwise with an explicit instruction to continue.
#include <cstdint>
#include <string>
#include <string_view>

#include "katara/core/api_format.h"
#include "katara/core/chat.h"

namespace katara::routing {

// What the client has of a stream that broke.
struct Handover {
  std::string text;               // the answer's text it was sent
  bool tool_call_seen = false;    // some tool call reached it: never spliced, so never continued
  bool finished = false;          // it has the answer's finish: only the stream's end is missing
  std::int64_t input_tokens = 0;  // the prompt, as the broken stream reported it (0: it did not)
  std::int64_t output_tokens = 0; // of `text`: estimated at 4 bytes a token
};

// Reads back a client's stream (`sent`, in the client's format, whoever wrote its parts).
Handover readHandover(std::string_view sent, core::ApiFormat client);

// How a target is asked to carry an answer on.
enum class ContinuationMode {
  Restart,      // nothing of the answer reached the client: the request as it was
  Prefill,      // the partial answer as the final assistant message, which the target continues
  Instruction,  // the partial answer as an assistant turn, then a user turn asking to go on
};

struct ContinuationRequest {
  core::ChatRequest request;
  ContinuationMode mode = ContinuationMode::Restart;
  std::int64_t added_tokens = 0;  // estimated tokens the continuation added to the prompt
};

// The client's request turned into one that continues `handover` (`prefill`: the target takes
// an assistant prefill). The prefill loses its trailing whitespace, which Anthropic rejects;
// max_tokens is reduced by what was already delivered.
ContinuationRequest continuationOf(const core::ChatRequest& original, const Handover& handover, bool prefill);

// The user turn of an Instruction continuation.
extern const std::string_view kContinueInstruction;

// The documented estimate for text without a reported count: one token per 4 bytes.
inline std::int64_t estimateTokens(std::string_view text) { return static_cast<std::int64_t>((text.size() + 3) / 4); }

}  // namespace katara::routing
