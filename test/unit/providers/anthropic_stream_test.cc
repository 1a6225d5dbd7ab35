#include <gtest/gtest.h>

#include "test_data.h"


#include "katara/api/openai/openai_stream_encode.h"
#include "katara/http/sse.h"
#include "katara/providers/anthropic/stream_decode.h"

using namespace katara;
using katara::test_support::readData;

namespace {

// Anthropic SSE bytes → canonical events → OpenAI SSE bytes, the way a translated stream runs.
std::string translate(const std::string& anthropic_sse, bool include_usage) {
  http::SseSplitter splitter;
  splitter.feed(anthropic_sse);
  providers::anthropic::MessagesStreamDecoder decoder;
  api::OpenAiChunkEncoder encoder(include_usage, 1760000000);
  std::string out;
  while (auto ev = splitter.next()) {
    std::vector<core::ChatEvent> events;
    std::string error;
    EXPECT_TRUE(decoder.onEvent(ev->event, ev->data, events, error)) << error;
    for (const auto& e : events) out += encoder.encode(e);
  }
  EXPECT_TRUE(decoder.finished());
  EXPECT_TRUE(encoder.complete());
  return out;
}

}  // namespace

TEST(AnthropicToOpenAiStream, GoldenTextStreamWithUsage) {
  EXPECT_EQ(translate(readData("anthropic/stream_text.in.sse"), true), readData("anthropic/stream_text.out.openai.sse"));
}

TEST(AnthropicToOpenAiStream, GoldenToolUseStreamKeepsOpenAisIndexRules) {
  EXPECT_EQ(translate(readData("anthropic/stream_tool.in.sse"), false), readData("anthropic/stream_tool.out.openai.sse"));
}

TEST(AnthropicStreamDecode, InBandErrorBecomesAnOpenAiErrorEvent) {
  providers::anthropic::MessagesStreamDecoder decoder;
  std::vector<core::ChatEvent> events;
  std::string error;
  ASSERT_TRUE(decoder.onEvent("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})", events, error));
  ASSERT_EQ(events.size(), 1u);
  api::OpenAiChunkEncoder encoder(false, 1);
  EXPECT_EQ(encoder.encode(events[0]),
            "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\",\"param\":null,\"code\":null}}\n\ndata: [DONE]\n\n");
}

TEST(AnthropicStreamDecode, MalformedEventsAreReported) {
  providers::anthropic::MessagesStreamDecoder decoder;
  std::vector<core::ChatEvent> events;
  std::string error;
  EXPECT_FALSE(decoder.onEvent("content_block_delta", "{not json", events, error));
  EXPECT_FALSE(decoder.onEvent("content_block_delta",
                               R"({"type":"content_block_delta","index":3,"delta":{"type":"input_json_delta","partial_json":"{"}})", events, error))
      << "arguments for a block that never started as a tool_use";
  EXPECT_NE(error.find("tool_use"), std::string::npos);
}

TEST(AnthropicStreamDecode, StopReasonsMapToOpenAiFinishReasons) {
  using providers::anthropic::finishReasonOf;
  EXPECT_STREQ(api::openAiFinishReason(finishReasonOf("end_turn")), "stop");
  EXPECT_STREQ(api::openAiFinishReason(finishReasonOf("stop_sequence")), "stop");
  EXPECT_STREQ(api::openAiFinishReason(finishReasonOf("max_tokens")), "length");
  EXPECT_STREQ(api::openAiFinishReason(finishReasonOf("tool_use")), "tool_calls");
  EXPECT_STREQ(api::openAiFinishReason(finishReasonOf("refusal")), "content_filter");
}
