#pragma once
#include <boost/json/value.hpp>

#include <string>
#include <variant>
#include <vector>

#include "katara/core/chat.h"

namespace katara::api::anthropic {

// What routing needs from a POST /v1/messages body, after the checks the API itself makes
// first: a JSON object with a string `model`, an integer `max_tokens` >= 1, a non-empty
// `messages` array of objects with role user, assistant or system (SDK 1.x sends system turns
// in `messages`), each with string or list content, and a boolean `stream`.
struct MessagesRequestInfo {
  boost::json::value json;      // the parsed body, for the canonical parse
  std::string model;
  std::size_t model_begin = 0;  // byte span of the model's JSON string literal in the body
  std::size_t model_end = 0;
  bool stream = false;
  std::optional<std::int64_t> max_tokens;
  std::vector<std::string> models;  // Katara's own fallback aliases (never sent upstream)
  bool has_models = false;
};
std::variant<MessagesRequestInfo, core::ApiError> inspectMessagesRequest(std::string& body);
// The same checks for POST /v1/messages/count_tokens, which takes no max_tokens.
std::variant<MessagesRequestInfo, core::ApiError> inspectCountTokensRequest(std::string& body);

// The canonical form of a checked request, for a target of another format; an ApiError (400)
// when the request uses what no other format can carry.
//
// Decisions, each tested (test/unit/api/anthropic_messages_parse_test.cc):
// - `system` (string or text blocks) and system turns become system messages, in place;
// - a user turn's tool_result blocks become tool messages (text content; is_error marks the
//   text "Error: ..."), placed before the turn's other content, as OpenAI orders them;
// - assistant text + tool_use blocks become one assistant message with tool calls whose
//   arguments are the serialized `input`;
// - images (base64 → data: URI, url) are kept; thinking blocks, `top_k`, `thinking`,
//   `service_tier` and other fields are kept as extra fields, which other formats drop (listed);
//   cache_control hints are ignored;
// - documents, server tools and server-tool blocks, images inside tool results: rejected
//   (400), since no other format can carry them;
// - tool_choice any → required, tool → named, none → none; disable_parallel_tool_use →
//   parallel_tool_calls false; metadata.user_id → user.
std::variant<core::ChatRequest, core::ApiError> parseMessagesRequest(const boost::json::value& body);

}  // namespace katara::api::anthropic
