#include "katara/providers/classify.h"

#include "katara/providers/retry_after.h"

namespace katara::providers {

using core::UpstreamErrorKind;

UpstreamErrorKind kindForStatus(int status) {
  if (status < 400 || status >= 600) return UpstreamErrorKind::BadResponse;
  if (status == 429) return UpstreamErrorKind::RateLimited;
  if (status == 503 || status == 529) return UpstreamErrorKind::Overloaded;
  if (status >= 500 || status == 409) return UpstreamErrorKind::Server;
  if (status == 401 || status == 403) return UpstreamErrorKind::Auth;
  if (status == 404) return UpstreamErrorKind::NotFound;
  if (status == 408) return UpstreamErrorKind::Timeout;
  return UpstreamErrorKind::ClientError;
}

core::UpstreamError upstreamError(UpstreamErrorKind kind, int status, const std::string& message,
                                  const http::Headers& headers) {
  core::UpstreamError e;
  e.kind = kind;
  e.retry_after = retryAfter(headers);
  e.message = (status < 400 || status >= 600 ? "unexpected HTTP " : "HTTP ") + std::to_string(status);
  if (!message.empty()) e.message += ": " + message.substr(0, 300);
  e.message += describeRetryAfter(e.retry_after);
  return e;
}

std::string errorTypeForStatus(int status) {
  return status >= 500 ? "server_error" : "invalid_request_error";
}

core::ApiError restatedClientError(int status, std::string message) {
  core::ApiError e;
  e.status = status;
  e.message = message.empty() ? "The upstream rejected the request (HTTP " + std::to_string(status) + ")."
                              : std::move(message);
  e.type = errorTypeForStatus(status);
  return e;
}

}  // namespace katara::providers
