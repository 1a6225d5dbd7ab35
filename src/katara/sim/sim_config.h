#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "katara/sim/faults.h"

namespace katara::sim {

// A value drawn per request: uniform in [mean - jitter, mean + jitter], never below zero.
struct Distribution {
  double mean = 0;
  double jitter = 0;
  double sample(std::mt19937_64& rng) const;
};

struct SimModel {
  std::string name;
  Distribution ttft_ms{200, 50};
  Distribution tokens_per_second{50, 10};
  Distribution answer_tokens{40, 10};
  int context_tokens = 0;        // a longer prompt (by the simulator's estimate) gets the API's context-length error; 0: no limit
  std::optional<Faults> faults;  // absent: the provider's faults apply
};

struct SimProvider {
  std::string name;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string api_key;  // when set, requests must present it (Bearer for OpenAI, x-api-key for Anthropic)
  std::map<std::string, SimModel> models;
  Faults faults;
};

struct SimConfig {
  std::string control_host = "127.0.0.1";
  std::uint16_t control_port = 0;
  std::uint64_t seed = 0;  // 0: random
  std::vector<SimProvider> providers;
};

struct SimConfigResult {
  std::optional<SimConfig> config;
  std::vector<std::string> errors;
};

SimConfigResult parseSimConfig(const std::string& yaml_text);

}  // namespace katara::sim
