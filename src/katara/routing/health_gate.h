#pragma once
// Internal to routing/: the executor's use of health. Before an attempt, the target passes its
// provider's circuit (is the host reachable?) and its own (does this model answer?); after it,
// the outcome goes to both.
#include <string>

#include "katara/health/target_health.h"
#include "katara/routing/executor.h"
#include "katara/routing/route_table.h"

namespace katara::routing {

struct HealthGate {
  health::Admission provider;
  health::Admission target;
  bool allowed() const { return provider.allowed && target.allowed; }
  // When refused: when a trial may go through.
  health::Clock::time_point retryAt() const { return provider.allowed ? target.retry_at : provider.retry_at; }
};

// Admits `target` now. A provider trial taken for a target that then refuses is given back.
// Requests never take trials of a provider with active probes; probes (`probe`) always may.
HealthGate admit(const Target& target, health::Clock::time_point now, bool probe = false);

// The provider's rate-limit headers on an answer (any status) to the target's health.
void noteRateLimits(const Target& target, const http::Headers& headers, health::Clock::time_point now);

// "circuit open for 1800 ms more; last error: server: HTTP 503 ..." for the attempt's reason.
std::string refusalReason(const Target& target, const HealthGate& gate, health::Clock::time_point now);

// The attempt's outcome to the target's health, and to the provider's when it says something
// about the host (reached or not).
void report(const Target& target, const HealthGate& gate, const AttemptRecord& record, health::Clock::time_point now);

}  // namespace katara::routing
