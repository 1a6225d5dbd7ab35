#include <gtest/gtest.h>

#include "katara/api/openai/chat_request.h"
#include "katara/api/openai/openai_dialect.h"

using namespace katara::api;

namespace {

ChatRequestInfo ok(std::string body) {
  auto r = inspectChatRequest(body);
  EXPECT_TRUE(std::holds_alternative<ChatRequestInfo>(r))
      << (std::holds_alternative<OpenAiError>(r) ? std::get<OpenAiError>(r).message : "");
  return std::holds_alternative<ChatRequestInfo>(r) ? std::get<ChatRequestInfo>(r) : ChatRequestInfo{};
}

OpenAiError bad(std::string body) {
  auto r = inspectChatRequest(body);
  EXPECT_TRUE(std::holds_alternative<OpenAiError>(r)) << body;
  return std::holds_alternative<OpenAiError>(r) ? std::get<OpenAiError>(r) : OpenAiError{};
}

}  // namespace

TEST(ChatRequest, FindsModelAndStreamFlag) {
  auto info = ok(R"({"model":"smart","stream":true,"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(info.model, "smart");
  EXPECT_TRUE(info.stream);
}

TEST(ChatRequest, RewritesOnlyTheModelValue) {
  std::string body = R"({ "messages": [{"role":"user","content":"x \"model\": y"}], "model" : "smart" , "n":1})";
  auto info = ok(body);
  EXPECT_EQ(withModel(body, info, "gpt-\"4\""),
            R"({ "messages": [{"role":"user","content":"x \"model\": y"}], "model" : "gpt-\"4\"" , "n":1})");
}

TEST(ChatRequest, EscapedModelIsUnescapedForRouting) {
  auto info = ok(R"({"model":"a\/b","messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(info.model, "a/b");
}

TEST(ChatRequest, RejectsWhatOpenAiRejects) {
  EXPECT_EQ(bad("{not json").status, 400);
  EXPECT_EQ(bad("[1,2]").status, 400);
  EXPECT_EQ(bad(R"({"model":"m","messages":[]} trailing)").status, 400);
  EXPECT_EQ(bad(R"({"messages":[{"role":"user","content":"x"}]})").message, "you must provide a model parameter");
  EXPECT_EQ(bad(R"({"model":"m"})").param, "messages");
  EXPECT_EQ(bad(R"({"model":"m","messages":"hi"})").code, "invalid_type");
  EXPECT_EQ(bad(R"({"model":"m","messages":[]})").code, "empty_array");
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"content":"x"}]})").param, "messages[0].role");
  EXPECT_EQ(bad(R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})").code, "invalid_value");
  EXPECT_EQ(bad(R"({"model":"m","stream":"yes","messages":[{"role":"user","content":"x"}]})").param, "stream");
  EXPECT_EQ(bad(R"({"model":5,"messages":[{"role":"user","content":"x"}]})").param, "model");
}

TEST(OpenAiDialect, ErrorBodyHasOpenAisShape) {
  OpenAiDialect d;
  auto body = d.errorBody(unknownModel("x\"y"));
  EXPECT_EQ(body, R"({"error":{"message":"The model `x\"y` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}})");
  EXPECT_EQ(d.streamError(unknownModel("m")).rfind("data: {\"error\":", 0), 0u);
}
