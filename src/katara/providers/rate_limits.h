#pragma once
// The rate-limit headers providers send on every answer, read into one picture: how much of the
// current window is left and when it resets. OpenAI and OpenAI-compatible servers send
// x-ratelimit-{limit,remaining,reset}-{requests,tokens} (resets as durations: "1s", "6m0s",
// "120ms"); Anthropic sends anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-
// {limit,remaining,reset} (resets as RFC 3339 times).
#include <chrono>
#include <optional>

#include "katara/http/message.h"

namespace katara::providers {

struct RateLimitPressure {
  double remaining_share = 1;  // the smallest remaining/limit among the limits reported
  std::int64_t remaining = -1;   // what is left of that limit
  std::chrono::milliseconds resets_in{0};  // until that limit's window resets (0: unknown)
};

// nullopt when the answer carries no rate-limit headers.
std::optional<RateLimitPressure> readRateLimits(const http::Headers& headers, std::chrono::system_clock::time_point now);

// "6m0s", "1.5s", "120ms", "2h" → a duration; nullopt when it is not one.
std::optional<std::chrono::milliseconds> parseResetDuration(std::string_view text);

}  // namespace katara::providers
