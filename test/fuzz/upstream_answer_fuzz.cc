// Upstream bytes: a provider's answer, streamed or whole, decoded by every adapter and
// re-encoded for a client of another format. Bytes are fed in pieces, as the network splits them.
#include <cstdint>
#include <string_view>

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/providers/adapter.h"

namespace {

void decodeStream(const katara::providers::Adapter& adapter, const katara::core::ClientDialect& client, std::string_view bytes) {
  auto decoder = adapter.streamDecoder();
  auto encoder = client.streamEncoder({});
  std::vector<katara::core::ChatEvent> events;
  std::string error;
  const std::size_t step = bytes.empty() ? 1 : 1 + static_cast<unsigned char>(bytes[0]) % 61;
  for (std::size_t i = 0; i < bytes.size(); i += step) {
    events.clear();
    bool ok = decoder->feed(bytes.substr(i, step), events, error);
    for (const auto& e : events) (void)encoder->encode(e);
    if (!ok) return;
  }
  events.clear();
  if (decoder->end(events, error)) {
    for (const auto& e : events) (void)encoder->encode(e);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const katara::api::OpenAiDialect openai_client;
  static const katara::api::anthropic::AnthropicDialect anthropic_client;
  for (const auto* adapter : katara::providers::allAdapters()) {
    // The client format the adapter does not speak: its answer is translated.
    const katara::core::ClientDialect& client =
        adapter->format() == katara::core::ApiFormat::OpenAiChat ? static_cast<const katara::core::ClientDialect&>(anthropic_client)
                                                                 : openai_client;
    decodeStream(*adapter, client, bytes);
    if (auto r = adapter->decodeChat(bytes); r.ok()) (void)client.encodeResponse(r.value(), {});
    (void)adapter->classifyError(400, {}, bytes);
  }
  return 0;
}
