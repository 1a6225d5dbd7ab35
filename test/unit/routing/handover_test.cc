#include "katara/routing/handover.h"

#include <gtest/gtest.h>

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_stream_encode.h"

namespace katara::routing {
namespace {

using core::ChatEvent;

ChatEvent text(std::string t) {
  ChatEvent e;
  e.kind = ChatEvent::Kind::TextDelta;
  e.text = std::move(t);
  return e;
}

ChatEvent finish() {
  ChatEvent e;
  e.kind = ChatEvent::Kind::Finish;
  return e;
}

const char* kOpenAiSent =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"m\","
    "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000001,\"model\":\"m\","
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" wor\"},\"finish_reason\":null}]}\n\n";

TEST(Handover, ReadsTheTextTheClientGot) {
  const auto h = readHandover(kOpenAiSent, core::ApiFormat::OpenAiChat);
  EXPECT_EQ(h.text, "Hello wor");
  EXPECT_FALSE(h.tool_call_seen);
  EXPECT_FALSE(h.finished);
  EXPECT_EQ(h.output_tokens, 3);  // 9 bytes at 4 a token, rounded up
}

TEST(Handover, NoticesAToolCallAndAFinish) {
  const std::string tool =
      "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
      "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n";
  EXPECT_TRUE(readHandover(tool, core::ApiFormat::OpenAiChat).tool_call_seen);
  const std::string finished = std::string(kOpenAiSent) +
      "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
  EXPECT_TRUE(readHandover(finished, core::ApiFormat::OpenAiChat).finished);
}

TEST(Handover, ReadsAnAnthropicStreamAndItsPromptCount) {
  const std::string sent =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"c\","
      "\"usage\":{\"input_tokens\":42,\"output_tokens\":1}}}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi there\"}}\n\n";
  const auto h = readHandover(sent, core::ApiFormat::AnthropicMessages);
  EXPECT_EQ(h.text, "Hi there");
  EXPECT_EQ(h.input_tokens, 42);
}

TEST(Continuation, PrefillEndsWithThePartialAnswerLessItsTrailingSpace) {
  core::ChatRequest r;
  r.messages.push_back({core::Role::User, {core::ContentPart::makeText("hi")}, {}, {}, {}});
  r.max_tokens = 100;
  Handover h;
  h.text = "Hello, ";
  h.output_tokens = 2;
  const auto c = continuationOf(r, h, true);
  EXPECT_EQ(c.mode, ContinuationMode::Prefill);
  ASSERT_EQ(c.request.messages.size(), 2u);
  EXPECT_EQ(c.request.messages.back().role, core::Role::Assistant);
  EXPECT_EQ(c.request.messages.back().content[0].text, "Hello,");
  EXPECT_TRUE(c.request.continues_final_message);
  EXPECT_EQ(c.request.max_tokens, 98) << "what was delivered counts against max_tokens";
}

TEST(Continuation, InstructionAddsTheAskAfterThePartialAnswer) {
  core::ChatRequest r;
  r.messages.push_back({core::Role::User, {core::ContentPart::makeText("hi")}, {}, {}, {}});
  Handover h;
  h.text = "Hello ";
  const auto c = continuationOf(r, h, false);
  EXPECT_EQ(c.mode, ContinuationMode::Instruction);
  ASSERT_EQ(c.request.messages.size(), 3u);
  EXPECT_EQ(c.request.messages[1].content[0].text, "Hello ") << "kept whole: no API refuses it mid-conversation";
  EXPECT_EQ(c.request.messages[2].role, core::Role::User);
  EXPECT_FALSE(c.request.continues_final_message);
  EXPECT_GT(c.added_tokens, 0);
}

TEST(Continuation, NothingDeliveredIsARestartAndAClientPrefillIsExtended) {
  core::ChatRequest r;
  r.messages.push_back({core::Role::User, {core::ContentPart::makeText("json please")}, {}, {}, {}});
  EXPECT_EQ(continuationOf(r, Handover{}, true).request, r);
  r.messages.push_back({core::Role::Assistant, {core::ContentPart::makeText("{")}, {}, {}, {}});
  Handover h;
  h.text = "\"a\": 1";
  const auto c = continuationOf(r, h, true);
  ASSERT_EQ(c.request.messages.size(), 2u);
  EXPECT_EQ(c.request.messages.back().content[0].text, "{\"a\": 1");
}

TEST(ResumedEncoder, OpenAiChunksKeepTheIdAndSendNoSecondRole) {
  api::OpenAiChunkEncoder encoder(false, 1);
  encoder.resumeAfter(kOpenAiSent);
  ChatEvent start;
  start.kind = ChatEvent::Kind::Start;
  start.id = "chatcmpl-other";
  EXPECT_EQ(encoder.encode(start), "") << "the stream has had its start";
  const auto more = encoder.encode(text("ld"));
  EXPECT_NE(more.find("\"id\":\"chatcmpl-1\""), std::string::npos) << more;
  EXPECT_NE(more.find("\"created\":1700000001"), std::string::npos) << more;
  EXPECT_EQ(more.find("role"), std::string::npos) << more;
}

TEST(ResumedEncoder, AnthropicBlocksKeepTheirNumbers) {
  api::anthropic::MessagesStreamEncoder encoder;
  encoder.resumeAfter(
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"}}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\"}}\n\n"
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
  const auto more = encoder.encode(text("more"));
  EXPECT_EQ(more.find("message_start"), std::string::npos) << more;
  EXPECT_EQ(more.find("content_block_start"), std::string::npos) << "the text block is still open: " << more;
  EXPECT_NE(more.find("\"index\":1"), std::string::npos) << more;
  const auto end = encoder.encode(finish());
  EXPECT_NE(end.find("content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}"), std::string::npos) << end;
}

TEST(ResumedEncoder, AFinishAlreadySentIsNotSentAgain) {
  api::anthropic::MessagesStreamEncoder encoder;
  encoder.resumeAfter("event: message_start\ndata: {}\n\nevent: message_delta\ndata: {}\n\n");
  EXPECT_EQ(encoder.encode(finish()), "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  api::OpenAiChunkEncoder openai(false, 1);
  openai.resumeAfter("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
  EXPECT_EQ(openai.encode(finish()), "data: [DONE]\n\n");
}

}  // namespace
}  // namespace katara::routing
