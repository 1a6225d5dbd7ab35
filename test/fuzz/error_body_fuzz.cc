// Upstream bytes: a provider's error body, classified for failover by every adapter.
#include <cstdint>
#include <string_view>

#include "katara/providers/adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  for (const auto* adapter : katara::providers::allAdapters()) {
    for (int status : {400, 404, 429, 500}) (void)adapter->classifyError(status, {}, body);
    (void)adapter->clientError(400, body);
  }
  return 0;
}
