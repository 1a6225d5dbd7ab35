// Upstream bytes: an Anthropic Messages stream, decoded and re-encoded as OpenAI chunks.
#include <cstdint>
#include <string_view>

#include "katara/api/openai/openai_stream_encode.h"
#include "katara/http/sse.h"
#include "katara/providers/anthropic/stream_decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  katara::http::SseSplitter splitter(1 << 16);
  splitter.feed(std::string_view(reinterpret_cast<const char*>(data), size));
  katara::providers::anthropic::MessagesStreamDecoder decoder;
  katara::api::OpenAiChunkEncoder encoder(true, 0);
  while (auto ev = splitter.next()) {
    std::vector<katara::core::ChatEvent> events;
    std::string error;
    if (!decoder.onEvent(ev->event, ev->data, events, error)) break;
    for (const auto& e : events) (void)encoder.encode(e);
  }
  return 0;
}
