#pragma once
#include <string_view>
#include <variant>

#include "katara/core/chat.h"

namespace katara::api {

// Parses an OpenAI chat completion request into the canonical form, for routes whose target
// speaks another format (same-format routes pass the body through instead).
//
// Explicit decisions, each tested:
// - `max_completion_tokens` wins over `max_tokens`; a `stop` string becomes a one-element list.
// - `role: "function"` messages, content parts other than text and image_url, and tools other
//   than functions are rejected with a 400 naming the parameter: no other format can carry them.
// - Any other field (`n`, `logprobs`, `frequency_penalty`, ...) is kept verbatim in
//   `extra_fields`; an adapter of another family drops it with a log line.
// - Numbers go through Boost.JSON 1.81, whose parser is within one ULP of the decimal, not
//   always exact (a temperature of 0.97398941929283970 may arrive as ...3969).
std::variant<core::ChatRequest, core::ApiError> parseOpenAiChat(std::string_view body);

}  // namespace katara::api
