#pragma once
#include <string>
#include <string_view>

#include "katara/core/api_error.h"

namespace katara::api::anthropic {

// {"type":"error","error":{"type","message"},"request_id"} (request_id when known) with the type
// Anthropic gives each status: 400 invalid_request_error, 401 authentication_error, 402
// billing_error, 403 permission_error, 404 not_found_error, 409 conflict_error, 413 request_too_large, 429 rate_limit_error, 503 and 529
// overloaded_error, 504 timeout_error, other 5xx api_error (other 4xx invalid_request_error).
std::string errorBody(const core::ApiError& error);
std::string_view errorType(int status);

// "messages.0.content: Input should be a valid list", as the API words its 400s.
core::ApiError invalidRequest(std::string message);
// 404 "model: <name>" for a model no route serves.
core::ApiError unknownModel(std::string_view model);

}  // namespace katara::api::anthropic
