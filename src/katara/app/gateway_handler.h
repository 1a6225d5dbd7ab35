#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/http/handler.h"
#include "katara/routing/executor.h"

namespace katara::app {

// Read-only state every worker shares.
struct GatewayState {
  std::shared_ptr<const routing::RouteTable> routes;
  std::vector<std::string> api_keys;
  std::int64_t started_unix = 0;     // "created" of the listed models
  std::atomic<bool> draining{false};
};

// The front doors (OpenAI chat completions, Anthropic messages) plus health endpoints, for
// one worker. Each front door answers in its own format, errors included.
class GatewayHandler final : public http::Handler {
 public:
  GatewayHandler(const GatewayState& state, http::UpstreamPool& pool)
      : state_(state), pool_(pool), executor_(pool) {}
  boost::asio::awaitable<void> handle(http::Request& request, http::ResponseWriter& writer) override;
  // Refusals before a handler runs (413, 431) in the shape of the API the path belongs to.
  std::string refusalBody(std::string_view target, int status, std::string_view message,
                          std::string_view code) const override;

 private:
  boost::asio::awaitable<void> chatCompletions(http::Request& request, http::ResponseWriter& writer,
                                               const std::string& request_id);
  boost::asio::awaitable<void> embeddings(http::Request& request, http::ResponseWriter& writer,
                                          const std::string& request_id);
  boost::asio::awaitable<void> completions(http::Request& request, http::ResponseWriter& writer,
                                           const std::string& request_id);
  boost::asio::awaitable<void> messages(http::Request& request, http::ResponseWriter& writer,
                                        const std::string& request_id);
  boost::asio::awaitable<void> countTokens(http::Request& request, http::ResponseWriter& writer,
                                           const std::string& request_id);
  // The route serving `model`, or nullptr after answering the client's format's 404.
  boost::asio::awaitable<const routing::Route*> routeFor(http::ResponseWriter& writer, const core::ClientDialect& dialect,
                                                         const std::string& model, const std::string& request_id);
  // What routing weighs of the request, or nullptr after answering a malformed x-katara-* header.
  boost::asio::awaitable<std::optional<routing::RequestShape>> shapeFor(const http::Request& request, http::ResponseWriter& writer,
                                                                        const core::ClientDialect& dialect, bool stream,
                                                                        std::optional<std::int64_t> max_tokens,
                                                                        const std::string& request_id,
                                                                        const std::vector<std::string>& models);
  // Runs the call and writes its log line.
  boost::asio::awaitable<void> execute(routing::ChatCall& call, http::ResponseWriter& writer, std::string_view model);
  // One log line per request that failed over, failed or broke (every request at debug level).
  void logSummary(const std::string& request_id, std::string_view operation, std::string_view model, bool stream,
                  const routing::ExecutionSummary& summary, const routing::RequestShape& shape) const;
  boost::asio::awaitable<void> sendError(http::ResponseWriter& writer, const core::ClientDialect& dialect,
                                         const core::ApiError& error, const std::string& request_id);
  bool authorized(const http::Request& request) const;
  // Anthropic's paths answer in Anthropic's shape, every other path in OpenAI's.
  const core::ClientDialect& dialectFor(std::string_view path) const;
  std::string modelsList() const;

  const GatewayState& state_;
  http::UpstreamPool& pool_;
  routing::Executor executor_;
  api::OpenAiDialect openai_;
  api::anthropic::AnthropicDialect anthropic_;
};

}  // namespace katara::app
