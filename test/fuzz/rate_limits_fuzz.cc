// Upstream bytes: a provider's rate-limit header values, read on every answer. Nothing may
// crash, and what is read stays in range.
#include <chrono>
#include <cstdint>
#include <string>

#include "katara/providers/rate_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace katara;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Three values separated by newlines: limit, remaining, reset; for both families of headers.
  std::string_view parts[3];
  std::size_t at = 0;
  for (auto& p : parts) {
    const auto nl = input.find('\n', at);
    p = input.substr(std::min(at, input.size()), nl == std::string_view::npos ? std::string_view::npos : nl - at);
    at = nl == std::string_view::npos ? input.size() : nl + 1;
  }
  const http::Headers headers{{"x-ratelimit-limit-requests", std::string(parts[0])},
                              {"x-ratelimit-remaining-requests", std::string(parts[1])},
                              {"x-ratelimit-reset-requests", std::string(parts[2])},
                              {"anthropic-ratelimit-tokens-limit", std::string(parts[0])},
                              {"anthropic-ratelimit-tokens-remaining", std::string(parts[1])},
                              {"anthropic-ratelimit-tokens-reset", std::string(parts[2])}};
  if (auto p = providers::readRateLimits(headers, std::chrono::system_clock::now())) {
    if (p->remaining < 0 || p->resets_in.count() < 0) __builtin_trap();
  }
  providers::parseResetDuration(input);
  return 0;
}
