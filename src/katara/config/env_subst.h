#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace katara::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

struct SubstResult {
  std::string text;
  std::vector<std::string> unset;  // variables that were referenced, unset and had no default
  std::string error;               // non-empty for a malformed reference such as "${FOO"
};

// Replaces ${VAR} and ${VAR:-default} in `text`; "$$" stands for a literal "$".
SubstResult substituteEnv(const std::string& text, const EnvLookup& lookup);

// The process environment.
std::optional<std::string> processEnv(const std::string& name);

}  // namespace katara::config
