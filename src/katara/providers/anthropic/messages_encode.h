#pragma once
#include <string>
#include <vector>

#include "katara/core/chat.h"

namespace katara::providers::anthropic {

// The upstream request body for Anthropic's Messages API (sent with anthropic-version
// 2023-06-01), and what of the canonical request it could not carry.
using EncodedMessages = core::EncodedBody;

// Decisions, each tested (test/unit/providers/anthropic_encode_test.cc):
// - system and developer messages become the top-level `system` (joined by blank lines, in order);
// - consecutive messages of one role are merged (the API requires user/assistant alternation),
//   and tool results become `tool_result` blocks of a user turn;
// - assistant tool calls become `tool_use` blocks whose `input` is the parsed arguments
//   (arguments that are not a JSON object become `{}` and are reported in `dropped`);
// - images: data: URIs become base64 sources, other URLs url sources;
// - `max_tokens` is required by the API: 4096 when the client gave none;
// - tool_choice required → any, named → tool, none → none; parallel_tool_calls:false →
//   disable_parallel_tool_use;
// - response_format json_object/json_schema has no equivalent: it becomes a system instruction;
// - `seed`, `stream_options` and every extra field are dropped (listed); `user` → metadata.user_id.
EncodedMessages encodeMessagesRequest(const core::ChatRequest& request);

constexpr std::int64_t kDefaultMaxTokens = 4096;

// The API version the encoder writes for (and sends unless a same-format client named its own).
constexpr const char* kApiVersion = "2023-06-01";

}  // namespace katara::providers::anthropic
