#include <gtest/gtest.h>

#include "test_data.h"

#include <boost/json.hpp>


#include "katara/api/openai/openai_chat_parse.h"
#include "katara/providers/anthropic/messages_encode.h"

using namespace katara;
using katara::test_support::readData;
using providers::anthropic::encodeMessagesRequest;

namespace {

core::ChatRequest fromOpenAi(std::string_view body) {
  auto r = api::parseOpenAiChat(body);
  EXPECT_TRUE(std::holds_alternative<core::ChatRequest>(r));
  return std::get<core::ChatRequest>(r);
}

boost::json::value encoded(std::string_view openai_body) {
  return boost::json::parse(encodeMessagesRequest(fromOpenAi(openai_body)).body);
}

}  // namespace

TEST(AnthropicEncode, GoldenRequestFromAnOpenAiClient) {
  auto got = encoded(readData("anthropic/messages_request.in.openai.json"));
  auto want = boost::json::parse(readData("anthropic/messages_request.out.anthropic.json"));
  EXPECT_EQ(got, want) << boost::json::serialize(got);
}

TEST(AnthropicEncode, MaxTokensIsAlwaysSent) {
  auto body = encoded(R"({"model":"c","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(body.at("max_tokens").as_int64(), providers::anthropic::kDefaultMaxTokens);
}

TEST(AnthropicEncode, ToolChoiceModes) {
  const std::string base = R"({"model":"c","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":)";
  EXPECT_EQ(encoded(base + R"("auto"})").at("tool_choice"), (boost::json::value{{"type", "auto"}}));
  EXPECT_EQ(encoded(base + R"("none"})").at("tool_choice"), (boost::json::value{{"type", "none"}}));
  EXPECT_EQ(encoded(base + R"({"type":"function","function":{"name":"f"}}})").at("tool_choice"),
            (boost::json::value{{"type", "tool"}, {"name", "f"}}));
  EXPECT_EQ(encoded(base + R"("required"})").at("tools").at(0).at("input_schema"), (boost::json::value{{"type", "object"}}))
      << "a tool without parameters still has an input_schema";
}

TEST(AnthropicEncode, JsonModeBecomesASystemInstruction) {
  auto body = encoded(R"({"model":"c","messages":[{"role":"system","content":"S"},{"role":"user","content":"x"}],
    "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"}}}})");
  auto system = std::string(body.at("system").as_string());
  EXPECT_EQ(system.rfind("S\n\nRespond with a single JSON object", 0), 0u) << system;
  EXPECT_NE(system.find(R"({"type":"object"})"), std::string::npos);
}

TEST(AnthropicEncode, ReportsWhatItDrops) {
  auto r = encodeMessagesRequest(fromOpenAi(R"({"model":"c","seed":3,"logprobs":true,"n":1,
    "messages":[{"role":"user","content":"x"},{"role":"assistant","content":null,
    "tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"not json"}}]}]})"));
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"tool call t1 arguments (not a JSON object)", "seed", "logprobs", "n"}));
  auto body = boost::json::parse(r.body);
  EXPECT_FALSE(body.as_object().contains("seed"));
  EXPECT_EQ(body.at("messages").at(1).at("content").at(0).at("input"), boost::json::object{});
}

TEST(AnthropicEncode, ConsecutiveTurnsOfOneRoleAreMergedAndEmptyOnesSkipped) {
  auto body = encoded(R"({"model":"c","messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},
    {"role":"assistant","content":""},{"role":"user","content":"c"}]})");
  const auto& m = body.at("messages").as_array();
  ASSERT_EQ(m.size(), 1u) << boost::json::serialize(body);
  EXPECT_EQ(m[0].at("content").as_array().size(), 3u);
}
