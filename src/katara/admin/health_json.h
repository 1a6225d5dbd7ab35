#pragma once
// GET /admin/health: every provider's and every target's live health as JSON.
#include <string>

#include "katara/routing/route_table.h"

namespace katara::admin {

// {"providers":[{"name","kind","enabled","disabled_reason"?,"health":{...}}],
//  "targets":[{"provider","model","health":{...}}]} where each health object holds the circuit
// state (and for how long more it stays open), the window's and all-time attempt and failure
// counts, consecutive failures, EWMA latency and time to first token, the last error and its age,
// and how often the circuit opened.
std::string healthJson(const routing::RouteTable& routes);

}  // namespace katara::admin
