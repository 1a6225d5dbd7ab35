#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "katara/api/openai_error.h"
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

// The OpenAI-compatible front door plus health endpoints, for one worker.
class GatewayHandler final : public http::Handler {
 public:
  GatewayHandler(const GatewayState& state, http::UpstreamPool& pool) : state_(state), executor_(pool) {}
  boost::asio::awaitable<void> handle(http::Request& request, http::ResponseWriter& writer) override;

 private:
  boost::asio::awaitable<void> chatCompletions(http::Request& request, http::ResponseWriter& writer,
                                               const std::string& request_id);
  boost::asio::awaitable<void> sendError(http::ResponseWriter& writer, const core::ApiError& error,
                                         const std::string& request_id);
  bool authorized(const http::Request& request) const;
  std::string modelsList() const;

  const GatewayState& state_;
  routing::Executor executor_;
  api::OpenAiDialect dialect_;
};

}  // namespace katara::app
