#include <gtest/gtest.h>

#include "katara/http/wire_format.h"

using namespace katara::http;

TEST(WireFormat, RequestHeadCarriesHostHeadersAndLength) {
  auto head = requestHead("POST", "/v1/chat/completions", "api.example.com", {{"authorization", "Bearer k"}}, 42);
  EXPECT_EQ(head,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: api.example.com\r\nauthorization: Bearer k\r\n"
            "Content-Length: 42\r\n\r\n");
}

TEST(WireFormat, ResponseHeadForLengthChunkedAndClose) {
  EXPECT_EQ(responseHead(200, {{"content-type", "application/json"}}, true, false, 7),
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: 7\r\n\r\n");
  EXPECT_EQ(responseHead(502, {}, false, true, 0),
            "HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(chunkSizeLine(255), "ff\r\n");
}

TEST(WireFormat, HeadersThatCouldSplitTheMessageAreNeverWritten) {
  Headers headers{{"x-ok", "fine"}, {"x-evil", "a\r\nInjected: yes"}, {"bad:name", "v"}, {"x-nul", std::string("a\0b", 3)}};
  auto head = responseHead(200, headers, true, false, 0);
  EXPECT_NE(head.find("x-ok: fine"), std::string::npos);
  EXPECT_EQ(head.find("Injected"), std::string::npos);
  EXPECT_EQ(head.find("bad:name"), std::string::npos);
  EXPECT_EQ(head.find("x-nul"), std::string::npos);
}
