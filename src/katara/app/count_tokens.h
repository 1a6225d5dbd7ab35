#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>

#include "katara/api/anthropic/messages_parse.h"
#include "katara/http/client.h"
#include "katara/http/message.h"
#include "katara/routing/route_table.h"

namespace katara::app {

struct TokenCount {
  int status = 200;
  std::string body;    // {"input_tokens":N}, or the upstream's answer as it came
  std::string source;  // "upstream <provider>" or "estimate"
};

// POST /v1/messages/count_tokens: the count of the target that would answer, when it speaks
// Anthropic's format (asked in route order, the next Anthropic target after one that fails);
// once the route reaches a target of another format, or none answered, the estimate.
boost::asio::awaitable<TokenCount> countInputTokens(http::UpstreamPool& pool, const routing::Route& route,
                                                    const http::Request& request,
                                                    const api::anthropic::MessagesRequestInfo& info,
                                                    const std::string& request_id);

// The documented estimate: one token per 4 bytes of text (system, message text, tool results,
// tool definitions as JSON), rounded up, plus 3 per message and 1 per image block's 1,600
// (Anthropic's own figure for a ~1 megapixel image is about 1,600 tokens).
std::int64_t estimateInputTokens(const boost::json::value& body);

}  // namespace katara::app
