#pragma once
#include <chrono>
#include <string>

#include "katara/http/message.h"

namespace katara::providers {

// The wait a provider asks for: `retry-after-ms`, else `retry-after` in seconds (the HTTP-date
// form is not used by any provider we speak to and reads as zero). Capped at one hour.
std::chrono::milliseconds retryAfter(const http::Headers& headers);

// " (retry after 2 s)" for an error reason, or "" when there is no wait.
std::string describeRetryAfter(std::chrono::milliseconds wait);

}  // namespace katara::providers
