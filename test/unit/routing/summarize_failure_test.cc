#include <gtest/gtest.h>

#include "katara/routing/executor.h"

using katara::core::UpstreamErrorKind;
using katara::routing::AttemptRecord;
using katara::routing::summarizeFailure;

TEST(SummarizeFailure, AllTimeoutsIs504) {
  auto e = summarizeFailure("m", {{"a", "x", UpstreamErrorKind::Timeout, "first byte", {}},
                                  {"b", "y", UpstreamErrorKind::Timeout, "connect", {}}});
  EXPECT_EQ(e.status, 504);
  EXPECT_NE(e.message.find("a/x: timeout (first byte)"), std::string::npos);
  EXPECT_NE(e.message.find("b/y"), std::string::npos);
}

TEST(SummarizeFailure, NothingEnabledOrAllOverloadedIs503) {
  EXPECT_EQ(summarizeFailure("m", {{"a", "x", UpstreamErrorKind::Disabled, "KEY is not set", {}}}).status, 503);
  EXPECT_EQ(summarizeFailure("m", {{"a", "x", UpstreamErrorKind::RateLimited, "", {}},
                                   {"b", "y", UpstreamErrorKind::Overloaded, "", {}}}).status, 503);
}

TEST(SummarizeFailure, MixedFailuresAre502) {
  auto e = summarizeFailure("m", {{"a", "x", UpstreamErrorKind::Connect, "refused", {}},
                                  {"b", "y", UpstreamErrorKind::Server, "HTTP 500", {}}});
  EXPECT_EQ(e.status, 502);
  EXPECT_EQ(e.code, "upstream_error");
}
