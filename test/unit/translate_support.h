#pragma once
// Runs upstream bytes through an adapter's decoder and a client dialect's encoder, the way a
// translated answer runs in the executor, for golden tests.
#include <gtest/gtest.h>

#include <string>

#include "katara/api/openai/openai_stream_encode.h"
#include "katara/core/client_dialect.h"
#include "katara/providers/adapter.h"

namespace katara::test_support {

// Feeds the upstream bytes in small pieces (as the network splits them) through the adapter's
// decoder and the client's encoder.
inline std::string translateStream(const providers::Adapter& adapter, const core::ClientDialect& client,
                            const std::string& upstream, const core::ChatRequest& request = {}) {
  auto decoder = adapter.streamDecoder();
  auto encoder = client.streamEncoder(request);
  std::string out, error;
  std::vector<core::ChatEvent> events;
  for (std::size_t i = 0; i < upstream.size(); i += 7) {
    events.clear();
    EXPECT_TRUE(decoder->feed(std::string_view(upstream).substr(i, 7), events, error)) << error;
    for (const auto& e : events) out += encoder->encode(e);
  }
  events.clear();
  EXPECT_TRUE(decoder->end(events, error)) << error;
  for (const auto& e : events) out += encoder->encode(e);
  EXPECT_TRUE(encoder->complete());
  return out;
}

inline std::string translateResponse(const providers::Adapter& adapter, const core::ClientDialect& client, const std::string& body) {
  auto decoded = adapter.decodeChat(body);
  EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message);
  if (!decoded.ok()) return "";
  if (decoded->created == 0) decoded->created = 1760000000;  // Anthropic has none: the encoder would use now
  return client.encodeResponse(decoded.value(), {}) + "\n";
}

// Upstream bytes in pieces of `piece` bytes through the adapter's decoder and OpenAI's chunk
// encoder with a fixed `created`, for byte-exact goldens.
inline std::string translateToOpenAiStream(const providers::Adapter& adapter, const std::string& upstream,
                                           bool include_usage, std::size_t piece = 11) {
  auto decoder = adapter.streamDecoder();
  api::OpenAiChunkEncoder encoder(include_usage, 1760000000);
  std::vector<core::ChatEvent> events;
  std::string error, out;
  for (std::size_t i = 0; i < upstream.size(); i += piece) {
    events.clear();
    EXPECT_TRUE(decoder->feed(std::string_view(upstream).substr(i, piece), events, error)) << error;
    for (const auto& e : events) out += encoder.encode(e);
  }
  events.clear();
  EXPECT_TRUE(decoder->end(events, error)) << error;
  for (const auto& e : events) out += encoder.encode(e);
  EXPECT_TRUE(encoder.complete());
  return out;
}

}  // namespace katara::test_support
