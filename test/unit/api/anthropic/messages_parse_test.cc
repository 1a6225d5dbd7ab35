#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <random>

#include "katara/api/anthropic/messages_parse.h"
#include "katara/providers/anthropic/messages_encode.h"

using namespace katara;
using api::anthropic::inspectMessagesRequest;
using api::anthropic::parseMessagesRequest;
using core::ChatRequest;

namespace {

core::ApiError inspectError(std::string body) {
  auto r = inspectMessagesRequest(body);
  EXPECT_TRUE(std::holds_alternative<core::ApiError>(r)) << body;
  return std::holds_alternative<core::ApiError>(r) ? std::get<core::ApiError>(r) : core::ApiError{};
}

std::variant<ChatRequest, core::ApiError> parse(std::string body) {
  auto inspected = inspectMessagesRequest(body);
  if (auto* e = std::get_if<core::ApiError>(&inspected)) return *e;
  return parseMessagesRequest(std::get<api::anthropic::MessagesRequestInfo>(inspected).json);
}

ChatRequest ok(std::string body) {
  auto r = parse(body);
  if (auto* e = std::get_if<core::ApiError>(&r)) ADD_FAILURE() << e->message;
  return std::holds_alternative<ChatRequest>(r) ? std::get<ChatRequest>(r) : ChatRequest{};
}

}  // namespace

TEST(AnthropicMessagesInspect, ChecksWhatTheApiChecksFirst) {
  EXPECT_EQ(inspectError(R"({"max_tokens":1,"messages":[{"role":"user","content":"x"}]})").message, "model: Field required");
  EXPECT_EQ(inspectError(R"({"model":"m","messages":[{"role":"user","content":"x"}]})").message, "max_tokens: Field required");
  EXPECT_EQ(inspectError(R"({"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]})").message,
            "max_tokens: Input should be greater than or equal to 1");
  EXPECT_EQ(inspectError(R"({"model":"m","max_tokens":1})").message, "messages: Field required");
  EXPECT_EQ(inspectError(R"({"model":"m","max_tokens":1,"messages":[{"role":"bot","content":"x"}]})").message,
            "messages.0.role: Input should be 'user', 'assistant' or 'system'");
  EXPECT_EQ(inspectError(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":5}]})").message,
            "messages.0.content: Input should be a valid list");
  EXPECT_EQ(inspectError(R"({"model":"m","max_tokens":1,"messages":[],"stream":"yes"})").status, 400);
  EXPECT_EQ(inspectError("[1,2]").status, 400);
}

TEST(AnthropicMessagesInspect, FindsTheModelSpanForAByteExactPassThrough) {
  std::string body = R"({ "max_tokens": 5, "model" : "cla\"ude" , "messages":[{"role":"user","content":"x"}]})";
  auto r = inspectMessagesRequest(body);
  const auto& info = std::get<api::anthropic::MessagesRequestInfo>(r);
  EXPECT_EQ(info.model, "cla\"ude");
  EXPECT_EQ(body.substr(info.model_begin, info.model_end - info.model_begin), R"("cla\"ude")");
}

TEST(AnthropicMessagesParse, SystemToolsAndTurnsBecomeCanonical) {
  auto r = ok(R"({
    "model": "claude", "max_tokens": 256, "system": [{"type":"text","text":"Be terse."}],
    "stop_sequences": ["\n\nUser:"], "temperature": 0.5, "top_k": 3, "metadata": {"user_id": "u1"},
    "tools": [{"name":"get_weather","description":"d","input_schema":{"type":"object"}}],
    "tool_choice": {"type":"any","disable_parallel_tool_use":true},
    "messages": [
      {"role":"user","content":"Weather in Paris?"},
      {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"s"},
                                      {"type":"text","text":"Checking."},
                                      {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"Sunny"}]},
                                 {"type":"text","text":"And tomorrow?"}]}]})");
  EXPECT_EQ(r.origin, core::ApiFormat::AnthropicMessages);
  ASSERT_EQ(r.messages.size(), 5u);
  EXPECT_EQ(r.messages[0].role, core::Role::System);
  EXPECT_EQ(r.messages[0].content[0].text, "Be terse.");
  EXPECT_EQ(r.messages[2].role, core::Role::Assistant);
  EXPECT_EQ(r.messages[2].content[0].text, "Checking.");
  ASSERT_EQ(r.messages[2].tool_calls.size(), 1u);
  EXPECT_EQ(r.messages[2].tool_calls[0].arguments_json, R"({"city":"Paris"})");
  EXPECT_EQ(r.messages[3].role, core::Role::Tool) << "tool results come before the turn's other content";
  EXPECT_EQ(r.messages[3].tool_call_id, "toolu_1");
  EXPECT_EQ(r.messages[3].content[0].text, "Sunny");
  EXPECT_EQ(r.messages[4].content[0].text, "And tomorrow?");
  EXPECT_EQ(r.tool_choice->mode, core::ToolChoice::Mode::Required);
  EXPECT_EQ(r.parallel_tool_calls, false);
  EXPECT_EQ(r.user, "u1");
  EXPECT_EQ(r.stop, std::vector<std::string>{"\n\nUser:"});
  EXPECT_EQ(r.max_tokens, 256);
  // What only Anthropic carries stays as extra fields, for another format to drop and list.
  std::vector<std::string> extra;
  for (const auto& [k, v] : r.extra_fields) extra.push_back(k);
  EXPECT_EQ(extra, (std::vector<std::string>{"messages.1.content.0 (thinking)", "top_k"}));
}

TEST(AnthropicMessagesParse, ImagesErrorsAndSystemTurns) {
  auto r = ok(R"({"model":"m","max_tokens":1,"messages":[
      {"role":"system","content":"From the 1.x SDK."},
      {"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}},
                                 {"type":"image","source":{"type":"url","url":"https://x/cat.png"}},
                                 {"type":"tool_result","tool_use_id":"t","content":"boom","is_error":true}]}]})");
  ASSERT_EQ(r.messages.size(), 3u);
  EXPECT_EQ(r.messages[0].role, core::Role::System);
  EXPECT_EQ(r.messages[1].content[0].text, "Error: boom");
  EXPECT_EQ(r.messages[2].content[0].image_url, "data:image/png;base64,iVBO");
  EXPECT_EQ(r.messages[2].content[1].image_url, "https://x/cat.png");
}

TEST(AnthropicMessagesParse, RefusesWhatNoOtherFormatCarries) {
  auto refused = [](const std::string& body) {
    auto r = parse(body);
    return std::holds_alternative<core::ApiError>(r) ? std::get<core::ApiError>(r).message : std::string("accepted");
  };
  EXPECT_EQ(refused(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{}}]}]})"),
            "messages.0.content.0.type: 'document' blocks cannot be translated to another format");
  EXPECT_NE(refused(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]})")
                .find("server tool"), std::string::npos);
  EXPECT_NE(refused(R"({"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{}}]}]}]})")
                .find("only text tool results"), std::string::npos);
}

namespace {

// A random canonical request in the shape Anthropic's format expresses one-to-one: at most
// one leading system message, then user / assistant turns with text, tool calls answered by
// tool results, tools with object schemas, and the sampling fields.
ChatRequest randomAnthropicShaped(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  auto word = [&] {
    static const char* w[] = {"a", "b\"q", "c\\d", "é", "line\nbreak", "{}", "tab\t"};
    std::string s;
    for (int i = 0, n = 1 + pick(4); i < n; ++i) s += w[pick(7)];
    return s;
  };
  ChatRequest r;
  r.origin = core::ApiFormat::AnthropicMessages;
  r.model = "claude-" + word();
  if (pick(2)) {
    core::Message m;
    m.role = core::Role::System;
    m.content.push_back(core::ContentPart::makeText(word()));
    r.messages.push_back(m);
  }
  for (int turn = 0, n = 1 + pick(3); turn < n; ++turn) {
    core::Message user;
    user.content.push_back(core::ContentPart::makeText(word()));
    r.messages.push_back(user);
    core::Message assistant;
    assistant.role = core::Role::Assistant;
    if (pick(2)) assistant.content.push_back(core::ContentPart::makeText(word()));
    for (int j = 0, k = assistant.content.empty() ? 1 + pick(2) : pick(2); j < k; ++j) {
      boost::json::object args{{"k", pick(9)}, {"s", word()}};
      assistant.tool_calls.push_back({"toolu_" + std::to_string(turn) + std::to_string(j), "fn" + std::to_string(j), boost::json::serialize(args)});
    }
    r.messages.push_back(assistant);
    for (const auto& call : assistant.tool_calls) {
      core::Message tool;
      tool.role = core::Role::Tool;
      tool.tool_call_id = call.id;
      tool.content.push_back(core::ContentPart::makeText(word()));
      r.messages.push_back(tool);
    }
  }
  if (r.messages.back().role != core::Role::Tool || pick(2)) {  // tool results may end the request
    core::Message last;
    last.content.push_back(core::ContentPart::makeText(word()));
    r.messages.push_back(last);
  }
  for (int j = 0, k = pick(3); j < k; ++j) {
    boost::json::object schema{{"type", "object"}, {"description", word()}};
    r.tools.push_back({"t" + std::to_string(j), pick(2) ? word() : "", boost::json::serialize(schema)});
  }
  if (!r.tools.empty() && pick(2)) {
    core::ToolChoice tc;
    tc.mode = static_cast<core::ToolChoice::Mode>(pick(4));
    if (tc.mode == core::ToolChoice::Mode::Named) tc.name = "t0";
    r.tool_choice = tc;
    if (tc.mode != core::ToolChoice::Mode::None && pick(2)) r.parallel_tool_calls = false;
  }
  for (int j = 0, k = pick(3); j < k; ++j) r.stop.push_back(word());
  r.max_tokens = 1 + pick(100000);
  if (pick(2)) r.temperature = pick(11) / 10.0;
  if (pick(2)) r.top_p = pick(11) / 10.0;
  if (pick(2)) r.user = word();
  r.stream = pick(2) == 0;
  return r;
}

}  // namespace

TEST(AnthropicMessagesCodec, RandomRequestsSurviveEncodeAndParse) {
  std::mt19937_64 rng(20261201);
  for (int i = 0; i < 500; ++i) {
    auto original = randomAnthropicShaped(rng);
    auto encoded = providers::anthropic::encodeMessagesRequest(original);
    ASSERT_TRUE(encoded.dropped.empty()) << encoded.body;
    auto parsed = ok(encoded.body);
    ASSERT_EQ(parsed, original) << "iteration " << i << ":\n  sent     " << encoded.body << "\n  reparsed "
                                << providers::anthropic::encodeMessagesRequest(parsed).body;
  }
}
