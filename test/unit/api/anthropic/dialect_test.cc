// Golden tests of the translated answers: upstream bytes in, client bytes out.
#include <gtest/gtest.h>

#include "test_data.h"
#include "translate_support.h"

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/providers/anthropic/anthropic_adapter.h"
#include "katara/providers/openai/openai_adapter.h"

using namespace katara;
using katara::test_support::golden;
using katara::test_support::readData;
using katara::test_support::translateResponse;
using katara::test_support::translateStream;

namespace {

const providers::openai::OpenAiAdapter kOpenAi;
const providers::anthropic::AnthropicAdapter kAnthropic;
const api::OpenAiDialect kOpenAiClient;
const api::anthropic::AnthropicDialect kAnthropicClient;

}  // namespace

TEST(OpenAiToAnthropic, GoldenTextStream) {
  {
    auto actual = translateStream(kOpenAi, kAnthropicClient, readData("openai/stream_text.in.sse"));
    EXPECT_EQ(actual, golden("openai/stream_text.out.anthropic.sse", actual));
  }
}

TEST(OpenAiToAnthropic, GoldenParallelToolCallsBecomeBlocks) {
  {
    auto actual = translateStream(kOpenAi, kAnthropicClient, readData("openai/stream_tool.in.sse"));
    EXPECT_EQ(actual, golden("openai/stream_tool.out.anthropic.sse", actual));
  }
}

TEST(OpenAiToAnthropic, GoldenCompleteAnswer) {
  {
    auto actual = translateResponse(kOpenAi, kAnthropicClient, readData("openai/response.in.json"));
    EXPECT_EQ(actual, golden("openai/response.out.anthropic.json", actual));
  }
}

TEST(AnthropicToOpenAi, GoldenCompleteAnswer) {
  {
    auto actual = translateResponse(kAnthropic, kOpenAiClient, readData("anthropic/response.in.json"));
    EXPECT_EQ(actual, golden("anthropic/response.out.openai.json", actual));
  }
}

TEST(AnthropicToOpenAi, SseDecoderNeedsMessageStop) {
  auto decoder = kAnthropic.streamDecoder();
  std::vector<core::ChatEvent> events;
  std::string error;
  ASSERT_TRUE(decoder->feed(readData("anthropic/stream_text.in.sse").substr(0, 300), events, error));
  EXPECT_FALSE(decoder->end(events, error));
  EXPECT_EQ(error, "the stream ended before message_stop");
}

TEST(OpenAiStreamDecode, ANamedToolChoiceEndingInStopIsStillACall) {
  const std::string upstream =
      R"(data: {"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":null}]})"
      "\n\n"
      R"(data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})"
      "\n\n";
  auto out = translateStream(kOpenAi, kAnthropicClient, upstream);  // no [DONE]: complete at EOF after a finish
  EXPECT_NE(out.find(R"("stop_reason":"tool_use")"), std::string::npos) << out;
}

TEST(OpenAiStreamDecode, EndWithoutFinishIsACutStream) {
  auto decoder = kOpenAi.streamDecoder();
  std::vector<core::ChatEvent> events;
  std::string error;
  ASSERT_TRUE(decoder->feed("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n", events, error));
  EXPECT_FALSE(decoder->end(events, error));
  EXPECT_FALSE(decoder->feed("data: {nope\n\n", events, error));
}

TEST(AnthropicStreamEncode, ErrorBeforeAnythingIsJustTheErrorEvent) {
  api::anthropic::MessagesStreamEncoder encoder;
  core::ChatEvent e;
  e.kind = core::ChatEvent::Kind::Error;
  e.error = {529, "Overloaded", "overloaded_error", std::nullopt, std::nullopt};
  EXPECT_EQ(encoder.encode(e), "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
  EXPECT_TRUE(encoder.complete());
}
