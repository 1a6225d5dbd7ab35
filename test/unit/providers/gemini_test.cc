// The gemini adapter: request encoding, answer and stream decoding (golden files written from
// WIRE.md §3), and error classification, including the 400-for-a-bad-key quirk.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_data.h"
#include "translate_support.h"

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_chat_parse.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/api/openai/openai_stream_encode.h"
#include "katara/providers/gemini/gemini_adapter.h"
#include "katara/providers/gemini/generate_decode.h"
#include "katara/providers/gemini/generate_encode.h"

using namespace katara;
using core::UpstreamErrorKind;
using katara::test_support::golden;
using katara::test_support::readData;
using katara::test_support::translateResponse;
using katara::test_support::translateStream;
using katara::test_support::translateToOpenAiStream;
using providers::gemini::GeminiAdapter;

namespace {

const GeminiAdapter kGemini;
const api::anthropic::AnthropicDialect kAnthropicClient;

core::ChatRequest fromOpenAi(std::string_view body) {
  auto r = api::parseOpenAiChat(body);
  EXPECT_TRUE(std::holds_alternative<core::ChatRequest>(r));
  return std::get<core::ChatRequest>(r);
}

}  // namespace

TEST(GeminiEncode, GoldenRequestFromAnOpenAiClient) {
  auto encoded = providers::gemini::encodeGenerateRequest(fromOpenAi(readData("gemini/generate_request.in.openai.json")));
  EXPECT_EQ(boost::json::parse(encoded.body), boost::json::parse(readData("gemini/generate_request.out.gemini.json")))
      << encoded.body;
  EXPECT_EQ(encoded.dropped, (std::vector<std::string>{"parallel_tool_calls", "user"}));
}

TEST(GeminiEncode, ToolChoiceModesAndNamedFunctions) {
  auto mode = [](const char* choice) {
    auto r = fromOpenAi(std::string(R"({"model":"g","messages":[{"role":"user","content":"x"}],)"
                                    R"("tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":)") + choice + "}");
    auto body = boost::json::parse(providers::gemini::encodeGenerateRequest(r).body).as_object();
    return boost::json::serialize(body.at("toolConfig"));
  };
  EXPECT_EQ(mode(R"("auto")"), R"({"functionCallingConfig":{"mode":"AUTO"}})");
  EXPECT_EQ(mode(R"("none")"), R"({"functionCallingConfig":{"mode":"NONE"}})");
  EXPECT_EQ(mode(R"({"type":"function","function":{"name":"f"}})"),
            R"({"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}})");
}

TEST(GeminiEncode, AToolResultIsNamedAfterItsCallAndKeepsAnObjectResult) {
  auto r = fromOpenAi(R"({"model":"g","messages":[{"role":"user","content":"x"},
    {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"c1","content":"{\"found\":true}"},
    {"role":"tool","tool_call_id":"nope","content":"orphan"}]})");
  auto encoded = providers::gemini::encodeGenerateRequest(r);
  auto body = boost::json::parse(encoded.body).as_object();
  const auto& parts = body.at("contents").as_array().at(2).as_object().at("parts").as_array();
  EXPECT_EQ(boost::json::serialize(parts.at(0)), R"({"functionResponse":{"name":"lookup","response":{"found":true}}})");
  EXPECT_EQ(boost::json::serialize(parts.at(1)), R"({"functionResponse":{"name":"nope","response":{"result":"orphan"}}})");
  ASSERT_EQ(encoded.dropped.size(), 1u);
  EXPECT_NE(encoded.dropped[0].find("no earlier call"), std::string::npos);
}

TEST(GeminiDecode, GoldenAnswersInOpenAiAndAnthropicFormat) {
  const api::OpenAiDialect openai;
  {
    auto actual = translateResponse(kGemini, openai, readData("gemini/response.in.json"));
    EXPECT_EQ(actual, golden("gemini/response.out.openai.json", actual));
  }
  {
    auto actual = translateResponse(kGemini, kAnthropicClient, readData("gemini/response_tool.in.json"));
    EXPECT_EQ(actual, golden("gemini/response_tool.out.anthropic.json", actual));
  }
}

TEST(GeminiDecode, FunctionCallsGetIdsThoughtsAreSkippedAndUsageIsNormalised) {
  auto r = providers::gemini::decodeGenerateResponse(readData("gemini/response_tool.in.json"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "") << "thought parts are not the answer";
  ASSERT_EQ(r->tool_calls.size(), 2u);
  EXPECT_EQ(r->tool_calls[0].id, "call_r-77c1_0");
  EXPECT_EQ(r->tool_calls[1].id, "call_r-77c1_1");
  EXPECT_EQ(r->tool_calls[1].arguments_json, R"({"city":"Lyon"})");
  EXPECT_EQ(r->finish, core::FinishReason::ToolCalls);
  EXPECT_EQ(r->usage.input_tokens, 24) << "prompt minus cached";
  EXPECT_EQ(r->usage.cache_read_tokens, 16);
  EXPECT_EQ(r->usage.output_tokens, 42) << "candidates plus thoughts";
  EXPECT_EQ(r->usage.reasoning_tokens, 30);
}

TEST(GeminiDecode, ABlockedPromptIsAContentFilterFinish) {
  auto r = providers::gemini::decodeGenerateResponse(
      R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":5}})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->finish, core::FinishReason::ContentFilter);
  EXPECT_FALSE(providers::gemini::decodeGenerateResponse(R"({"usageMetadata":{}})").ok());
}

TEST(GeminiDecode, FinishReasons) {
  using providers::gemini::finishReasonOf;
  EXPECT_EQ(finishReasonOf("STOP", false), core::FinishReason::Stop);
  EXPECT_EQ(finishReasonOf("STOP", true), core::FinishReason::ToolCalls);
  EXPECT_EQ(finishReasonOf("MAX_TOKENS", false), core::FinishReason::Length);
  for (const char* r : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"}) {
    EXPECT_EQ(finishReasonOf(r, false), core::FinishReason::ContentFilter) << r;
  }
  EXPECT_EQ(finishReasonOf("MALFORMED_FUNCTION_CALL", false), core::FinishReason::Error);
  EXPECT_EQ(finishReasonOf("OTHER", false), core::FinishReason::Stop);
}

TEST(GeminiStream, GoldenTextStreamToOpenAiAndAnthropic) {
  {
    auto actual = translateToOpenAiStream(kGemini, readData("gemini/stream_text.in.sse"), true);
    EXPECT_EQ(actual, golden("gemini/stream_text.out.openai.sse", actual));
  }
  {
    auto actual = translateStream(kGemini, kAnthropicClient, readData("gemini/stream_text.in.sse"));
    EXPECT_EQ(actual, golden("gemini/stream_text.out.anthropic.sse", actual));
  }
}

TEST(GeminiStream, GoldenParallelFunctionCallsToOpenAiAndAnthropic) {
  {
    auto actual = translateToOpenAiStream(kGemini, readData("gemini/stream_tool.in.sse"), false);
    EXPECT_EQ(actual, golden("gemini/stream_tool.out.openai.sse", actual));
  }
  {
    auto actual = translateStream(kGemini, kAnthropicClient, readData("gemini/stream_tool.in.sse"));
    EXPECT_EQ(actual, golden("gemini/stream_tool.out.anthropic.sse", actual));
  }
}

TEST(GeminiStream, ACutStreamIsAnErrorNotAnEnd) {
  std::vector<core::ChatEvent> events;
  std::string error;
  {
    auto d = kGemini.streamDecoder();
    ASSERT_TRUE(d->feed(R"(data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]})"
                        "\n\n",
                        events, error));
    EXPECT_FALSE(d->end(events, error));
    EXPECT_EQ(error, "the stream ended before a finishReason");
  }
  {
    auto d = kGemini.streamDecoder();
    ASSERT_TRUE(d->feed(R"(data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]},"finishReason":"STOP"}]})"
                        "\n\ndata: {\"candi",
                        events, error));
    EXPECT_FALSE(d->end(events, error)) << "bytes after the last event are a cut event";
  }
  {
    auto d = kGemini.streamDecoder();
    events.clear();
    ASSERT_TRUE(d->feed("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n",
                        events, error));
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, core::ChatEvent::Kind::Error);
    EXPECT_EQ(events[0].error.message, "The model is overloaded.");
    EXPECT_TRUE(d->end(events, error));
  }
}

TEST(GeminiAdapter, RequestPathsAndKeyHeader) {
  providers::ProviderAccess access;
  access.endpoint = *http::parseEndpoint("https://generativelanguage.googleapis.com");
  access.api_key = "AIza-test";
  providers::ChatTarget target{"gemini-x-flash", true, "req_1", nullptr};
  auto req = kGemini.chatRequest(access, target, "{}");
  EXPECT_EQ(req.target, "/v1beta/models/gemini-x-flash:streamGenerateContent?alt=sse");
  EXPECT_EQ(http::findHeader(req.headers, "x-goog-api-key"), "AIza-test");
  EXPECT_EQ(http::findHeader(req.headers, "authorization"), "");
  EXPECT_EQ(http::findHeader(req.headers, "accept"), "text/event-stream");
  target = {"models/gemini-x-pro", false, "", nullptr};
  EXPECT_EQ(kGemini.chatRequest(access, target, "{}").target, "/v1beta/models/gemini-x-pro:generateContent");
}

TEST(GeminiAdapter, ABadKeyAnswered400IsAnAuthFailureNotTheCallers) {
  const char* bad_key = R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",
    "details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com"}]}})";
  auto e = kGemini.classifyError(400, {}, bad_key);
  EXPECT_EQ(e.kind, UpstreamErrorKind::Auth);
  EXPECT_TRUE(core::shouldFailOver(e.kind));
  EXPECT_EQ(kGemini.classifyError(400, {}, R"({"error":{"code":400,"message":"* GenerateContentRequest.contents: contents is not specified","status":"INVALID_ARGUMENT"}})").kind,
            UpstreamErrorKind::ClientError);
  EXPECT_EQ(kGemini.classifyError(400, {}, R"({"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}})").kind,
            UpstreamErrorKind::Auth);
  EXPECT_EQ(kGemini.classifyError(400, {}, R"({"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}})").kind,
            UpstreamErrorKind::ContextLength);
  EXPECT_EQ(kGemini.classifyError(503, {}, R"({"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}})").kind,
            UpstreamErrorKind::Overloaded);
  EXPECT_EQ(kGemini.classifyError(404, {}, R"({"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}})").kind,
            UpstreamErrorKind::NotFound);
}

TEST(GeminiAdapter, RateLimitReadsRetryInfoFromTheBody) {
  auto e = kGemini.classifyError(429, {}, R"({"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED",
    "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}})");
  EXPECT_EQ(e.kind, UpstreamErrorKind::RateLimited);
  EXPECT_EQ(e.retry_after, std::chrono::seconds(37));
  EXPECT_EQ(e.message, "HTTP 429: Quota exceeded (retry after 37 s)");
}

TEST(GeminiAdapter, CallerErrorsBecomeNeutralFields) {
  auto e = kGemini.clientError(400, R"({"error":{"code":400,"message":"contents is not specified","status":"INVALID_ARGUMENT"}})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message, "contents is not specified");
  EXPECT_EQ(e.type, "invalid_request_error");
}

TEST(GeminiThoughtSignatures, AFunctionCallsSignatureGoesBackWithItInTheNextTurn) {
  // Gemini 3 rejects a history whose function call lost its signature; the client only keeps the id.
  auto answer = providers::gemini::decodeGenerateResponse(
      R"({"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1}},"thoughtSignature":"c2lnLTE="}]},"finishReason":"STOP"}],"responseId":"r-sig-test"})");
  ASSERT_TRUE(answer.ok());
  const auto id = answer->tool_calls.at(0).id;
  auto next = fromOpenAi(R"({"model":"g","messages":[{"role":"user","content":"x"},
    {"role":"assistant","tool_calls":[{"id":")" + id + R"(","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}},
                                      {"id":"call_from_elsewhere","type":"function","function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":")" + id + R"(","content":"ok"}]})");
  auto body = boost::json::parse(providers::gemini::encodeGenerateRequest(next).body).as_object();
  const auto& parts = body.at("contents").as_array().at(1).as_object().at("parts").as_array();
  EXPECT_EQ(parts.at(0).as_object().at("thoughtSignature"), "c2lnLTE=");
  EXPECT_FALSE(parts.at(1).as_object().contains("thoughtSignature")) << "a call Gemini never made has none";
}
