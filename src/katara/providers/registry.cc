#include "katara/providers/adapter.h"
#include "katara/providers/anthropic/anthropic_adapter.h"
#include "katara/providers/azure/azure_adapter.h"
#include "katara/providers/gemini/gemini_adapter.h"
#include "katara/providers/ollama/ollama_adapter.h"
#include "katara/providers/openai/openai_adapter.h"

namespace katara::providers {

const std::vector<const Adapter*>& allAdapters() {
  static const openai::OpenAiAdapter kOpenAi;
  static const anthropic::AnthropicAdapter kAnthropic;
  static const azure::AzureAdapter kAzure;
  static const gemini::GeminiAdapter kGemini;
  static const ollama::OllamaAdapter kOllama;
  static const std::vector<const Adapter*> kAll{&kOpenAi, &kAnthropic, &kAzure, &kGemini, &kOllama};
  return kAll;
}

const Adapter* adapterFor(std::string_view kind) {
  for (const auto* a : allAdapters()) {
    if (a->kind() == kind) return a;
  }
  return nullptr;
}

std::string knownKinds() {
  std::string out;
  for (const auto* a : allAdapters()) out += (out.empty() ? "" : ", ") + std::string(a->kind());
  return out;
}

}  // namespace katara::providers
