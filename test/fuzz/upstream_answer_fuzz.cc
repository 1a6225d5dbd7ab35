// Upstream bytes: a provider's answer, streamed or whole, decoded by every adapter and
// re-encoded for every client format. Bytes are fed in pieces, as the network splits them.
#include <cstdint>
#include <string_view>

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/providers/anthropic/anthropic_adapter.h"
#include "katara/providers/openai/openai_adapter.h"

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
  static const katara::providers::openai::OpenAiAdapter openai;
  static const katara::providers::anthropic::AnthropicAdapter anthropic;
  static const katara::api::OpenAiDialect openai_client;
  static const katara::api::anthropic::AnthropicDialect anthropic_client;
  decodeStream(openai, anthropic_client, bytes);
  decodeStream(anthropic, openai_client, bytes);
  if (auto r = openai.decodeChat(bytes); r.ok()) (void)anthropic_client.encodeResponse(r.value(), {});
  if (auto r = anthropic.decodeChat(bytes); r.ok()) (void)openai_client.encodeResponse(r.value(), {});
  (void)openai.classifyError(400, {}, bytes);
  (void)anthropic.classifyError(400, {}, bytes);
  return 0;
}
