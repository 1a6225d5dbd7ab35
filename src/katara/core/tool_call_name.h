#pragma once
#include <string>
#include <vector>

#include "katara/core/chat.h"

namespace katara::core {

// The function a tool result answers, found by call id in the turns before `before`, or "" when
// no earlier call has that id. Formats that match results to calls by name (Gemini, Ollama)
// need it; the canonical form, like OpenAI, matches by id.
inline std::string toolCallName(const std::vector<Message>& messages, std::size_t before, const std::string& id) {
  for (std::size_t i = before; i-- > 0;) {
    for (const auto& c : messages[i].tool_calls) {
      if (c.id == id) return c.name;
    }
  }
  return {};
}

}  // namespace katara::core
