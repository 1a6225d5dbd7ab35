#pragma once
#include <boost/json/object.hpp>

#include <string_view>

#include "katara/core/chat.h"
#include "katara/core/result.h"

namespace katara::providers::anthropic {

// A Messages API `Message` → the canonical answer: text blocks joined, tool_use blocks as tool
// calls whose arguments are the serialized `input`, thinking blocks skipped, usage with the
// cache counters kept apart (Anthropic's input_tokens already excludes them).
core::Result<core::ChatResponse> decodeMessagesResponse(std::string_view body);

// Overwrites the counters present in an Anthropic `usage` object.
void readUsage(const boost::json::object& usage_json, core::Usage& usage);

}  // namespace katara::providers::anthropic
