#include "katara/providers/adapter.h"
#include "katara/providers/openai/openai_adapter.h"

namespace katara::providers {

const Adapter* adapterFor(std::string_view kind) {
  static const openai::OpenAiAdapter kOpenAi;
  if (kind == kOpenAi.kind()) return &kOpenAi;
  return nullptr;
}

}  // namespace katara::providers
