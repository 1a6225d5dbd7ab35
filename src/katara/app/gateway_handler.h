#pragma once
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_dialect.h"
#include "katara/app/request_context.h"
#include "katara/http/handler.h"
#include "katara/routing/executor.h"

namespace katara::telemetry {
class WorkerMetrics;
}
namespace katara::store {
class RequestLog;
}
namespace katara::app {
class TraceExporter;
}

namespace katara::app {

// Read-only state every worker shares.
struct GatewayState {
  std::shared_ptr<const routing::RouteTable> routes;
  std::vector<std::string> api_keys;
  std::int64_t started_unix = 0;     // "created" of the listed models
  std::atomic<bool> draining{false};
  store::RequestLog* request_log = nullptr;  // every API request's row goes here
  TraceExporter* tracer = nullptr;           // and its trace, when tracing is configured
  // The operational endpoints (/metrics, /admin/*, /ui) when they share the gateway's listener.
  http::Handler* admin = nullptr;
  std::size_t capture_max_bytes = 0;   // > 0: bodies are kept in the log, secrets redacted
  std::vector<std::string> secrets;    // configured keys: never stored, even in a captured body
};

// The front doors (OpenAI chat completions, Anthropic messages) plus health endpoints, for
// one worker. Each front door answers in its own format, errors included.
class GatewayHandler final : public http::Handler {
 public:
  GatewayHandler(const GatewayState& state, http::UpstreamPool& pool, telemetry::WorkerMetrics& metrics)
      : state_(state), pool_(pool), metrics_(metrics), executor_(pool) {}
  boost::asio::awaitable<void> handle(http::Request& request, http::ResponseWriter& writer) override;
  // Refusals before a handler runs (413, 431) in the shape of the API the path belongs to.
  std::string refusalBody(std::string_view target, int status, std::string_view message,
                          std::string_view code) const override;
  // A refused request (oversized, not HTTP) gets its metrics and log row too.
  void noteRefusal(std::string_view method, std::string_view target, int status, std::string_view message) override;

 private:
  boost::asio::awaitable<void> chatCompletions(http::Request& request, http::ResponseWriter& writer,
                                               RequestContext& ctx);
  boost::asio::awaitable<void> embeddings(http::Request& request, http::ResponseWriter& writer,
                                          RequestContext& ctx);
  boost::asio::awaitable<void> completions(http::Request& request, http::ResponseWriter& writer,
                                           RequestContext& ctx);
  boost::asio::awaitable<void> messages(http::Request& request, http::ResponseWriter& writer,
                                        RequestContext& ctx);
  boost::asio::awaitable<void> countTokens(http::Request& request, http::ResponseWriter& writer,
                                           RequestContext& ctx);
  // The route serving `model`, or nullptr after answering the client's format's 404.
  boost::asio::awaitable<const routing::Route*> routeFor(http::ResponseWriter& writer, const core::ClientDialect& dialect,
                                                         const std::string& model, RequestContext& ctx);
  // What routing weighs of the request, or nullptr after answering a malformed x-katara-* header.
  boost::asio::awaitable<std::optional<routing::RequestShape>> shapeFor(const http::Request& request, http::ResponseWriter& writer,
                                                                        const core::ClientDialect& dialect, bool stream,
                                                                        std::optional<std::int64_t> max_tokens,
                                                                        RequestContext& ctx,
                                                                        const std::vector<std::string>& models);
  // Runs the call, writes its log line and notes what happened in the request's trace.
  boost::asio::awaitable<void> execute(routing::ChatCall& call, http::ResponseWriter& writer, std::string_view model,
                                       RequestContext& ctx);
  // GET /v1/models and /v1/models/{id}: the configured aliases, in OpenAI's list shape.
  boost::asio::awaitable<void> models(http::Request& request, http::ResponseWriter& writer, RequestContext& ctx);
  using FrontDoor = boost::asio::awaitable<void> (GatewayHandler::*)(http::Request&, http::ResponseWriter&,
                                                                     RequestContext&);
  // The front door that takes an API request (by path, method and key); `refuse` when none does,
  // with the error to answer in `*refusal` when asked. A plain function, so that the request's
  // chain of coroutine frames is no longer for it (each frame costs an allocation).
  FrontDoor frontDoorFor(const http::Request& request, RequestContext& ctx, core::ApiError* refusal) const;
  // Answers the error frontDoorFor found, in the path's API format.
  boost::asio::awaitable<void> refuse(http::Request& request, http::ResponseWriter& writer, RequestContext& ctx);
  // The request's trace is complete: to the metrics and the request log.
  void record(RequestContext& ctx, std::string_view request_body, std::string& response_body);
  // A context for a request arriving now: its id, time, method and path.
  // `detailed`: the log or the traces want its names (RequestTrace::detailed).
  static std::unique_ptr<RequestContext> arriving(std::string id, std::string_view method, std::string_view path, bool detailed);
  // One log line per request that failed over, failed or broke (every request at debug level).
  void logSummary(const std::string& request_id, std::string_view operation, std::string_view model, bool stream,
                  const routing::ExecutionSummary& summary, const routing::RequestShape& shape) const;
  boost::asio::awaitable<void> sendError(http::ResponseWriter& writer, const core::ClientDialect& dialect,
                                         const core::ApiError& error, RequestContext& ctx);
  bool authorized(const http::Request& request) const;
  // Anthropic's paths answer in Anthropic's shape, every other path in OpenAI's.
  const core::ClientDialect& dialectFor(std::string_view path) const;
  std::string modelsList() const;

  const GatewayState& state_;
  http::UpstreamPool& pool_;
  telemetry::WorkerMetrics& metrics_;
  routing::Executor executor_;
  api::OpenAiDialect openai_;
  api::anthropic::AnthropicDialect anthropic_;
};

}  // namespace katara::app
