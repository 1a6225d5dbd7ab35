#include "katara/routing/cost.h"

#include <cstdio>

#include "katara/routing/executor.h"

namespace katara::routing {

double costUsd(const config::PriceConfig& price, const core::Usage& u) {
  const double cached = price.cached_input_per_mtok.value_or(price.input_per_mtok);
  return (static_cast<double>(u.input_tokens + u.cache_write_tokens) * price.input_per_mtok +
          static_cast<double>(u.cache_read_tokens) * cached + static_cast<double>(u.output_tokens) * price.output_per_mtok) /
         1e6;
}

AttemptBill billOf(const AttemptRecord& attempt, const RequestShape& shape) {
  if (attempt.usage) return {*attempt.usage, false};
  // The documented estimate: the request's prompt, and one token per content event relayed.
  AttemptBill bill;
  bill.usage.input_tokens = shape.prompt_tokens;
  bill.usage.output_tokens = attempt.output_seen;
  bill.estimated = true;
  return bill;
}

RequestCost requestCost(const ExecutionSummary& summary, const RequestShape& shape) {
  RequestCost cost;
  for (const auto& a : summary.attempts) {
    if (!a.billed || !a.target) continue;
    const auto bill = billOf(a, shape);
    cost.estimated |= bill.estimated;
    if (!a.target->price) {
      cost.unpriced = true;
      continue;
    }
    cost.usd += costUsd(*a.target->price, bill.usage);
  }
  return cost;
}

std::string formatUsd(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8f", usd);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace katara::routing
