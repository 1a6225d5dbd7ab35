#pragma once
// What a request cost: every billed attempt's tokens at its target's price, so a failover's
// cost is honest. Tokens a provider did not report (a stream cut before its usage) are
// estimated, and the total then says so.
#include <optional>

#include "katara/config/config.h"
#include "katara/core/chat.h"

namespace katara::routing {

struct AttemptRecord;
struct ExecutionSummary;
struct RequestShape;
struct Target;

// USD for `usage` at `price` (cache writes at the input price, cache reads at the cached one).
double costUsd(const config::PriceConfig& price, const core::Usage& usage);

struct RequestCost {
  double usd = 0;
  bool estimated = false;  // some billed attempt's tokens were estimated
  bool unpriced = false;   // some billed attempt's target has no known price (not in `usd`)
};

// The tokens one billed attempt is charged for: as the provider reported them, or estimated.
struct AttemptBill {
  core::Usage usage;
  bool estimated = false;
};
AttemptBill billOf(const AttemptRecord& attempt, const RequestShape& shape);

// The cost of every billed attempt so far.
RequestCost requestCost(const ExecutionSummary& summary, const RequestShape& shape);

// "0.000123" and, when estimated, the header saying so; for answers and the end of streams.
std::string formatUsd(double usd);

}  // namespace katara::routing
