// Upstream bytes: a provider's error body, classified for failover.
#include <cstdint>
#include <string_view>

#include "katara/providers/openai/openai_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  katara::providers::openai::OpenAiAdapter adapter;
  for (int status : {400, 404, 429, 500}) (void)adapter.classifyError(status, {}, body);
  return 0;
}
