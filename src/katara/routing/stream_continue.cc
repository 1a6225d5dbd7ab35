// Executor::continueStream: the attempt that carries on a stream another target broke off. The
// client's request goes to this target with the partial answer handed over — as a prefill when
// the target continues one, else with an instruction to continue — and the answer streams on
// into the client's open stream through the seam (stream_translate.cc). A target that answers
// the prefill with a 400 is asked again at once without one, and remembered as refusing them.
// Nothing of a failed continuation reaches the client: the next target tries.
#include <spdlog/spdlog.h>

#include "katara/routing/executor.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using core::UpstreamErrorKind;


asio::awaitable<Executor::Outcome> Executor::continueStream(const ChatCall& call, const Target& target,
                                                            Clock::time_point deadline, http::Cancellation& cancel,
                                                            http::ResponseWriter& writer, ExecutionSummary& summary) {
  const auto& provider = *target.provider;
  const auto& handover = *summary.stream.handover;
  const auto& parsed = call.canonical();
  bool prefill = target.prefill && !target.health->rejectsPrefill();
  for (;;) {
    const auto t0 = Clock::now();
    summary.attempts.push_back({provider.name, target.model, UpstreamErrorKind::Ok, {}, {}, true, t0});
    auto& record = summary.attempts.back();
    record.continued = true;
    record.target = &target;
    auto fail = [&](const core::UpstreamError& err) {
      record.kind = err.kind;
      record.message = err.message;
      record.retry_after = err.retry_after;
      record.finish(std::chrono::steady_clock::now());
      return err.kind == UpstreamErrorKind::Cancelled ? Outcome::Cancelled : Outcome::Failed;
    };
    if (const auto* why = std::get_if<core::ApiError>(&parsed)) {
      const core::UpstreamError untranslatable{UpstreamErrorKind::Untranslatable, "cannot continue the stream: " + why->message};
      co_return fail(untranslatable);
    }
    auto continuation = continuationOf(std::get<core::ChatRequest>(parsed), handover, prefill);
    continuation.request.model = target.model;
    continuation.request.stream = true;
    const std::string body = provider.adapter->encodeChat(continuation.request).body;
    const providers::ChatTarget chat_target{target.model, true, call.request_id, nullptr};
    const auto request = provider.adapter->chatRequest(provider.access, chat_target, body);
    auto sent = co_await sendTo(target, request, t0, deadline, cancel);
    if (!sent) co_return fail(sent.error());
    auto exchange = std::move(sent.value());
    const ScopedAbort abort_on_cancel(cancel, *exchange);

    const int status = exchange->status();
    record.status = status;
    if (status >= 200 && status < 300) {
      record.billed = true;
      co_return co_await translateStream(call, std::get<core::ChatRequest>(parsed), target, *exchange, writer,
                                         summary, record, &continuation);
    }
    auto error_body = co_await readAll(*exchange, kMaxErrorBody);
    auto error = provider.adapter->classifyError(status, exchange->headers(), error_body ? *error_body : std::string());
    if (continuation.mode == ContinuationMode::Prefill && status == 400) {
      // Newer models refuse prefills ("must end with a user message"): ask again with an
      // instruction; that refusal is never the client's answer.
      target.health->notePrefillRejected();
      spdlog::info("{} {}/{} rejects a prefill: continuing with an instruction", call.request_id, provider.name, target.model);
      fail(error);
      record.message = "rejected the prefill: " + record.message;
      prefill = false;
      continue;
    }
    // Even the caller's kind of error cannot reach the client now: its stream is open.
    co_return fail(error);
  }
}

}  // namespace katara::routing
