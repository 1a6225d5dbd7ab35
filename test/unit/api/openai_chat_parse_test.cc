#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "katara/api/openai/openai_chat_parse.h"
#include "katara/providers/openai/chat_encode.h"
#include "random_chat.h"

using namespace katara;
using core::ChatRequest;
using katara::test_support::randomRequest;

namespace {

ChatRequest ok(std::string_view body) {
  auto r = api::parseOpenAiChat(body);
  if (auto* e = std::get_if<core::ApiError>(&r)) ADD_FAILURE() << e->message;
  return std::holds_alternative<ChatRequest>(r) ? std::get<ChatRequest>(r) : ChatRequest{};
}

core::ApiError bad(std::string_view body) {
  auto r = api::parseOpenAiChat(body);
  EXPECT_TRUE(std::holds_alternative<core::ApiError>(r)) << body;
  return std::holds_alternative<core::ApiError>(r) ? std::get<core::ApiError>(r) : core::ApiError{};
}

const char* kRich = R"({
  "model": "smart", "stream": true, "stream_options": {"include_usage": true},
  "messages": [
    {"role": "developer", "content": "Be terse."},
    {"role": "user", "content": [{"type": "text", "text": "What is this?"},
                                 {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}}]},
    {"role": "assistant", "content": null,
     "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "look", "arguments": "{\"x\":1}"}}]},
    {"role": "tool", "tool_call_id": "call_1", "content": "a cat"}
  ],
  "tools": [{"type": "function", "function": {"name": "look", "description": "Looks", "parameters": {"type": "object"}}}],
  "tool_choice": {"type": "function", "function": {"name": "look"}},
  "response_format": {"type": "json_schema", "json_schema": {"name": "r", "schema": {"type": "object"}, "strict": true}},
  "stop": "END", "max_tokens": 10, "max_completion_tokens": 20, "temperature": 0.5, "top_p": 0.9,
  "seed": 7, "user": "u-1", "n": 1, "logprobs": false, "parallel_tool_calls": false
})";

}  // namespace

TEST(OpenAiChatParse, ReadsEveryCanonicalField) {
  auto r = ok(kRich);
  EXPECT_EQ(r.model, "smart");
  ASSERT_EQ(r.messages.size(), 4u);
  EXPECT_EQ(r.messages[0].role, core::Role::Developer);
  ASSERT_EQ(r.messages[1].content.size(), 2u);
  EXPECT_EQ(r.messages[1].content[1].kind, core::ContentPart::Kind::Image);
  EXPECT_EQ(r.messages[1].content[1].detail, "low");
  EXPECT_TRUE(r.messages[2].content.empty());
  EXPECT_EQ(r.messages[2].tool_calls.at(0).arguments_json, "{\"x\":1}");
  EXPECT_EQ(r.messages[3].tool_call_id, "call_1");
  EXPECT_EQ(r.tools.at(0).parameters_json, "{\"type\":\"object\"}");
  EXPECT_EQ(r.tool_choice->mode, core::ToolChoice::Mode::Named);
  EXPECT_EQ(r.response_format->kind, core::ResponseFormat::Kind::JsonSchema);
  EXPECT_TRUE(r.response_format->strict);
  EXPECT_EQ(r.stop, std::vector<std::string>{"END"}) << "a stop string becomes a one-element list";
  EXPECT_EQ(r.max_tokens, 20) << "max_completion_tokens wins over max_tokens";
  EXPECT_EQ(r.seed, 7);
  EXPECT_TRUE(r.stream);
  EXPECT_TRUE(r.include_usage);
  EXPECT_EQ(r.parallel_tool_calls, false);
  ASSERT_EQ(r.extra_fields.size(), 2u) << "n and logprobs are kept verbatim";
  EXPECT_EQ(r.extra_fields[0], (std::pair<std::string, std::string>{"n", "1"}));
}

TEST(OpenAiChatParse, RejectsWhatNoOtherFormatCanCarry) {
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"function","name":"f","content":"x"}]})").param, "messages[0].role");
  auto audio = bad(R"({"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]})");
  EXPECT_EQ(audio.param, "messages[0].content[0].type");
  EXPECT_EQ(audio.code, "unsupported_value");
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search"}]})").param,
            "tools[0].type");
}

TEST(OpenAiChatParse, NamesTheParameterOfEachMistake) {
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"tool","content":"x"}]})").param, "messages[0].tool_call_id");
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"user","content":5}]})").param, "messages[0].content");
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"user","content":"x"}],"temperature":"hot"})").param, "temperature");
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"sometimes"})").param, "tool_choice");
  EXPECT_EQ(bad(R"({"model":"m","messages":[]})").code, "empty_array");
  EXPECT_EQ(bad(R"({"messages":[{"role":"user","content":"x"}]})").message, "you must provide a model parameter");
  EXPECT_EQ(bad("{nope").status, 400);
}

TEST(OpenAiChatCodec, EncodeThenParseGivesTheSameRequest) {
  auto first = ok(kRich);
  auto again = ok(providers::openai::encodeChatRequest(first).body);
  EXPECT_EQ(again, first);
}

namespace {

}  // namespace

TEST(OpenAiChatCodec, RandomRequestsSurviveEncodeAndParse) {
  std::mt19937_64 rng(20261201);
  for (int i = 0; i < 500; ++i) {
    auto original = randomRequest(rng);
    auto body = providers::openai::encodeChatRequest(original).body;
    auto parsed = ok(body);
    // Boost.JSON 1.81 parses decimals to within one ULP, not always exactly: accept that much
    // in the two floating-point fields, nothing else.
    auto within_ulp = [](std::optional<double>& got, const std::optional<double>& want) {
      if (got && want && std::abs(*got - *want) <= 2 * std::numeric_limits<double>::epsilon() * std::abs(*want)) got = want;
    };
    within_ulp(parsed.temperature, original.temperature);
    within_ulp(parsed.top_p, original.top_p);
    ASSERT_EQ(parsed, original) << "iteration " << i << ":\n  sent     " << body << "\n  reparsed "
                                << providers::openai::encodeChatRequest(parsed).body;
  }
}
