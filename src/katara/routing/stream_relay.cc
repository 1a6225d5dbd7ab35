// Executor::relayStream: passes an upstream SSE stream through event by event. Nothing reaches
// the client before the first complete, well-formed event, so until then any failure is still
// a silent failover. After that, a failure ends the stream with an in-band error and the end
// marker: never a truncated answer that looks complete.
#include <spdlog/spdlog.h>

#include "katara/http/sse.h"
#include "katara/routing/executor.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using core::UpstreamErrorKind;

asio::awaitable<Executor::Outcome> Executor::relayStream(const ChatCall& call, const Target& target,
                                                         http::Exchange& exchange, http::ResponseWriter& writer,
                                                         ExecutionSummary& summary, AttemptRecord& record) {
  const auto t0 = std::chrono::steady_clock::now();
  auto content_type = exchange.header("content-type");
  if (content_type.rfind("text/event-stream", 0) != 0) {
    record.kind = UpstreamErrorKind::BadResponse;
    record.message = "asked for a stream, got content-type \"" + std::string(content_type) + "\"";
    co_return Outcome::Failed;
  }

  http::SseSplitter splitter;
  std::string out;
  bool committed = false, saw_done = false;
  std::size_t events = 0;

  // After commit, a failure can only be said in-band.
  // Errors reach these two by reference to a named local: GCC 12 destroys class temporaries
  // inside a co_await expression twice.
  auto breakStream = [&](const core::UpstreamError& err) -> asio::awaitable<Outcome> {
    record.kind = err.kind;
    record.message = err.message + " (after " + std::to_string(events) + " events)";
    summary.stream_broken = true;
    core::ApiError e{502, "The upstream stream from " + target.provider->name + " failed: " + err.message,
                     "server_error", std::nullopt, "upstream_stream_error"};
    out += call.dialect->streamError(e);
    out += call.dialect->streamEnd();
    co_await writer.writeChunk(out);
    co_await writer.endStream();
    exchange.cancel();
    co_return Outcome::Answered;
  };

  // Before commit a failure is a silent failover; after it, an in-band end.
  auto failOrBreak = [&](const core::UpstreamError& err) -> asio::awaitable<Outcome> {
    if (committed) co_return co_await breakStream(err);
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
      if (ev->isDone()) {
        saw_done = true;
        out.append(ev->raw);
        break;
      }
      if (!ev->data.empty() && !isWellFormedJson(ev->data)) {
        const core::UpstreamError malformed{UpstreamErrorKind::BadResponse, "malformed event in the stream"};
        co_return co_await failOrBreak(malformed);
      }
      events += !ev->data.empty();
      out.append(ev->raw);
    }
    if (splitter.overflowed()) {
      const core::UpstreamError oversized{UpstreamErrorKind::BadResponse, "an event exceeded the size limit"};
      co_return co_await failOrBreak(oversized);
    }
    if (upstream_ended && !saw_done) {
      if (!committed && events == 0) {
        record.kind = UpstreamErrorKind::BadResponse;
        record.message = "the stream ended before its first event";
        co_return Outcome::Failed;
      }
      out += call.dialect->streamEnd();  // finished cleanly for the client
      saw_done = true;
    }
    if (!out.empty()) {
      if (!committed) {
        auto headers = answerHeaders(call, target, summary.tried(), content_type);
        headers.push_back({"cache-control", "no-cache"});
        headers.push_back({"x-accel-buffering", "no"});
        summary.served_by = &target;
        summary.status = exchange.status();
        committed = true;
        if (!co_await writer.beginStream(exchange.status(), std::move(headers))) co_return Outcome::Cancelled;
      }
      if (!co_await writer.writeChunk(out)) co_return Outcome::Cancelled;
      out.clear();
    }
    if (saw_done) {
      record.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
      co_await exchange.finish();
      co_await writer.endStream();
      co_return Outcome::Answered;
    }
  }
}

}  // namespace katara::routing
