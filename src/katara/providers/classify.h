#pragma once
#include <string>

#include "katara/core/api_error.h"
#include "katara/core/error_kind.h"
#include "katara/core/result.h"
#include "katara/http/message.h"

namespace katara::providers {

// What an HTTP status alone says about a failed attempt, the same for every provider:
// 429 rate limited; 503/529 overloaded; other 5xx, 409 (a conflict on their side) server;
// 401/403 our key for them; 404 the configured model; 408 timeout; other 4xx the caller's own
// mistake. 1xx, 3xx and nonsense statuses are a bad response. Adapters refine the 4xx cases
// from the body (context length, content filter, a provider's own quirks).
core::UpstreamErrorKind kindForStatus(int status);

// The reason line of an error summary: "HTTP 429: <message>" plus the provider's requested wait.
core::UpstreamError upstreamError(core::UpstreamErrorKind kind, int status, const std::string& message,
                                  const http::Headers& headers);

// The neutral `type` a client error of this status has (OpenAI's and Anthropic's vocabularies
// are mapped from it by each front door).
std::string errorTypeForStatus(int status);

// A caller's error from an upstream, as neutral fields for a client of another format: the
// upstream's message (or a generic one when it gave none) with its status.
core::ApiError restatedClientError(int status, std::string message);

}  // namespace katara::providers
