// Client bytes for /v1/embeddings, and upstream embedding answers of every format: parsed,
// re-encoded for each adapter and decoded, without crashing or reading out of bounds.
#include <cstdint>
#include <string_view>

#include "katara/api/openai/embeddings.h"
#include "katara/providers/adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto parsed = katara::api::parseEmbeddingsRequest(bytes);
  for (const auto* adapter : katara::providers::allAdapters()) {
    const auto* embedder = adapter->embedder();
    if (!embedder) continue;
    if (const auto* call = std::get_if<katara::api::EmbeddingsCall>(&parsed)) {
      std::string why;
      (void)embedder->encode(call->request, why);
    }
    for (std::size_t inputs : {1u, 2u}) {
      if (auto r = embedder->decode(bytes, inputs); r.ok()) {
        (void)katara::api::encodeEmbeddingsResponse(r.value(), size % 2 == 0, "m");
      }
    }
  }
  return 0;
}
