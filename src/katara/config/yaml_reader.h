#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "katara/config/env_subst.h"

namespace katara::config {

// Reads typed values out of a YAML tree, substituting ${ENV} in every scalar and collecting
// every error with its YAML path ("providers.openai.kind: ..."), so a bad file reports all its
// mistakes at once. Only config code sees YAML; it hands plain structs to the rest.
class YamlReader {
 public:
  explicit YamlReader(EnvLookup env) : env_(std::move(env)) {}

  void error(const std::string& path, const std::string& message);
  const std::vector<std::string>& errors() const { return errors_; }

  // Reports every key of the map `node` that is not in `allowed`. False if `node` is no map.
  bool expectMap(const YAML::Node& node, const std::string& path,
                 std::initializer_list<const char*> allowed);

  // Scalars; an absent node yields nullopt without error. `unset` receives variables that were
  // referenced but unset (the caller decides whether that is an error).
  std::optional<std::string> string(const YAML::Node& node, const std::string& path,
                                    std::vector<std::string>* unset = nullptr);
  std::optional<std::int64_t> integer(const YAML::Node& node, const std::string& path,
                                      std::int64_t min, std::int64_t max);
  std::optional<bool> boolean(const YAML::Node& node, const std::string& path);
  std::optional<double> number(const YAML::Node& node, const std::string& path);

  // A mapping key as text; YAML also allows sequences and maps as keys, which are reported.
  std::optional<std::string> key(const YAML::Node& key_node, const std::string& path);

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  EnvLookup env_;
  std::vector<std::string> errors_;
};

// Parses YAML text; a syntax error is appended to `errors` (with its line) and yields nullopt.
std::optional<YAML::Node> loadYaml(const std::string& text, std::vector<std::string>& errors);

// Runs `read` (which returns a result with an `errors` list), turning any yaml-cpp exception it
// lets escape into one more error: a configuration file must never crash the process.
template <class Result, class Read>
Result guardYaml(Read&& read) {
  try {
    return read();
  } catch (const YAML::Exception& e) {
    Result r;
    r.errors.push_back("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    return r;
  }
}

}  // namespace katara::config
