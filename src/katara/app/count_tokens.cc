#include "katara/app/count_tokens.h"

#include <boost/json/serialize.hpp>

#include "katara/core/json_access.h"
#include "katara/core/json_text.h"
#include "katara/providers/anthropic/anthropic_adapter.h"

namespace katara::app {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::int64_t kImageTokens = 1600;
constexpr std::size_t kMaxAnswer = 1u << 20;

void countContent(const json::value& content, std::size_t& bytes, std::int64_t& images) {
  if (content.is_string()) {
    bytes += content.as_string().size();
    return;
  }
  if (!content.is_array()) return;
  for (const auto& block : content.as_array()) {
    if (!block.is_object()) continue;
    const auto& b = block.as_object();
    const auto type = core::strOr(b, "type");
    if (type == "text") bytes += core::strOr(b, "text").size();
    else if (type == "image" || type == "document") ++images;
    else if (type == "tool_use") bytes += json::serialize(b.contains("input") ? b.at("input") : json::value()).size() + core::strOr(b, "name").size();
    else if (type == "tool_result" && b.contains("content")) countContent(b.at("content"), bytes, images);
  }
}

}  // namespace

std::int64_t estimateInputTokens(const json::value& body) {
  const auto& o = body.as_object();
  std::size_t bytes = 0;
  std::int64_t images = 0, messages = 0;
  if (const auto* system = o.if_contains("system")) countContent(*system, bytes, images);
  if (const auto* m = core::arrayAt(o, "messages")) {
    for (const auto& msg : *m) {
      ++messages;
      if (msg.is_object() && msg.as_object().contains("content")) countContent(msg.as_object().at("content"), bytes, images);
    }
  }
  if (const auto* tools = o.if_contains("tools")) bytes += json::serialize(*tools).size();
  return static_cast<std::int64_t>((bytes + 3) / 4) + 3 * messages + kImageTokens * images;
}

asio::awaitable<TokenCount> countInputTokens(http::UpstreamPool& pool, const routing::Route& route,
                                             const http::Request& request,
                                             const api::anthropic::MessagesRequestInfo& info,
                                             const std::string& request_id) {
  for (const auto& target : route.targets) {
    const auto& provider = *target.provider;
    if (!provider.enabled) continue;
    const auto* anthropic = dynamic_cast<const providers::anthropic::AnthropicAdapter*>(provider.adapter);
    if (!anthropic) break;  // this target would answer, and it cannot count: estimate
    const std::string body = core::replaceWithJsonString(request.body, info.model_begin, info.model_end, target.model);
    const providers::ChatTarget chat_target{target.model, false, request_id, &request.headers};
    auto upstream = anthropic->request(provider.access, chat_target, body, "/v1/messages/count_tokens");
    http::ExchangeTimeouts timeouts{target.timeouts.connect, target.timeouts.first_byte, target.timeouts.idle,
                                    std::chrono::steady_clock::now() + target.timeouts.total};
    auto sent = co_await pool.send(provider.access.endpoint, upstream, timeouts);
    if (!sent) continue;
    auto& exchange = *sent.value();
    std::string answer;
    bool complete = false;
    for (;;) {
      auto chunk = co_await exchange.read();
      if (!chunk || answer.size() + chunk->size() > kMaxAnswer) break;
      if (chunk->empty()) {
        complete = true;
        break;
      }
      answer.append(*chunk);
    }
    if (!complete) continue;
    const int status = exchange.status();
    auto error = status >= 200 && status < 300 ? core::UpstreamError{core::UpstreamErrorKind::Ok, {}}
                                               : anthropic->classifyError(status, exchange.headers(), answer);
    if (error.kind != core::UpstreamErrorKind::Ok && core::shouldFailOver(error.kind)) continue;
    co_return TokenCount{status, std::move(answer), "upstream " + provider.name};
  }
  co_return TokenCount{200, R"({"input_tokens":)" + std::to_string(estimateInputTokens(info.json)) + "}", "estimate"};
}

}  // namespace katara::app
