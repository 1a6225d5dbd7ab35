#include "katara/config/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace katara::config {

void YamlReader::error(const std::string& path, const std::string& message) {
  errors_.push_back((path.empty() ? std::string("(root)") : path) + ": " + message);
}

bool YamlReader::expectMap(const YAML::Node& node, const std::string& path,
                           std::initializer_list<const char*> allowed) {
  if (!node.IsMap()) {
    error(path, "expected a mapping");
    return false;
  }
  for (const auto& kv : node) {
    auto text = this->key(kv.first, path);
    if (!text) continue;
    const std::string& key = *text;
    bool known = std::any_of(allowed.begin(), allowed.end(),
                             [&](const char* a) { return key == a; });
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      error(join(path, key), "unknown key (expected one of: " + list + ")");
    }
  }
  return true;
}

std::optional<std::string> YamlReader::key(const YAML::Node& key_node, const std::string& path) {
  if (!key_node.IsScalar()) {
    error(path, "mapping keys must be plain strings");
    return std::nullopt;
  }
  return key_node.Scalar();
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, const std::string& path,
                                              std::vector<std::string>* unset) {
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (!node.IsScalar()) {
    error(path, "expected a string");
    return std::nullopt;
  }
  auto subst = substituteEnv(node.Scalar(), env_);
  if (!subst.error.empty()) {
    error(path, subst.error);
    return std::nullopt;
  }
  if (!subst.unset.empty()) {
    if (unset != nullptr) {
      *unset = subst.unset;
    } else {
      error(path, "environment variable " + subst.unset.front() + " is not set");
      return std::nullopt;
    }
  }
  return subst.text;
}

std::optional<std::int64_t> YamlReader::integer(const YAML::Node& node, const std::string& path,
                                                std::int64_t min, std::int64_t max) {
  auto text = string(node, path);
  if (!text) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size()) {
    error(path, "expected an integer, got \"" + *text + "\"");
    return std::nullopt;
  }
  if (v < min || v > max) {
    error(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<double> YamlReader::number(const YAML::Node& node, const std::string& path) {
  auto text = string(node, path);
  if (!text) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size()) {
    error(path, "expected a number, got \"" + *text + "\"");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, const std::string& path) {
  auto text = string(node, path);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  error(path, "expected true or false, got \"" + *text + "\"");
  return std::nullopt;
}

std::optional<YAML::Node> loadYaml(const std::string& text, std::vector<std::string>& errors) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back("YAML syntax error at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    return std::nullopt;
  }
}

}  // namespace katara::config
