#include <gtest/gtest.h>

#include "katara/http/sse.h"
#include "katara/http/url.h"

using katara::http::SseSplitter;

TEST(SseSplitter, SplitsEventsAcrossArbitraryChunkBoundaries) {
  const std::string wire = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
  for (std::size_t step = 1; step <= wire.size(); ++step) {
    SseSplitter s;
    std::vector<std::string> got;
    std::string raw;
    for (std::size_t i = 0; i < wire.size(); i += step) {
      s.feed(std::string_view(wire).substr(i, step));
      while (auto ev = s.next()) {
        got.push_back(ev->data);
        raw += ev->raw;
      }
    }
    ASSERT_EQ(got.size(), 3u) << "step " << step;
    EXPECT_EQ(got[0], "{\"a\":1}");
    EXPECT_EQ(got[2], "[DONE]");
    EXPECT_EQ(raw, wire) << "raw bytes pass through unchanged";
  }
}

TEST(SseSplitter, AcceptsCrlfAndCrLineEndsAndJoinsDataLines) {
  SseSplitter s;
  s.feed("event: message_start\r\ndata: one\r\ndata: two\r\n\r\ndata: x\r\rdata: y\n\n");
  auto a = s.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->event, "message_start");
  EXPECT_EQ(a->data, "one\ntwo");
  auto b = s.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->data, "x");
  auto c = s.next();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->data, "y");
}

TEST(SseSplitter, CommentsAreEventsWithoutData) {
  SseSplitter s;
  s.feed(": keep-alive\n\ndata: z\n\n");
  auto a = s.next();
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->data.empty());
  EXPECT_EQ(s.next()->data, "z");
}

TEST(SseSplitter, WaitsForTheBlankLineAndFlagsOversizedEvents) {
  SseSplitter s(16);
  s.feed("data: partial");
  EXPECT_FALSE(s.next());
  EXPECT_FALSE(s.overflowed());
  s.feed(" and much more text without an end");
  EXPECT_FALSE(s.next());
  EXPECT_TRUE(s.overflowed());
}

TEST(SseEvent, DoneIsRecognisedByPrefix) {
  SseSplitter s;
  s.feed("data: [DONE]\n\n");
  EXPECT_TRUE(s.next()->isDone());
}

TEST(Endpoint, ParsesBaseUrls) {
  auto e = katara::http::parseEndpoint("https://api.openai.com/v1/");
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->tls);
  EXPECT_EQ(e->port, 443);
  EXPECT_EQ(e->base_path, "/v1");
  EXPECT_EQ(e->hostHeader(), "api.openai.com");
  auto v6 = katara::http::parseEndpoint("http://[::1]:11434/v1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->hostHeader(), "[::1]:11434");
  EXPECT_FALSE(katara::http::parseEndpoint("ftp://x"));
}
