#pragma once
// One API request's bookkeeping, from its arrival to its log row: the trace the front door and
// the executor fill in, and when it arrived.
#include <chrono>
#include <string>

#include "katara/core/request_trace.h"

namespace katara::app {

struct RequestContext {
  core::RequestTrace trace;  // trace.id is the request id the client sees
  std::chrono::steady_clock::time_point arrived = {};
  const std::string& id() const { return trace.id; }
};

}  // namespace katara::app
