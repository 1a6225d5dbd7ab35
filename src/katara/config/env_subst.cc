#include "katara/config/env_subst.h"

#include <cstdlib>

namespace katara::config {

std::optional<std::string> processEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

SubstResult substituteEnv(const std::string& text, const EnvLookup& lookup) {
  SubstResult out;
  out.text.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out.text += c;
      continue;
    }
    if (text[i + 1] == '$') {
      out.text += '$';
      ++i;
      continue;
    }
    if (text[i + 1] != '{') {
      out.text += c;
      continue;
    }
    auto close = text.find('}', i + 2);
    if (close == std::string::npos) {
      out.error = "unterminated ${ in \"" + text + "\"";
      return out;
    }
    std::string body = text.substr(i + 2, close - i - 2);
    std::optional<std::string> fallback;
    if (auto dash = body.find(":-"); dash != std::string::npos) {
      fallback = body.substr(dash + 2);
      body.resize(dash);
    }
    if (body.empty()) {
      out.error = "empty variable name in \"" + text + "\"";
      return out;
    }
    auto value = lookup(body);
    if (value && !value->empty()) {
      out.text += *value;
    } else if (fallback) {
      out.text += *fallback;
    } else {
      out.unset.push_back(body);
    }
    i = close;
  }
  return out;
}

}  // namespace katara::config
