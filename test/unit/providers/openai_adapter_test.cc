#include <gtest/gtest.h>

#include "katara/providers/openai/openai_adapter.h"

using katara::core::UpstreamErrorKind;
using katara::providers::openai::OpenAiAdapter;

TEST(OpenAiAdapter, ClassifiesProviderFaultsAsFailover) {
  OpenAiAdapter a;
  EXPECT_EQ(a.classifyError(429, {}, "{}").kind, UpstreamErrorKind::RateLimited);
  EXPECT_EQ(a.classifyError(500, {}, "").kind, UpstreamErrorKind::Server);
  EXPECT_EQ(a.classifyError(503, {}, "").kind, UpstreamErrorKind::Overloaded);
  EXPECT_EQ(a.classifyError(401, {}, "").kind, UpstreamErrorKind::Auth);
  EXPECT_EQ(a.classifyError(404, {}, "").kind, UpstreamErrorKind::NotFound);
}

TEST(OpenAiAdapter, ClassifiesCallerMistakesAsNotFailedOver) {
  OpenAiAdapter a;
  auto ctx = a.classifyError(400, {}, R"({"error":{"message":"too long","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})");
  EXPECT_EQ(ctx.kind, UpstreamErrorKind::ContextLength);
  EXPECT_NE(ctx.message.find("too long"), std::string::npos);
  EXPECT_EQ(a.classifyError(400, {}, R"({"error":{"message":"bad temperature"}})").kind, UpstreamErrorKind::ClientError);
  EXPECT_EQ(a.classifyError(422, {}, "").kind, UpstreamErrorKind::ClientError);
  // llama.cpp's shape and vLLM's integer code are read too.
  EXPECT_EQ(a.classifyError(400, {}, R"({"error":{"code":400,"message":"x","type":"exceed_context_size_error"}})").kind,
            UpstreamErrorKind::ContextLength);
}
