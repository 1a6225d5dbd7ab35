#pragma once
// Internal to config/: the `store`, `admin` and `tracing` sections of katara.yaml.
#include "katara/config/config.h"
#include "katara/config/yaml_reader.h"

namespace katara::config {

void readObservability(YamlReader& r, const YAML::Node& root, Config& cfg);

}  // namespace katara::config
