#include <gtest/gtest.h>

#include "katara/config/provider_kinds.h"
#include "katara/providers/anthropic/anthropic_adapter.h"

using namespace katara;
using core::UpstreamErrorKind;
using providers::anthropic::AnthropicAdapter;

TEST(AnthropicAdapter, RequestCarriesItsKeyAndVersion) {
  AnthropicAdapter a;
  providers::ProviderAccess access;
  access.endpoint = *http::parseEndpoint("https://api.anthropic.com");
  access.api_key = "sk-ant";
  providers::ChatTarget target{"claude-x", true, "req_1", nullptr};
  auto req = a.chatRequest(access, target, "{}");
  EXPECT_EQ(req.target, "/v1/messages");
  EXPECT_EQ(http::findHeader(req.headers, "x-api-key"), "sk-ant");
  EXPECT_EQ(http::findHeader(req.headers, "authorization"), "");
  EXPECT_EQ(http::findHeader(req.headers, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(http::findHeader(req.headers, "accept"), "text/event-stream");

  // A same-format client's version and betas travel with its body.
  http::Headers client{{"anthropic-version", "2026-10-21"}, {"anthropic-beta", "b1"}};
  target.forwarded = &client;
  req = a.chatRequest(access, target, "{}");
  EXPECT_EQ(http::findHeader(req.headers, "anthropic-version"), "2026-10-21");
  EXPECT_EQ(http::findHeader(req.headers, "anthropic-beta"), "b1");
}

TEST(AnthropicAdapter, ClassifiesByStatusAndErrorType) {
  AnthropicAdapter a;
  auto body = [](const char* type) { return std::string(R"({"type":"error","error":{"type":")") + type + R"(","message":"m"}})"; };
  EXPECT_EQ(a.classifyError(529, {}, body("overloaded_error")).kind, UpstreamErrorKind::Overloaded);
  EXPECT_EQ(a.classifyError(500, {}, body("api_error")).kind, UpstreamErrorKind::Server);
  EXPECT_EQ(a.classifyError(401, {}, body("authentication_error")).kind, UpstreamErrorKind::Auth);
  EXPECT_EQ(a.classifyError(402, {}, body("billing_error")).kind, UpstreamErrorKind::Auth) << "our account, not the caller";
  EXPECT_EQ(a.classifyError(404, {}, body("not_found_error")).kind, UpstreamErrorKind::NotFound);
  EXPECT_EQ(a.classifyError(400, {}, body("invalid_request_error")).kind, UpstreamErrorKind::ClientError);
  EXPECT_EQ(a.classifyError(400, {}, R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})").kind,
            UpstreamErrorKind::ContextLength);
  EXPECT_EQ(a.classifyError(400, {}, R"({"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}})").kind,
            UpstreamErrorKind::ContentFilter);
}

TEST(AnthropicAdapter, RateLimitReadsRetryAfterAndTheRemainingLimits) {
  AnthropicAdapter a;
  http::Headers h{{"retry-after", "7"}, {"anthropic-ratelimit-requests-remaining", "0"}, {"anthropic-ratelimit-tokens-remaining", "1200"}};
  auto e = a.classifyError(429, h, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})");
  EXPECT_EQ(e.kind, UpstreamErrorKind::RateLimited);
  EXPECT_EQ(e.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(e.message, "HTTP 429: slow down (retry after 7 s) requests-remaining=0 tokens-remaining=1200");
}

TEST(AnthropicAdapter, CallerErrorsBecomeNeutralFields) {
  AnthropicAdapter a;
  auto e = a.clientError(400, R"({"type":"error","error":{"type":"invalid_request_error","message":"messages.0: bad"}})");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message, "messages.0: bad");
}

TEST(ProviderKinds, EveryConfigKindHasAnAdapter) {
  for (std::string_view kind : {"openai", "anthropic", "azure"}) {
    ASSERT_NE(config::findProviderKind(kind), nullptr) << kind;
    EXPECT_NE(providers::adapterFor(kind), nullptr) << kind;
  }
  EXPECT_EQ(config::providerKindNames(), providers::knownKinds());
}
