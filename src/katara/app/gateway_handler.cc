#include "katara/app/gateway_handler.h"

#include <spdlog/spdlog.h>

#include "katara/api/anthropic/anthropic_error.h"
#include "katara/api/anthropic/messages_parse.h"
#include "katara/api/openai/chat_request.h"
#include "katara/api/openai/completion_request.h"
#include "katara/api/openai/embeddings.h"
#include "katara/api/openai/openai_chat_parse.h"
#include "katara/store/key_hash.h"
#include "katara/app/count_tokens.h"
#include "katara/app/execution_trace.h"
#include "katara/app/redact.h"
#include "katara/app/request_shape.h"
#include "katara/app/trace_exporter.h"
#include "katara/core/constant_time.h"
#include "katara/core/json_text.h"
#include "katara/core/request_id.h"
#include "katara/routing/cost.h"
#include "katara/store/request_log.h"
#include "katara/telemetry/gateway_metrics.h"

namespace katara::app {

namespace asio = boost::asio;

namespace {

std::string modelObject(std::string_view id, std::int64_t created) {
  std::string out = R"({"id":)";
  core::appendJsonString(out, id);
  out += R"(,"object":"model","created":)" + std::to_string(created) + R"(,"owned_by":"katara"})";
  return out;
}

// The canonical request for ChatCall::canonical: parsed by `parse` on first use, kept in `slot`.
// On the heap, as only a translated attempt needs it: in the front door's coroutine frame it
// would push the frame past what Asio recycles.
template <typename Parse>
std::function<const routing::CanonicalRequest&()> parsedOnce(std::unique_ptr<routing::CanonicalRequest>& slot,
                                                             Parse parse) {
  return [&slot, parse]() -> const routing::CanonicalRequest& {
    if (!slot) slot = std::make_unique<routing::CanonicalRequest>(parse());
    return *slot;
  };
}

bool isOperationalPath(std::string_view path) {
  return path == "/metrics" || path == "/admin" || path.rfind("/admin/", 0) == 0 || path == "/ui" || path.rfind("/ui/", 0) == 0;
}

std::string requestIdFor(const http::Request& request) {
  auto given = request.header("x-request-id");
  if (!given.empty() && given.size() <= 200) return std::string(given);
  return core::newRequestId();
}

}  // namespace

const core::ClientDialect& GatewayHandler::dialectFor(std::string_view path) const {
  const bool anthropic = path == "/v1/messages" || path.rfind("/v1/messages/", 0) == 0;
  return anthropic ? static_cast<const core::ClientDialect&>(anthropic_) : openai_;
}

std::string GatewayHandler::refusalBody(std::string_view target, int status, std::string_view message,
                                        std::string_view code) const {
  const core::ApiError error{status, std::string(message), "invalid_request_error", std::nullopt, std::string(code)};
  return dialectFor(target.substr(0, target.find('?'))).errorBody(error);
}

bool GatewayHandler::authorized(const http::Request& request) const {
  if (state_.api_keys.empty()) return true;
  return core::matchesAnyKey(http::presentedApiKey(request), state_.api_keys);
}

std::string GatewayHandler::modelsList() const {
  std::string out = R"({"object":"list","data":[)";
  bool first = true;
  for (const auto& [alias, route] : state_.routes->routes()) {
    if (!first) out += ',';
    first = false;
    out += modelObject(alias, state_.started_unix);
  }
  out += "]}";
  return out;
}

asio::awaitable<void> GatewayHandler::sendError(http::ResponseWriter& writer, const core::ClientDialect& dialect,
                                                const core::ApiError& error, RequestContext& ctx) {
  const std::string& request_id = ctx.id();
  ctx.trace.error = error.message;
  http::Headers headers{{"content-type", "application/json"}, {"x-request-id", request_id}};
  if (dialect.format() == core::ApiFormat::AnthropicMessages) headers.push_back({"request-id", request_id});
  core::ApiError with_id = error;
  with_id.request_id = request_id;
  co_await writer.send(error.status, std::move(headers), dialect.errorBody(with_id));
}

asio::awaitable<void> GatewayHandler::handle(http::Request& request, http::ResponseWriter& writer) {
  const auto path = request.path();
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/healthz" && get) {
    http::Headers headers{{"content-type", "application/json"}};
    co_await writer.send(200, std::move(headers), R"({"status":"ok"})");
    co_return;
  }
  if (path == "/readyz" && get) {
    bool ready = !state_.draining && state_.routes->hasEnabledTarget();
    http::Headers headers{{"content-type", "application/json"}};
    std::string body = ready ? R"({"status":"ready"})"
                             : (state_.draining ? R"({"status":"draining"})"
                                                : R"({"status":"not_ready","reason":"no route has an enabled target"})");
    co_await writer.send(ready ? 200 : 503, std::move(headers), std::move(body));
    co_return;
  }
  // The operational endpoints are not API traffic: scrapes and dashboards get no log rows.
  if (state_.admin && isOperationalPath(path)) {
    co_await state_.admin->handle(request, writer);
    co_return;
  }

  // The context lives on the heap, not in this frame: with it the frame would outgrow what Asio
  // recycles (1,020 bytes) and cost a slow allocation of its own.
  const std::unique_ptr<RequestContext> owned =
      arriving(requestIdFor(request), request.method, path, state_.request_log || state_.tracer);
  RequestContext& ctx = *owned;
  ctx.trace.key_hash = store::hashedKey(http::presentedApiKey(request));
  ctx.trace.traceparent = std::string(request.header("traceparent"));
  metrics_.requestStarted();
  std::string response_body;  // kept only when bodies are captured
  if (state_.capture_max_bytes > 0) writer.captureBody(&response_body, state_.capture_max_bytes);
  const FrontDoor door = frontDoorFor(request, ctx, nullptr);
  try {
    co_await (this->*door)(request, writer, ctx);
  } catch (...) {
    ctx.trace.error = "the gateway failed while answering";
    ctx.trace.status = 500;
    writer.captureBody(nullptr, 0);
    record(ctx, request.body, response_body);
    throw;
  }
  writer.captureBody(nullptr, 0);
  // 499: the client went away before the whole answer reached it.
  ctx.trace.status = writer.sentComplete() ? writer.sentStatus() : 499;
  record(ctx, request.body, response_body);
}

std::unique_ptr<RequestContext> GatewayHandler::arriving(std::string id, std::string_view method, std::string_view path,
                                                         bool detailed) {
  auto ctx = std::make_unique<RequestContext>();
  ctx->arrived = std::chrono::steady_clock::now();
  ctx->trace.id = std::move(id);
  ctx->trace.detailed = detailed;
  if (detailed) {
    ctx->trace.unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
    ctx->trace.method = std::string(method);
    ctx->trace.path = std::string(path);
  }
  return ctx;
}

void GatewayHandler::noteRefusal(std::string_view method, std::string_view target, int status, std::string_view message) {
  const auto path = target.substr(0, target.find('?'));
  const auto ctx = arriving(core::newRequestId(), method, path, state_.request_log || state_.tracer);
  ctx->trace.api = &dialectFor(path) == &anthropic_ ? "anthropic" : "openai";
  ctx->trace.status = status;
  ctx->trace.error = std::string(message);
  metrics_.requestStarted();
  std::string no_body;
  record(*ctx, {}, no_body);
}

void GatewayHandler::record(RequestContext& ctx, std::string_view request_body, std::string& response_body) {
  noteEnd(ctx.trace, ctx.arrived, std::chrono::steady_clock::now());
  metrics_.requestEnded(ctx.trace);
  if (state_.tracer) state_.tracer->submit(ctx.trace);
  if (!state_.request_log) return;
  if (state_.capture_max_bytes > 0) {
    ctx.trace.request_body = redactSecrets(request_body.substr(0, state_.capture_max_bytes), state_.secrets);
    ctx.trace.response_body = redactSecrets(response_body, state_.secrets);
  }
  state_.request_log->append(std::move(ctx.trace));
}

GatewayHandler::FrontDoor GatewayHandler::frontDoorFor(const http::Request& request, RequestContext& ctx,
                                                       core::ApiError* refusal) const {
  const auto path = request.path();
  const bool anthropic = &dialectFor(path) == &anthropic_;
  ctx.trace.api = anthropic ? "anthropic" : "openai";
  if (path.rfind("/v1/", 0) != 0) {
    if (refusal) *refusal = api::notFound(path);
    return &GatewayHandler::refuse;
  }
  if (!authorized(request)) {
    if (!refusal) return &GatewayHandler::refuse;
    const bool none = request.header("authorization").empty() && request.header("x-api-key").empty();
    *refusal = none ? api::missingApiKey() : api::wrongApiKey();
    if (anthropic) refusal->message = none ? "x-api-key header is required" : "invalid x-api-key";
    return &GatewayHandler::refuse;
  }
  struct Door {
    std::string_view path;
    std::string_view operation;
    FrontDoor door;
    bool post;  // else GET (or HEAD)
  };
  static constexpr Door kFrontDoors[] = {
      {"/v1/chat/completions", "chat", &GatewayHandler::chatCompletions, true},
      {"/v1/messages", "chat", &GatewayHandler::messages, true},
      {"/v1/messages/count_tokens", "count_tokens", &GatewayHandler::countTokens, true},
      {"/v1/embeddings", "embeddings", &GatewayHandler::embeddings, true},
      {"/v1/completions", "text_completion", &GatewayHandler::completions, true},
      {"/v1/models", "models", &GatewayHandler::models, false},
  };
  const bool models_path = path.rfind("/v1/models/", 0) == 0;
  for (const auto& door : kFrontDoors) {
    if (path != door.path && !(models_path && door.door == &GatewayHandler::models)) continue;
    ctx.trace.operation = std::string(door.operation);
    const bool allowed = door.post ? request.method == "POST" : request.method == "GET" || request.method == "HEAD";
    if (!allowed) {
      if (refusal) *refusal = api::methodNotAllowed(request.method, path);
      return &GatewayHandler::refuse;
    }
    return door.door;
  }
  if (refusal) *refusal = api::notFound(path);
  return &GatewayHandler::refuse;
}

asio::awaitable<void> GatewayHandler::refuse(http::Request& request, http::ResponseWriter& writer, RequestContext& ctx) {
  core::ApiError refusal;
  frontDoorFor(request, ctx, &refusal);
  // Anthropic's paths answer in Anthropic's shape, from the first error on.
  co_await sendError(writer, dialectFor(request.path()), refusal, ctx);
}

asio::awaitable<void> GatewayHandler::models(http::Request& request, http::ResponseWriter& writer, RequestContext& ctx) {
  const auto path = request.path();
  std::string body;
  if (path == "/v1/models") {
    body = modelsList();
  } else {
    auto id = path.substr(std::string_view("/v1/models/").size());
    if (!state_.routes->find(id)) {
      const core::ApiError unknown = api::unknownModel(id);
      co_await sendError(writer, openai_, unknown, ctx);
      co_return;
    }
    body = modelObject(id, state_.started_unix);
  }
  http::Headers headers{{"content-type", "application/json"}, {"x-request-id", ctx.id()}};
  co_await writer.send(200, std::move(headers), std::move(body));
}

asio::awaitable<const routing::Route*> GatewayHandler::routeFor(http::ResponseWriter& writer,
                                                                const core::ClientDialect& dialect,
                                                                const std::string& model, RequestContext& ctx) {
  if (ctx.trace.alias.empty()) ctx.trace.alias = model;  // the first model named (fallbacks follow)
  if (const auto* route = state_.routes->find(model)) {
    if (ctx.trace.alias_index < 0) ctx.trace.alias_index = route->index;
    co_return route;
  }
  // A named local: GCC 12 destroys a ?: temporary inside a co_await expression twice.
  const core::ApiError unknown = &dialect == &anthropic_ ? api::anthropic::unknownModel(model) : api::unknownModel(model);
  co_await sendError(writer, dialect, unknown, ctx);
  co_return nullptr;
}

namespace {
// Requests whose format has no `models`.
const std::vector<std::string> kNoFallbacks;
}  // namespace

asio::awaitable<std::optional<routing::RequestShape>> GatewayHandler::shapeFor(
    const http::Request& request, http::ResponseWriter& writer, const core::ClientDialect& dialect, bool stream,
    std::optional<std::int64_t> max_tokens, RequestContext& ctx, const std::vector<std::string>& models) {
  auto shaped = requestShape(request, stream, max_tokens);
  if (auto* shape = std::get_if<routing::RequestShape>(&shaped)) {
    // The body's `models`: more aliases to fall back to, each a configured one.
    for (const auto& alias : models) {
      const auto* route = co_await routeFor(writer, dialect, alias, ctx);
      if (!route) co_return std::nullopt;
      shape->fallbacks.push_back(route);
    }
    co_return *shape;
  }
  co_await sendError(writer, dialect, std::get<core::ApiError>(shaped), ctx);
  co_return std::nullopt;
}

asio::awaitable<void> GatewayHandler::chatCompletions(http::Request& request, http::ResponseWriter& writer,
                                                      RequestContext& ctx) {
  auto inspected = api::inspectChatRequest(request.body);
  if (auto* err = std::get_if<core::ApiError>(&inspected)) {
    co_await sendError(writer, openai_, *err, ctx);
    co_return;
  }
  const auto& info = std::get<api::ChatRequestInfo>(inspected);
  const auto* route = co_await routeFor(writer, openai_, info.model, ctx);
  if (!route) co_return;
  auto shape = co_await shapeFor(request, writer, openai_, info.stream, info.max_tokens, ctx, info.models);
  if (!shape) co_return;
  std::unique_ptr<routing::CanonicalRequest> canonical;
  routing::ChatCall call;
  call.route = route;
  call.shape = *shape;
  call.dialect = &openai_;
  call.body_for = [&request, &info](std::string_view model) { return api::withModel(request.body, info, model); };
  call.canonical = parsedOnce(canonical, [&request] { return api::parseOpenAiChat(request.body); });
  call.stream = info.stream;
  call.request_id = ctx.id();
  co_await execute(call, writer, info.model, ctx);
}

asio::awaitable<void> GatewayHandler::completions(http::Request& request, http::ResponseWriter& writer,
                                                  RequestContext& ctx) {
  const std::string& request_id = ctx.id();
  auto inspected = api::inspectCompletionRequest(request.body);
  if (auto* err = std::get_if<core::ApiError>(&inspected)) {
    co_await sendError(writer, openai_, *err, ctx);
    co_return;
  }
  const auto& info = std::get<api::CompletionRequestInfo>(inspected);
  const auto* route = co_await routeFor(writer, openai_, info.model, ctx);
  if (!route) co_return;
  // A legacy completion has no canonical form: only OpenAI-compatible targets can take it.
  const std::optional<std::int64_t> no_limit;  // named: GCC 12 and temporaries in co_await
  auto shape = co_await shapeFor(request, writer, openai_, info.stream, no_limit, ctx, kNoFallbacks);
  if (!shape) co_return;
  const routing::CanonicalRequest not_translatable = core::ApiError{
      400, "Legacy completions (/v1/completions) are served only by OpenAI-compatible targets.",
      "invalid_request_error", std::nullopt, "untranslatable_request"};
  routing::ChatCall call;
  call.route = route;
  call.shape = *shape;
  call.dialect = &openai_;
  call.body_for = [&info](std::string_view model) { return api::completionBodyFor(info, model); };
  call.canonical = [&not_translatable]() -> const routing::CanonicalRequest& { return not_translatable; };
  call.stream = info.stream;
  call.request_id = request_id;
  call.legacy_completion = true;
  co_await execute(call, writer, info.model, ctx);
}

asio::awaitable<void> GatewayHandler::embeddings(http::Request& request, http::ResponseWriter& writer,
                                                 RequestContext& ctx) {
  const std::string& request_id = ctx.id();
  auto parsed = api::parseEmbeddingsRequest(request.body);
  if (auto* err = std::get_if<core::ApiError>(&parsed)) {
    co_await sendError(writer, openai_, *err, ctx);
    co_return;
  }
  auto& embeddings = std::get<api::EmbeddingsCall>(parsed);
  const auto* route = co_await routeFor(writer, openai_, embeddings.request.model, ctx);
  if (!route) co_return;
  const std::optional<std::int64_t> no_output = 0;  // named: GCC 12 and temporaries in co_await
  auto shape = co_await shapeFor(request, writer, openai_, false, no_output, ctx, kNoFallbacks);
  if (!shape) co_return;
  const std::string alias = embeddings.request.model;
  routing::EmbedCall call;
  call.route = route;
  call.shape = *shape;
  call.dialect = &openai_;
  call.request = std::move(embeddings.request);
  call.encode_response = [base64 = embeddings.base64](const core::EmbeddingResponse& r, std::string_view model) {
    return api::encodeEmbeddingsResponse(r, base64, model);
  };
  call.request_id = request_id;
  auto summary = co_await executor_.embed(call, writer);
  logSummary(request_id, "embeddings", alias, false, summary, call.shape);
  noteExecution(ctx.trace, summary, call.shape, ctx.arrived);
}

asio::awaitable<void> GatewayHandler::messages(http::Request& request, http::ResponseWriter& writer,
                                               RequestContext& ctx) {
  const std::string& request_id = ctx.id();
  auto inspected = api::anthropic::inspectMessagesRequest(request.body);
  if (auto* err = std::get_if<core::ApiError>(&inspected)) {
    co_await sendError(writer, anthropic_, *err, ctx);
    co_return;
  }
  const auto& info = std::get<api::anthropic::MessagesRequestInfo>(inspected);
  const auto* route = co_await routeFor(writer, anthropic_, info.model, ctx);
  if (!route) co_return;
  auto shape = co_await shapeFor(request, writer, anthropic_, info.stream, info.max_tokens, ctx, info.models);
  if (!shape) co_return;
  std::unique_ptr<routing::CanonicalRequest> canonical;
  routing::ChatCall call;
  call.route = route;
  call.shape = *shape;
  call.dialect = &anthropic_;
  call.body_for = [&request, &info](std::string_view model) {
    if (info.has_models) return core::withoutModels(request.body, model);
    return core::replaceWithJsonString(request.body, info.model_begin, info.model_end, model);
  };
  call.canonical = parsedOnce(canonical, [&info] { return api::anthropic::parseMessagesRequest(info.json); });
  call.forwarded = &request.headers;
  call.stream = info.stream;
  call.request_id = request_id;
  co_await execute(call, writer, info.model, ctx);
}

asio::awaitable<void> GatewayHandler::countTokens(http::Request& request, http::ResponseWriter& writer,
                                                  RequestContext& ctx) {
  const std::string& request_id = ctx.id();
  auto inspected = api::anthropic::inspectCountTokensRequest(request.body);
  if (auto* err = std::get_if<core::ApiError>(&inspected)) {
    co_await sendError(writer, anthropic_, *err, ctx);
    co_return;
  }
  const auto& info = std::get<api::anthropic::MessagesRequestInfo>(inspected);
  const auto* route = co_await routeFor(writer, anthropic_, info.model, ctx);
  if (!route) co_return;
  auto counted = co_await countInputTokens(pool_, *route, request, info, request_id);
  http::Headers headers{{"content-type", "application/json"}, {"x-request-id", request_id}, {"request-id", request_id}};
  headers.push_back({"x-katara-token-count", counted.source});
  co_await writer.send(counted.status, std::move(headers), std::move(counted.body));
}

asio::awaitable<void> GatewayHandler::execute(routing::ChatCall& call, http::ResponseWriter& writer, std::string_view model,
                                              RequestContext& ctx) {
  ctx.trace.stream = call.stream;
  auto summary = co_await executor_.chat(call, writer);
  noteExecution(ctx.trace, summary, call.shape, ctx.arrived);
  const std::string_view operation = call.legacy_completion ? "completions" : core::toString(call.dialect->format());
  logSummary(call.request_id, operation, model, call.stream, summary, call.shape);
}

void GatewayHandler::logSummary(const std::string& request_id, std::string_view operation, std::string_view model,
                                bool stream, const routing::ExecutionSummary& summary,
                                const routing::RequestShape& shape) const {
  const bool eventful = summary.tried() > 1 || summary.status >= 400 || summary.stream_broken || summary.hedged;
  if (!eventful && !spdlog::should_log(spdlog::level::debug)) return;
  std::string trail;
  for (const auto& a : summary.attempts) {
    trail += " " + a.provider + "/" + a.model + "=" + std::string(core::toString(a.kind));
    if (a.translated) trail += "(translated)";
  }
  const auto cost = routing::requestCost(summary, shape);
  const std::string cost_text = cost.usd == 0 && cost.unpriced ? "-" : routing::formatUsd(cost.usd) + (cost.estimated ? "~" : "");
  spdlog::log(eventful ? spdlog::level::info : spdlog::level::debug,
              "{} {} model={} status={} stream={} served_by={} cost_usd={} attempts:{}{}{}", request_id, operation, model,
              summary.status, stream, summary.served_by ? summary.served_by->provider->name : "-", cost_text, trail,
              summary.hedged ? " (hedged)" : "", summary.stream_broken ? " (stream broken after commit)" : "");
  spdlog::debug("{} plan: {}", request_id, summary.route_reason);  // the full plan and its figures
}

}  // namespace katara::app
