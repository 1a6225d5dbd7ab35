#pragma once
// Shared by the configuration tests.
#include <string>

#include "katara/config/config.h"

namespace katara::config::testing {

// True when some error of `r` contains `needle` (a YAML path, a phrase).
inline bool hasError(const LoadResult& r, const std::string& needle) {
  for (const auto& e : r.errors) if (e.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace katara::config::testing
