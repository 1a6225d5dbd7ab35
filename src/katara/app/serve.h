#pragma once
#include "katara/config/config.h"

namespace katara::app {

// Runs the gateway until SIGINT/SIGTERM, then drains within the configured grace period.
// Returns the process exit code.
int serve(const config::Config& config);

}  // namespace katara::app
