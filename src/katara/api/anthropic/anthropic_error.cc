#include "katara/api/anthropic/anthropic_error.h"

#include "katara/core/json_text.h"

namespace katara::api::anthropic {

std::string_view errorType(int status) {
  switch (status) {
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 409: return "conflict_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 503:
    case 529: return "overloaded_error";
    case 504: return "timeout_error";
    default: return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

std::string errorBody(const core::ApiError& e) {
  std::string out = R"({"type":"error","error":{"type":)";
  core::appendJsonString(out, errorType(e.status));
  out += R"(,"message":)";
  core::appendJsonString(out, e.message);
  out += '}';
  if (!e.request_id.empty()) {
    out += R"(,"request_id":)";
    core::appendJsonString(out, e.request_id);
  }
  out += '}';
  return out;
}

core::ApiError invalidRequest(std::string message) {
  return {400, std::move(message), "invalid_request_error", std::nullopt, std::nullopt};
}

core::ApiError unknownModel(std::string_view model) {
  return {404, "model: " + std::string(model), "not_found_error", std::nullopt, std::nullopt};
}

}  // namespace katara::api::anthropic
