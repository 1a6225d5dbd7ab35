// Executor::embedAttempt: one embeddings request to one target. Every embeddings API answers
// whole, so this is the complete-answer half of a chat attempt: encode for the target's API,
// read, decode to canonical vectors, and write them in the client's encoding.
#include "katara/routing/executor.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using core::UpstreamErrorKind;

namespace {

constexpr std::size_t kMaxEmbeddingsBody = 256u << 20;  // 2048 inputs × 3072 dimensions as JSON fits

}  // namespace

asio::awaitable<Executor::Outcome> Executor::embedAttempt(const EmbedCall& call, const Target& target,
                                                          Clock::time_point deadline, http::Cancellation& cancel,
                                                          ExecutionSummary& summary, http::ResponseWriter& writer) {
  const auto t0 = Clock::now();
  const auto& provider = *target.provider;
  summary.attempts.push_back({provider.name, target.model, UpstreamErrorKind::Ok, {}, {}, false, t0});
  const std::size_t index = summary.attempts.size() - 1;
  summary.attempts[index].target = &target;
  auto fail = [&](core::UpstreamError err) {
    auto& r = summary.attempts[index];
    r.kind = err.kind;
    r.message = std::move(err.message);
    r.retry_after = err.retry_after;
    r.finish(std::chrono::steady_clock::now());
    return err.kind == UpstreamErrorKind::Cancelled ? Outcome::Cancelled : Outcome::Failed;
  };

  const auto* embedder = provider.adapter->embedder();
  if (!embedder) {
    const core::UpstreamError none{UpstreamErrorKind::Untranslatable,
                                   "kind " + std::string(provider.adapter->kind()) + " has no embeddings API"};
    co_return fail(none);
  }
  summary.attempts[index].translated = provider.adapter->format() != call.dialect->format();
  core::EmbeddingRequest upstream = call.request;
  upstream.model = target.model;
  std::string why;
  auto body = embedder->encode(upstream, why);
  if (!body) {
    const core::UpstreamError cannot{UpstreamErrorKind::Untranslatable, why};
    co_return fail(cannot);
  }
  const providers::ChatTarget embed_target{target.model, false, call.request_id, nullptr};
  auto request = embedder->request(provider.access, embed_target, *body);
  auto sent = co_await sendTo(target, request, t0, deadline, cancel);
  if (!sent) co_return fail(sent.error());
  auto exchange = std::move(sent.value());
  const ScopedAbort abort_on_cancel(cancel, *exchange);

  const int status = exchange->status();
  const bool success = status >= 200 && status < 300;
  auto read = co_await readAll(*exchange, success ? kMaxEmbeddingsBody : kMaxErrorBody);
  if (!read) {
    if (success) co_return fail(read.error());
    co_return fail({read.error().kind, "HTTP " + std::to_string(status) + ", then " + read.error().message});
  }
  auto& record = summary.attempts[index];
  record.status = status;
  std::string answer;
  if (success) {
    const std::size_t inputs = upstream.texts.empty() ? upstream.tokens.size() : upstream.texts.size();
    auto decoded = embedder->decode(read.value(), inputs);
    if (!decoded) co_return fail(decoded.error());
    record.billed = true;
    if (decoded.value().prompt_tokens > 0) {  // else (Gemini counts none) the estimate
      core::Usage usage;
      usage.input_tokens = decoded.value().prompt_tokens;
      record.usage = usage;
    }
    answer = call.encode_response(decoded.value(), target.model);
  } else {
    auto error = provider.adapter->classifyError(status, exchange->headers(), read.value());
    const bool to_larger_context = error.kind == UpstreamErrorKind::ContextLength && summary.context_fallback_pending;
    if (core::shouldFailOver(error.kind) || to_larger_context) co_return fail(std::move(error));
    auto restated = provider.adapter->clientError(status, read.value());
    restated.request_id = call.request_id;
    answer = call.dialect->errorBody(restated);
    record.kind = error.kind;
    record.message = error.message;
  }
  auto headers = answerHeaders(call.request_id, call.dialect->format(), target, summary, "application/json");
  if (success) addCostHeaders(headers, summary, call.shape);
  summary.served_by = &target;
  summary.status = status;
  record.finish(std::chrono::steady_clock::now());
  bool delivered = co_await writer.send(status, std::move(headers), std::move(answer));
  co_return delivered ? Outcome::Answered : Outcome::Cancelled;
}

}  // namespace katara::routing
