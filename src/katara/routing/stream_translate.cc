// Executor::translateStream: a stream decoded into canonical events and encoded for the client
// as they arrive (no buffering of the answer): from a target of another format, or carrying on
// a stream another target broke off (`resume`). The commit rule is the pass-through relay's:
// events that carry nothing yet (the start, usage) are held, so a stream that fails before its
// first content fails over unseen; after it, a failure hands the stream over again.
#include <spdlog/spdlog.h>

#include "katara/routing/continuation_seam.h"
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

// A continuation's events as the client's one stream needs them: no second start, the seam's
// repeat dropped, usage covering the whole answer (the part delivered before included).
class ResumedEvents {
 public:
  ResumedEvents(const Handover& handover, const ContinuationRequest& c)
      : handover_(handover), added_tokens_(c.added_tokens), seam_(handover.text, c.mode) {}

  // Appends what `e` becomes to `out` (possibly nothing).
  void map(ChatEvent e, std::vector<ChatEvent>& out) {
    switch (e.kind) {
      case ChatEvent::Kind::Start:
        return;
      case ChatEvent::Kind::TextDelta:
        e.text = seam_.feed(e.text);
        if (!e.text.empty()) out.push_back(std::move(e));
        return;
      case ChatEvent::Kind::Usage:
        // The prompt as the broken stream reported it, else as this target counted it less
        // what the continuation added; the output of both parts.
        e.usage.input_tokens = handover_.input_tokens > 0 ? handover_.input_tokens
                                                          : std::max<std::int64_t>(0, e.usage.input_tokens - added_tokens_);
        e.usage.output_tokens += handover_.output_tokens;
        break;
      default:
        flushInto(out);
        break;
    }
    out.push_back(std::move(e));
  }
  std::size_t dropped() const { return seam_.dropped(); }

 private:
  void flushInto(std::vector<ChatEvent>& out) {
    ChatEvent text;
    text.kind = ChatEvent::Kind::TextDelta;
    text.text = seam_.flush();
    if (!text.text.empty()) out.push_back(std::move(text));
  }

  const Handover& handover_;
  std::int64_t added_tokens_;
  ContinuationSeam seam_;
};

}  // namespace

asio::awaitable<Executor::Outcome> Executor::translateStream(const ChatCall& call, const core::ChatRequest& request,
                                                             const Target& target, http::Exchange& exchange,
                                                             http::ResponseWriter& writer, ExecutionSummary& summary,
                                                             AttemptRecord& record, const ContinuationRequest* resume) {
  // Silence before the first content is a dead target: fail over after first_token, not idle.
  exchange.setReadDeadline(record.started + target.timeouts.first_token,
                           "no first token within " + std::to_string(target.timeouts.first_token.count()) + " ms");
  auto decoder = target.provider->adapter->streamDecoder();
  std::unique_ptr<core::StreamEncoder> encoder;
  std::optional<ResumedEvents> resumed;
  if (resume) {
    encoder = resumedEncoder(call, summary.stream);
    resumed.emplace(*summary.stream.handover, *resume);
  } else {
    encoder = call.dialect->streamEncoder(request);
  }
  std::vector<ChatEvent> events, mapped, held;
  std::string out, why;
  bool committed = false;  // this attempt's content reached the client
  bool grace_set = false;  // the answer is complete: only its end may still come
  std::size_t content_events = 0;
  std::int64_t output_tokens = 0;  // this target's, as its usage reports them

  // Errors reach it by reference to a named local: GCC 12 destroys class temporaries inside a
  // co_await expression twice.
  auto failOrBreak = [&](const core::UpstreamError& err) -> asio::awaitable<Outcome> {
    if (committed) co_return co_await handOver(call, target, err, content_events, out, exchange, writer, summary, record);
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
      if (chunk.error().kind != UpstreamErrorKind::Timeout || !decoder->answerComplete() || !committed) {
        co_return co_await failOrBreak(chunk.error());
      }
      // Complete but the end marker never came: finish the client's stream now.
    }
    const bool upstream_ended = !chunk || chunk->empty();
    events.clear();
    const bool well_formed = upstream_ended ? decoder->end(events, why) : decoder->feed(*chunk, events, why);
    mapped.clear();
    for (auto& ev : events) {
      if (ev.kind == ChatEvent::Kind::Usage) {
        output_tokens = ev.usage.output_tokens;
        record.usage = ev.usage;  // this target's own, before a continuation's adjustment
      }
      if (resumed) resumed->map(std::move(ev), mapped);
      else mapped.push_back(std::move(ev));
    }
    for (auto& ev : mapped) {
      if (ev.kind == ChatEvent::Kind::Error) {
        // Mid-stream too (an overloaded provider): the next target carries the answer on.
        const core::UpstreamError in_band{inBandErrorKind(ev.error.type),
                                          std::string(committed ? "in-band error: " : "in-band error before any content: ") + ev.error.message};
        co_return co_await failOrBreak(in_band);
      }
      if (!committed && !carriesContent(ev)) {
        held.push_back(std::move(ev));
        continue;
      }
      if (!committed) {
        if (!resume) {
          auto headers = streamHeaders(call.request_id, call.dialect->format(), target, summary, "text/event-stream; charset=utf-8");
          if (!mayCommit(summary, record)) {
            record.kind = UpstreamErrorKind::Cancelled;
            record.message = "another target answered first";
            exchange.cancel();
            co_return Outcome::Failed;
          }
          summary.status = exchange.status();
          if (!co_await writer.beginStream(exchange.status(), std::move(headers))) co_return Outcome::Cancelled;
        }
        summary.served_by = &target;
        committed = true;
        if (!grace_set) exchange.setReadDeadline(std::chrono::steady_clock::time_point::max(), {});
        record.first_token = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - record.started);
        for (const auto& h : held) out += encoder->encode(h);
        held.clear();
      }
      if (carriesContent(ev)) {
        ++content_events;
        record.gaps.note(std::chrono::steady_clock::now());
      }
      record.output_seen = static_cast<std::int64_t>(content_events);
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
      if (!co_await deliver(summary.stream, writer, out)) co_return Outcome::Cancelled;
      out.clear();
    }
    if (encoder->complete()) {
      record.finish(std::chrono::steady_clock::now());
      record.tokens_per_second = tokensPerSecond(output_tokens, record.started, record.first_token);
      if (!chunk) {
        record.message = "no end marker after the finish";
        exchange.cancel();
      } else {
        co_await exchange.finish();
      }
      if (resumed && resumed->dropped() > 0) record.message = std::to_string(resumed->dropped()) + " repeated bytes dropped at the seam";
      if (const auto comment = costComment(summary, call.shape); !comment.empty()) co_await deliver(summary.stream, writer, comment);
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
