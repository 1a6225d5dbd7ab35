// Executor::relayStream: passes an upstream SSE stream through event by event. Nothing reaches
// the client before the first complete, well-formed event, so until then any failure is still
// a silent failover. After that, a failure hands the stream over to the next target, which
// carries it on (stream_handover.cc); never a truncated answer that looks complete.
#include <spdlog/spdlog.h>

#include "katara/http/sse.h"
#include "katara/routing/executor.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using core::UpstreamErrorKind;

namespace {
constexpr int kMalformedEventsSkipped = 1;
const std::string kNoEndAfterFinish = "no end marker after the finish";
}  // namespace


asio::awaitable<Executor::Outcome> Executor::breakStream(const core::UpstreamError& err, std::size_t events,
                                                         std::string& out, const std::string& in_band,
                                                         http::Exchange& exchange, http::ResponseWriter& writer,
                                                         ExecutionSummary& summary, AttemptRecord& record) {
  record.kind = err.kind;
  record.message = err.message + " (after " + std::to_string(events) + " events)";
  summary.stream_broken = true;
  out += in_band;
  co_await writer.writeChunk(out);
  co_await writer.endStream();
  exchange.cancel();
  co_return Outcome::Answered;
}

asio::awaitable<Executor::Outcome> Executor::relayStream(const ChatCall& call, const Target& target,
                                                         http::Exchange& exchange, http::ResponseWriter& writer,
                                                         ExecutionSummary& summary, AttemptRecord& record) {
  auto content_type = exchange.header("content-type");
  if (content_type.rfind("text/event-stream", 0) != 0) {
    record.kind = UpstreamErrorKind::BadResponse;
    record.message = "asked for a stream, got content-type \"" + std::string(content_type) + "\"";
    co_return Outcome::Failed;
  }

  // Silence before the first content is a dead target: fail over after first_token, not idle.
  exchange.setReadDeadline(record.started + target.timeouts.first_token,
                           "no first token within " + std::to_string(target.timeouts.first_token.count()) + " ms");
  const SseFraming& framing = sseFramingFor(call.dialect->format());
  http::SseSplitter splitter;
  std::string out;
  bool committed = false, saw_end = false, content_seen = false;
  std::size_t events = 0;
  int malformed_skipped = 0;
  core::Usage usage;  // as the stream's events report it
  bool finished = false;  // the answer's finish was relayed: only usage and the end may follow

  // Before commit a failure is a silent failover; after it, a handover.
  // Errors reach it by reference to a named local: GCC 12 destroys class temporaries inside a
  // co_await expression twice.
  auto failOrBreak = [&](const core::UpstreamError& err) -> asio::awaitable<Outcome> {
    if (committed) co_return co_await handOver(call, target, err, events, out, exchange, writer, summary, record);
    record.kind = err.kind;
    record.message = err.message;
    co_return Outcome::Failed;
  };

  for (;;) {
    auto chunk = co_await exchange.read();
    if (!chunk) {
      if (chunk.error().kind == UpstreamErrorKind::Cancelled) {
        record.kind = chunk.error().kind;
        record.message = chunk.error().message;
        co_return Outcome::Cancelled;
      }
      co_return co_await failOrBreak(chunk.error());
    }
    const bool upstream_ended = chunk->empty();
    if (!upstream_ended) splitter.feed(*chunk);
    while (auto ev = splitter.next()) {
      if (framing.is_end(*ev)) {
        saw_end = true;
        out.append(ev->raw);
        break;
      }
      const auto check = ev->data.empty() ? EventCheck{true, false} : checkEvent(ev->data, usage);
      if (check.had_usage) record.usage = usage;
      if (!check.well_formed) {
        // After commit one malformed event in an otherwise sound stream is dropped (the
        // alternative ends the answer); before it, failing over loses nothing; a second one
        // means the stream is broken.
        if (committed && ++malformed_skipped <= kMalformedEventsSkipped) {
          record.message = std::to_string(malformed_skipped) + " malformed event skipped: " + ev->data.substr(0, 100);
          spdlog::warn("{} {}: skipped a malformed stream event", call.request_id, target.provider->name);
          continue;
        }
        const core::UpstreamError malformed{UpstreamErrorKind::BadResponse, "malformed event in the stream"};
        co_return co_await failOrBreak(malformed);
      }
      if (framing.is_error(*ev)) {
        // Mid-stream too (Anthropic's overloaded_error): the next target carries the answer on.
        const core::UpstreamError in_band{inBandErrorKind(ev->data),
                                          std::string(committed ? "in-band error: " : "in-band error before any content: ") + ev->data.substr(0, 300)};
        co_return co_await failOrBreak(in_band);
      }
      if (!ev->data.empty()) {
        ++events;
        record.gaps.note(std::chrono::steady_clock::now());
      }
      record.output_seen = static_cast<std::int64_t>(events);
      content_seen |= !ev->data.empty() && !framing.is_preamble(*ev);
      if (!finished && framing.is_finish(*ev)) {
        finished = true;
        exchange.setReadDeadline(std::chrono::steady_clock::now() + kGraceAfterFinish, kNoEndAfterFinish);
      }
      out.append(ev->raw);
    }
    if (splitter.overflowed()) {
      const core::UpstreamError oversized{UpstreamErrorKind::BadResponse, "an event exceeded the size limit"};
      co_return co_await failOrBreak(oversized);
    }
    if (upstream_ended && !saw_end) {
      if (!content_seen) {
        record.kind = UpstreamErrorKind::BadResponse;
        record.message = "the stream ended before its first event";
        co_return Outcome::Failed;
      }
      if (!framing.eof_ends_cleanly) {
        const core::UpstreamError cut{UpstreamErrorKind::BadResponse, "the stream ended before its end event"};
        co_return co_await failOrBreak(cut);
      }
      out += call.dialect->streamEnd();  // finished cleanly for the client
      saw_end = true;
    }
    if (!out.empty() && (content_seen || saw_end)) {
      if (!committed) {
        auto headers = streamHeaders(call.request_id, call.dialect->format(), target, summary, content_type);
        if (!mayCommit(summary, record)) {
          record.kind = UpstreamErrorKind::Cancelled;
          record.message = "another target answered first";
          exchange.cancel();
          co_return Outcome::Failed;
        }
        summary.served_by = &target;
        summary.status = exchange.status();
        committed = true;
        if (!finished) exchange.setReadDeadline(std::chrono::steady_clock::time_point::max(), {});
        record.first_token = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - record.started);
        if (!co_await writer.beginStream(exchange.status(), std::move(headers))) co_return Outcome::Cancelled;
      }
      if (!co_await deliver(summary.stream, writer, out)) co_return Outcome::Cancelled;
      out.clear();
    }
    if (saw_end) {
      record.finish(std::chrono::steady_clock::now());
      // Without a reported count, one token per event: how OpenAI-compatible servers stream.
      const auto tokens = record.usage ? record.usage->output_tokens : static_cast<std::int64_t>(events);
      record.tokens_per_second = tokensPerSecond(tokens, record.started, record.first_token);
      co_await exchange.finish();
      if (const auto comment = costComment(summary, call.shape); !comment.empty()) co_await deliver(summary.stream, writer, comment);
      co_await writer.endStream();
      co_return Outcome::Answered;
    }
  }
}

}  // namespace katara::routing
