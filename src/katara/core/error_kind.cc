#include "katara/core/error_kind.h"

namespace katara::core {

std::string_view toString(UpstreamErrorKind kind) {
  switch (kind) {
    case UpstreamErrorKind::Ok: return "ok";
    case UpstreamErrorKind::Connect: return "connect";
    case UpstreamErrorKind::Tls: return "tls";
    case UpstreamErrorKind::Timeout: return "timeout";
    case UpstreamErrorKind::RateLimited: return "rate_limited";
    case UpstreamErrorKind::Server: return "server";
    case UpstreamErrorKind::Overloaded: return "overloaded";
    case UpstreamErrorKind::Auth: return "auth";
    case UpstreamErrorKind::NotFound: return "not_found";
    case UpstreamErrorKind::BadResponse: return "bad_response";
    case UpstreamErrorKind::ContextLength: return "context_length";
    case UpstreamErrorKind::ContentFilter: return "content_filter";
    case UpstreamErrorKind::ClientError: return "client_error";
    case UpstreamErrorKind::Cancelled: return "cancelled";
    case UpstreamErrorKind::Disabled: return "disabled";
    case UpstreamErrorKind::Untranslatable: return "untranslatable";
    case UpstreamErrorKind::CircuitOpen: return "circuit_open";
  }
  return "unknown";
}

std::optional<UpstreamErrorKind> kindFromString(std::string_view name) {
  for (int k = 0; k < kUpstreamErrorKinds; ++k) {
    if (toString(static_cast<UpstreamErrorKind>(k)) == name) return static_cast<UpstreamErrorKind>(k);
  }
  return std::nullopt;
}

bool shouldFailOver(UpstreamErrorKind kind) {
  switch (kind) {
    case UpstreamErrorKind::Ok:
    case UpstreamErrorKind::ClientError:
    case UpstreamErrorKind::ContextLength:
    case UpstreamErrorKind::ContentFilter:
    case UpstreamErrorKind::Cancelled:
      return false;
    default:
      return true;
  }
}

bool notSent(UpstreamErrorKind kind) {
  return kind == UpstreamErrorKind::Disabled || kind == UpstreamErrorKind::Untranslatable ||
         kind == UpstreamErrorKind::CircuitOpen;
}

}  // namespace katara::core
