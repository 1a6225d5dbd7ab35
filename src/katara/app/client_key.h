#pragma once
// The API key a client presented (the request log keeps only its hash: store/key_hash.h).
#include <string>
#include <string_view>

#include "katara/http/message.h"

namespace katara::app {

// `Authorization: Bearer <key>` (OpenAI's SDKs) or `x-api-key` (Anthropic's); "" when neither.
std::string_view presentedKey(const http::Request& request);

}  // namespace katara::app
