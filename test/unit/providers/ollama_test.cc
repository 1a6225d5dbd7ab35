// The ollama adapter: /api/chat encoding, NDJSON and complete-answer decoding (golden files
// written from WIRE.md §4 and Ollama's docs), and error classification.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_data.h"
#include "translate_support.h"

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/anthropic/messages_parse.h"
#include "katara/api/openai/openai_chat_parse.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/api/openai/openai_stream_encode.h"
#include "katara/providers/ollama/chat_decode.h"
#include "katara/providers/ollama/chat_encode.h"
#include "katara/providers/ollama/ollama_adapter.h"

using namespace katara;
using core::UpstreamErrorKind;
using katara::test_support::golden;
using katara::test_support::readData;
using katara::test_support::translateResponse;
using katara::test_support::translateStream;
using katara::test_support::translateToOpenAiStream;
using providers::ollama::OllamaAdapter;

namespace {

const OllamaAdapter kOllama;
const api::anthropic::AnthropicDialect kAnthropicClient;
const api::OpenAiDialect kOpenAiClient;

core::ChatRequest fromOpenAi(std::string_view body) {
  auto r = api::parseOpenAiChat(body);
  EXPECT_TRUE(std::holds_alternative<core::ChatRequest>(r));
  return std::get<core::ChatRequest>(r);
}

boost::json::object encoded(std::string_view openai_body) {
  return boost::json::parse(providers::ollama::encodeOllamaChat(fromOpenAi(openai_body)).body).as_object();
}

}  // namespace

TEST(OllamaEncode, GoldenRequestFromAnAnthropicClient) {
  auto parsed = api::anthropic::parseMessagesRequest(boost::json::parse(readData("ollama/chat_request.in.anthropic.json")));
  ASSERT_TRUE(std::holds_alternative<core::ChatRequest>(parsed));
  auto out = providers::ollama::encodeOllamaChat(std::get<core::ChatRequest>(parsed));
  EXPECT_EQ(boost::json::parse(out.body), boost::json::parse(readData("ollama/chat_request.out.ollama.json"))) << out.body;
  ASSERT_EQ(out.dropped.size(), 3u);
  EXPECT_NE(out.dropped[0].find("image https://example.com/cat.jpg"), std::string::npos) << out.dropped[0];
  EXPECT_NE(out.dropped[1].find("tool_choice"), std::string::npos);
  EXPECT_EQ(out.dropped[2], "user");
}

TEST(OllamaEncode, StreamIsAlwaysWrittenBecauseOllamaDefaultsToStreaming) {
  EXPECT_EQ(encoded(R"({"model":"m","messages":[{"role":"user","content":"x"}]})").at("stream"), false);
  EXPECT_EQ(encoded(R"({"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]})").at("stream"), true);
}

TEST(OllamaEncode, JsonModesToolChoiceNoneAndDeveloperTurns) {
  auto json_mode = encoded(R"({"model":"m","messages":[{"role":"developer","content":"d"},{"role":"user","content":"x"}],
    "response_format":{"type":"json_object"}})");
  EXPECT_EQ(json_mode.at("format"), "json");
  EXPECT_EQ(json_mode.at("messages").as_array()[0].as_object().at("role"), "system");
  auto schema = encoded(R"({"model":"m","messages":[{"role":"user","content":"x"}],
    "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}}})");
  EXPECT_EQ(boost::json::serialize(schema.at("format")), R"({"type":"object"})");
  auto none = encoded(R"({"model":"m","messages":[{"role":"user","content":"x"}],
    "tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none"})");
  EXPECT_FALSE(none.contains("tools")) << "none: the model is given no tools to call";
}

TEST(OllamaDecode, GoldenAnswerInAnthropicFormat) {
  auto actual = translateResponse(kOllama, kAnthropicClient, readData("ollama/response.in.json"));
  EXPECT_EQ(actual, golden("ollama/response.out.anthropic.json", actual));
}

TEST(OllamaDecode, ToolCallsGetIdsFromTheAnswersTime) {
  auto r = providers::ollama::decodeOllamaChat(
      R"({"model":"m","created_at":"2026-01-02T03:04:05.123Z","message":{"role":"assistant","content":"",
        "tool_calls":[{"function":{"name":"f","arguments":{"a":1}}},{"id":"own","function":{"name":"g","arguments":{}}}]},
        "done":true,"done_reason":"stop","prompt_eval_count":4,"eval_count":2})");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->tool_calls.size(), 2u);
  EXPECT_EQ(r->tool_calls[0].id, "call_20260102030405123_0");
  EXPECT_EQ(r->tool_calls[0].arguments_json, R"({"a":1})");
  EXPECT_EQ(r->tool_calls[1].id, "own");
  EXPECT_EQ(r->finish, core::FinishReason::ToolCalls);
  EXPECT_EQ(r->usage.input_tokens, 4);
  EXPECT_EQ(r->usage.output_tokens, 2);
  EXPECT_FALSE(providers::ollama::decodeOllamaChat(R"({"model":"m","done":true})").ok());
}

TEST(OllamaStream, GoldenTextStreamToOpenAiAndAnthropic) {
  {
    auto actual = translateToOpenAiStream(kOllama, readData("ollama/stream_text.in.ndjson"), true);
    EXPECT_EQ(actual, golden("ollama/stream_text.out.openai.sse", actual));
  }
  {
    auto actual = translateStream(kOllama, kAnthropicClient, readData("ollama/stream_text.in.ndjson"));
    EXPECT_EQ(actual, golden("ollama/stream_text.out.anthropic.sse", actual));
  }
}

TEST(OllamaStream, GoldenToolCallStreamToOpenAiAndAnthropic) {
  {
    auto actual = translateToOpenAiStream(kOllama, readData("ollama/stream_tool.in.ndjson"), false);
    EXPECT_EQ(actual, golden("ollama/stream_tool.out.openai.sse", actual));
  }
  {
    auto actual = translateStream(kOllama, kAnthropicClient, readData("ollama/stream_tool.in.ndjson"));
    EXPECT_EQ(actual, golden("ollama/stream_tool.out.anthropic.sse", actual));
  }
}

TEST(OllamaStream, CutStreamsErrorLinesAndAMissingLastNewline) {
  std::vector<core::ChatEvent> events;
  std::string error;
  {
    auto d = kOllama.streamDecoder();
    ASSERT_TRUE(d->feed(R"({"model":"m","message":{"content":"Hi"},"done":false})"
                        "\n",
                        events, error));
    EXPECT_FALSE(d->end(events, error));
    EXPECT_EQ(error, "the stream ended before its done line");
  }
  {
    auto d = kOllama.streamDecoder();
    events.clear();
    ASSERT_TRUE(d->feed(R"({"model":"m","message":{"content":"Hi"},"done":false})"
                        "\n{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n",
                        events, error));
    ASSERT_EQ(events.back().kind, core::ChatEvent::Kind::Error);
    EXPECT_EQ(events.back().error.message, "an error was encountered while running the model: unexpected EOF");
    EXPECT_TRUE(d->end(events, error));
  }
  {
    auto d = kOllama.streamDecoder();
    events.clear();
    ASSERT_TRUE(d->feed(R"({"model":"m","message":{"content":""},"done":true,"eval_count":1})", events, error));
    EXPECT_TRUE(d->end(events, error)) << error;
    EXPECT_EQ(events.back().kind, core::ChatEvent::Kind::Finish);
  }
  {
    auto d = kOllama.streamDecoder();
    EXPECT_FALSE(d->feed("{not json}\n", events, error));
  }
}

TEST(OllamaAdapter, RequestPathAndOptionalBearer) {
  providers::ProviderAccess access;
  access.endpoint = *http::parseEndpoint("http://127.0.0.1:11434");
  providers::ChatTarget target{"llama-x", true, "req_1", nullptr};
  auto req = kOllama.chatRequest(access, target, "{}");
  EXPECT_EQ(req.target, "/api/chat");
  EXPECT_EQ(http::findHeader(req.headers, "authorization"), "");
  EXPECT_EQ(http::findHeader(req.headers, "accept"), "application/x-ndjson");
  access.api_key = "ollama-cloud";
  EXPECT_EQ(http::findHeader(kOllama.chatRequest(access, target, "{}").headers, "authorization"), "Bearer ollama-cloud");
}

TEST(OllamaAdapter, ModelNotPulledNotLoadedAndUnsupportedFailOver) {
  auto kind = [](int status, const char* message) {
    return kOllama.classifyError(status, {}, std::string(R"({"error":")") + message + "\"}").kind;
  };
  EXPECT_EQ(kind(404, "model 'llama-x' not found, try pulling it first"), UpstreamErrorKind::NotFound);
  EXPECT_EQ(kind(400, "model 'llama-x' not found"), UpstreamErrorKind::NotFound) << "older servers";
  EXPECT_EQ(kind(400, "registry.ollama.ai/library/gemma:2b does not support tools"), UpstreamErrorKind::NotFound);
  EXPECT_EQ(kind(500, "model requires more system memory (12.0 GiB) than is available (4.0 GiB)"), UpstreamErrorKind::Server);
  EXPECT_EQ(kind(500, "timed out waiting for llama runner to start"), UpstreamErrorKind::Server);
  EXPECT_EQ(kind(503, "server busy, please try again.  maximum pending requests exceeded"), UpstreamErrorKind::Overloaded);
  EXPECT_EQ(kind(400, "invalid message format"), UpstreamErrorKind::ClientError);
  for (auto k : {kind(404, "model 'x' not found"), kind(500, "llama runner process has terminated")}) {
    EXPECT_TRUE(core::shouldFailOver(k));
  }
  auto e = kOllama.clientError(400, R"({"error":"invalid message format"})");
  EXPECT_EQ(e.message, "invalid message format");
  EXPECT_EQ(e.status, 400);
}
