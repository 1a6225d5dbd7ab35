#pragma once
#include <optional>
#include <string_view>

namespace katara::core {

// How one upstream attempt ended. Routing, retries, health and metrics all branch on this,
// so every failure path must land in exactly one of these classes.
enum class UpstreamErrorKind {
  Ok,
  Connect,       // refused, unreachable, reset before any response byte, DNS failure
  Tls,           // handshake or certificate verification failed
  Timeout,       // connect, first byte, idle gap between chunks, or the total deadline
  RateLimited,   // 429 (Retry-After read where present)
  Server,        // 5xx other than overload
  Overloaded,    // 503 / 529: the provider asks to slow down
  Auth,          // 401/403 from the provider: our key for it is wrong, not the caller's fault
  NotFound,      // 404 from the provider: the configured model id does not exist there
  BadResponse,   // malformed status line, body or stream
  ContextLength, // the prompt does not fit the model
  ContentFilter, // the provider refused the content
  ClientError,   // the caller's own mistake (400-class): returned as is, never failed over
  Cancelled,     // the client went away
  Disabled,      // the provider is disabled (e.g. its key variable is unset)
  Untranslatable,// the request uses a feature the target's format cannot carry (not sent)
  CircuitOpen,   // the target's circuit is open: skipped, not sent
};

// True when the attempt never reached out to the provider.
bool notSent(UpstreamErrorKind kind);

std::string_view toString(UpstreamErrorKind kind);
// The kind toString() names; nullopt for any other text.
std::optional<UpstreamErrorKind> kindFromString(std::string_view name);
inline constexpr int kUpstreamErrorKinds = static_cast<int>(UpstreamErrorKind::CircuitOpen) + 1;

// True when the next target should be tried: the failure says nothing about the request itself.
bool shouldFailOver(UpstreamErrorKind kind);

}  // namespace katara::core
