#include "katara/config/provider_kinds.h"

namespace katara::config {

namespace {

// openai covers every OpenAI-compatible API; its default is OpenAI's own.
constexpr ProviderKind kKinds[] = {
    {"openai", "https://api.openai.com/v1", false},  // vLLM and llama.cpp server can: `prefill: true`
    {"anthropic", "https://api.anthropic.com", true},
    {"azure", "", false},  // every Azure OpenAI resource has its own host
    {"gemini", "https://generativelanguage.googleapis.com", false},
    {"ollama", "http://127.0.0.1:11434", true},
};

}  // namespace

const ProviderKind* findProviderKind(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string providerKindNames() {
  std::string out;
  for (const auto& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

}  // namespace katara::config
