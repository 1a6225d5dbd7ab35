#pragma once
#include <string>

namespace katara::sim {

// Runs `katara sim`: serves every simulated provider and the control API until SIGINT/SIGTERM.
int runSimulator(const std::string& config_path);

}  // namespace katara::sim
