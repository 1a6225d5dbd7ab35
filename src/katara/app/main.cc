// katara serve | check | sim, and --version.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "katara/app/serve.h"
#include "katara/config/config.h"
#include "katara/sim/sim.h"

int main(int argc, char** argv) {
  CLI::App cli{"Katara: a resilient AI gateway"};
  cli.set_version_flag("--version", std::string("katara ") + KATARA_VERSION);
  cli.require_subcommand(1);
  std::string config_path = "katara.yaml";
  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();

  auto* serve = cli.add_subcommand("serve", "Serve the gateway");
  serve->add_option("--config,-c", config_path, "configuration file")->capture_default_str();
  auto* check = cli.add_subcommand("check", "Validate a configuration without serving");
  check->add_option("--config,-c", config_path, "configuration file")->capture_default_str();
  std::string sim_config;
  auto* sim = cli.add_subcommand("sim", "Run the provider simulator");
  sim->add_option("--config,-c", sim_config, "simulator configuration file")->required();

  CLI11_PARSE(cli, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  if (*sim) return katara::sim::runSimulator(sim_config);

  auto loaded = katara::config::loadConfigFile(config_path);
  if (!loaded.config) {
    for (const auto& e : loaded.errors) std::cerr << config_path << ": " << e << "\n";
    return 2;
  }
  if (*check) {
    const auto& c = *loaded.config;
    std::cout << config_path << ": ok (" << c.providers.size() << " providers, " << c.models.size() << " models)\n";
    for (const auto& [name, p] : c.providers) {
      if (!p.enabled) std::cout << "  provider " << name << " disabled: " << p.disabled_reason << "\n";
    }
    return 0;
  }
  return katara::app::serve(*loaded.config);
}
