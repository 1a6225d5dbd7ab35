#include "katara/app/redact.h"

#include <array>

namespace katara::app {

namespace {

constexpr std::string_view kRedacted = "[REDACTED]";

bool keyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

// Prefixes of credentials, and how many key characters must follow for it to be one.
struct KeyShape {
  std::string_view prefix;
  std::size_t min_tail;
};
constexpr std::array<KeyShape, 4> kShapes = {{{"sk-", 16}, {"AIza", 30}, {"Bearer ", 16}, {"xai-", 16}}};

}  // namespace

std::string redactSecrets(std::string_view text, const std::vector<std::string>& known) {
  std::string out(text);
  for (const auto& secret : known) {
    if (secret.size() < 4) continue;  // too short to tell from ordinary text
    for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kRedacted.size())) {
      out.replace(at, secret.size(), kRedacted);
    }
  }
  for (const auto& shape : kShapes) {
    for (auto at = out.find(shape.prefix); at != std::string::npos; at = out.find(shape.prefix, at + 1)) {
      auto end = at + shape.prefix.size();
      while (end < out.size() && keyChar(out[end])) ++end;
      if (end - at - shape.prefix.size() < shape.min_tail) continue;
      out.replace(at + shape.prefix.size(), end - at - shape.prefix.size(), kRedacted);
    }
  }
  return out;
}

}  // namespace katara::app
