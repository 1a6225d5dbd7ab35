#include "katara/routing/health_gate.h"

#include "katara/providers/rate_limits.h"

namespace katara::routing {

using core::UpstreamErrorKind;

namespace {

// Whether the outcome says the provider's host is reachable (Ok, or any HTTP answer) or not.
bool aboutTheHost(UpstreamErrorKind kind) {
  return kind == UpstreamErrorKind::Connect || kind == UpstreamErrorKind::Tls;
}

}  // namespace

HealthGate admit(const Target& target, health::Clock::time_point now, bool probe) {
  HealthGate gate;
  // With active probes the probes take the trials: requests never do.
  const bool may_trial = probe || target.provider->probe_interval.count() == 0;
  gate.provider = target.provider->health->admit(now, may_trial, probe);
  if (!gate.provider.allowed) return gate;
  gate.target = target.health->admit(now, may_trial, probe);
  if (!gate.target.allowed && gate.provider.trial) {
    target.provider->health->record({UpstreamErrorKind::Cancelled}, true, now);  // no verdict
  }
  return gate;
}

void noteRateLimits(const Target& target, const http::Headers& headers, health::Clock::time_point now) {
  if (auto p = providers::readRateLimits(headers, std::chrono::system_clock::now())) {
    target.health->noteRateLimit(p->remaining_share, p->remaining, p->resets_in, now);
  }
}

std::string refusalReason(const Target& target, const HealthGate& gate, health::Clock::time_point now) {
  const bool provider_open = !gate.provider.allowed;
  const auto& h = provider_open ? *target.provider->health : *target.health;
  const auto snap = h.snapshot(now);
  std::string out = provider_open ? "provider circuit open" : "circuit open";
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(gate.retryAt() - now).count();
  if (wait > 0) out += " for " + std::to_string(wait) + " ms more";
  else out += ", its trial in flight";
  if (!snap.last_error.empty()) out += "; last error: " + snap.last_error.substr(0, 200);
  return out;
}

void report(const Target& target, const HealthGate& gate, const AttemptRecord& record, health::Clock::time_point now) {
  health::Outcome outcome{record.kind, record.elapsed, record.first_token, record.retry_after, record.message,
                          record.tokens_per_second};
  target.health->record(outcome, gate.target.trial, now);
  const bool reached = health::countsAgainstTarget(record.kind) && !aboutTheHost(record.kind);
  if (aboutTheHost(record.kind) || reached) {
    // The host answered (whatever it said) or could not be reached: the provider's verdict.
    health::Outcome host{reached ? UpstreamErrorKind::Ok : record.kind, record.elapsed, {}, {}, record.message};
    if (record.kind == UpstreamErrorKind::Ok) {  // its speed too: the provider's figures are its answers'
      host.first_token = record.first_token;
      host.tokens_per_second = record.tokens_per_second;
    }
    target.provider->health->record(host, gate.provider.trial, now);
  } else if (gate.provider.trial) {
    target.provider->health->record({UpstreamErrorKind::Cancelled}, true, now);  // no verdict
  }
}

}  // namespace katara::routing
