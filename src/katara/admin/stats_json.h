#pragma once
// GET /admin/stats's body: per provider and model over the window, with the series per step.
#include <string>
#include <vector>

#include "katara/store/request_log.h"

namespace katara::admin {

std::string statsJson(const store::StatsQuery& query, const store::Stats& stats, const store::LogCounters& log);

}  // namespace katara::admin
