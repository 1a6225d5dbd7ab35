// Executor::handOver: what happens when a stream the client has begun receiving fails. The
// client keeps every sound event; then, from what it was sent, the stream is either ended (the
// answer was already complete), ended with an in-band error (a tool call was cut: one is never
// spliced), or handed over for the next attempt to carry on (see stream_continue.cc).
#include <spdlog/spdlog.h>

#include "katara/routing/executor.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;

asio::awaitable<Executor::Outcome> Executor::handOver(const ChatCall& call, const Target& target,
                                                      const core::UpstreamError& err, std::size_t events,
                                                      std::string& out, http::Exchange& exchange,
                                                      http::ResponseWriter& writer, ExecutionSummary& summary,
                                                      AttemptRecord& record) {
  exchange.cancel();
  auto& stream = summary.stream;
  if (!out.empty()) {
    if (!co_await deliver(stream, writer, out)) co_return Outcome::Cancelled;
    out.clear();
  }
  if (!stream.continuable) {
    const std::string in_band = call.dialect->streamError(brokenStreamError(target, err)) + std::string(call.dialect->streamEnd());
    co_return co_await breakStream(err, events, out, in_band, exchange, writer, summary, record);
  }
  auto handover = readHandover(stream.sent, call.dialect->format());
  record.kind = err.kind;
  record.message = err.message + " (after " + std::to_string(events) + " events)";
  record.finish(std::chrono::steady_clock::now());
  if (handover.finished) {
    // Only the end was missing: the client gets it, with the usage as far as it is known.
    auto encoder = resumedEncoder(call, stream);
    core::ChatEvent usage;
    usage.kind = core::ChatEvent::Kind::Usage;
    usage.usage.input_tokens = handover.input_tokens;
    usage.usage.output_tokens = handover.output_tokens;
    core::ChatEvent finish;
    finish.kind = core::ChatEvent::Kind::Finish;
    std::string end = encoder->encode(usage) + encoder->encode(finish);
    record.kind = core::UpstreamErrorKind::Ok;  // the answer is whole: nothing counts against the target
    record.message += "; the answer was complete: its end written by the gateway";
    if (!co_await deliver(stream, writer, end)) co_return Outcome::Cancelled;
    co_await writer.endStream();
    co_return Outcome::Answered;
  }
  if (handover.tool_call_seen) {
    const core::UpstreamError cut{err.kind, err.message + "; a tool call was under way, and one is never spliced"};
    const std::string in_band = call.dialect->streamError(brokenStreamError(target, cut)) + std::string(call.dialect->streamEnd());
    co_return co_await breakStream(cut, events, out, in_band, exchange, writer, summary, record);
  }
  spdlog::info("{} {} broke off after {} bytes of text ({}): handing the stream over", call.request_id,
               target.provider->name, handover.text.size(), err.message);
  stream.broken = target.provider->name + "/" + target.model + ": " + record.message;
  stream.handover = std::move(handover);
  stream.broken_at = summary.attempts.size();
  ++stream.handovers;
  record.message += "; handed over";
  co_return Outcome::Failed;
}

}  // namespace katara::routing
