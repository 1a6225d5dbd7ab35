// Executor::translateStream: a stream from a target of another format, decoded into canonical
// events and encoded for the client as they arrive (no buffering of the answer). The commit
// rule is the pass-through relay's: events that carry nothing yet (the start, usage) are held,
// so a stream that fails before its first content fails over unseen; after the first content
// a failure ends the stream with an in-band error in the client's format.
#include <spdlog/spdlog.h>

#include "katara/routing/executor.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using core::ChatEvent;
using core::UpstreamErrorKind;

namespace {

bool carriesContent(const ChatEvent& e) {
  return e.kind == ChatEvent::Kind::TextDelta || e.kind == ChatEvent::Kind::ToolCallStart ||
         e.kind == ChatEvent::Kind::ToolCallDelta || e.kind == ChatEvent::Kind::Finish;
}

}  // namespace

asio::awaitable<Executor::Outcome> Executor::translateStream(const ChatCall& call, const core::ChatRequest& request,
                                                             const Target& target, http::Exchange& exchange,
                                                             http::ResponseWriter& writer, ExecutionSummary& summary,
                                                             AttemptRecord& record) {
  const auto t0 = std::chrono::steady_clock::now();
  // Silence before the first content is a dead target: fail over after first_token, not idle.
  exchange.setReadDeadline(record.started + target.timeouts.first_token,
                           "no first token within " + std::to_string(target.timeouts.first_token.count()) + " ms");
  auto decoder = target.provider->adapter->streamDecoder();
  auto encoder = call.dialect->streamEncoder(request);
  std::vector<ChatEvent> events, held;
  std::string out, why;
  bool committed = false;
  bool grace_set = false;  // the answer is complete: only its end may still come
  std::size_t content_events = 0;

  // Errors reach it by reference to a named local: GCC 12 destroys class temporaries inside a
  // co_await expression twice.
  auto failOrBreak = [&](const core::UpstreamError& err) -> asio::awaitable<Outcome> {
    if (committed) {
      ChatEvent e;
      e.kind = ChatEvent::Kind::Error;
      e.error = brokenStreamError(target, err);
      const std::string in_band = encoder->encode(e);
      co_return co_await breakStream(err, content_events, out, in_band, exchange, writer, summary, record);
    }
    record.kind = err.kind;
    record.message = err.message;
    co_return Outcome::Failed;
  };

  for (;;) {
    auto chunk = co_await exchange.read();
    if (!chunk && chunk.error().kind == UpstreamErrorKind::Timeout && decoder->answerComplete() && committed) {
      // Complete but the end marker never came: finish the client's stream now.
      events.clear();
      decoder->end(events, why);
      for (const auto& ev : events) out += encoder->encode(ev);
      if (!co_await writer.writeChunk(out)) co_return Outcome::Cancelled;
      record.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
      record.message = "no end marker after the finish";
      exchange.cancel();
      co_await writer.endStream();
      co_return Outcome::Answered;
    }
    if (!chunk) {
      if (chunk.error().kind == UpstreamErrorKind::Cancelled) {
        record.kind = chunk.error().kind;
        record.message = chunk.error().message;
        co_return Outcome::Cancelled;
      }
      co_return co_await failOrBreak(chunk.error());
    }
    const bool upstream_ended = chunk->empty();
    events.clear();
    const bool well_formed = upstream_ended ? decoder->end(events, why) : decoder->feed(*chunk, events, why);
    for (auto& ev : events) {
      if (ev.kind == ChatEvent::Kind::Error && !committed) {
        const core::UpstreamError in_band{inBandErrorKind(ev.error.type), "in-band error before any content: " + ev.error.message};
        co_return co_await failOrBreak(in_band);
      }
      if (!committed && !carriesContent(ev) && ev.kind != ChatEvent::Kind::Error) {
        held.push_back(std::move(ev));
        continue;
      }
      if (!committed) {
        auto headers = streamHeaders(call.request_id, call.dialect->format(), target, summary.tried(), "text/event-stream; charset=utf-8");
        if (!mayCommit(summary, record)) {
          record.kind = UpstreamErrorKind::Cancelled;
          record.message = "another target answered first";
          exchange.cancel();
          co_return Outcome::Failed;
        }
        summary.served_by = &target;
        summary.status = exchange.status();
        committed = true;
        if (!grace_set) exchange.setReadDeadline(std::chrono::steady_clock::time_point::max(), {});
        record.first_token = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - record.started);
        if (!co_await writer.beginStream(exchange.status(), std::move(headers))) co_return Outcome::Cancelled;
        for (const auto& h : held) out += encoder->encode(h);
        held.clear();
      }
      if (ev.kind == ChatEvent::Kind::Error) {
        summary.stream_broken = true;
        record.message = "in-band error from the upstream: " + ev.error.message;
      }
      content_events += carriesContent(ev);
      out += encoder->encode(ev);
    }
    if (well_formed && !grace_set && decoder->answerComplete()) {
      grace_set = true;
      exchange.setReadDeadline(std::chrono::steady_clock::now() + kGraceAfterFinish, "no end marker after the finish");
    }
    if (!well_formed) {
      const core::UpstreamError malformed{UpstreamErrorKind::BadResponse, why};
      co_return co_await failOrBreak(malformed);
    }
    if (!out.empty()) {
      if (!co_await writer.writeChunk(out)) co_return Outcome::Cancelled;
      out.clear();
    }
    if (encoder->complete()) {
      record.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
      co_await exchange.finish();
      co_await writer.endStream();
      co_return Outcome::Answered;
    }
    if (upstream_ended) {
      // The decoder accepted the end but nothing finished the answer: never a silent truncation.
      const core::UpstreamError cut{UpstreamErrorKind::BadResponse, "the stream ended without finishing the answer"};
      co_return co_await failOrBreak(cut);
    }
  }
}

}  // namespace katara::routing
