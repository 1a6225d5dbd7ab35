#pragma once
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "katara/core/client_dialect.h"
#include "katara/core/embedding.h"
#include "katara/core/error_kind.h"
#include "katara/core/request_trace.h"
#include "katara/http/client.h"
#include "katara/http/response_writer.h"
#include "katara/routing/handover.h"
#include "katara/routing/route_plan.h"
#include "katara/routing/route_table.h"

namespace katara::routing {

// The client's request in canonical form, or why it cannot leave its own format.
using CanonicalRequest = std::variant<core::ChatRequest, core::ApiError>;

// One chat request, already validated by its front door.
struct ChatCall {
  const Route* route = nullptr;
  const core::ClientDialect* dialect = nullptr;  // the client's format
  // For a target of the client's format: the client's body aimed at a provider model id
  // (pass-through: only the model changes).
  std::function<std::string(std::string_view model)> body_for;
  // For a target of another format: the request parsed on first use (then kept).
  std::function<const CanonicalRequest&()> canonical;
  // Client headers a same-format target may need (anthropic-version, anthropic-beta).
  const http::Headers* forwarded = nullptr;
  bool stream = false;
  RequestShape shape;  // what the route's strategy weighs (shape.stream = stream)
  std::string request_id;
  // Legacy /v1/completions: passed through to targets that have it (OpenAI-compatible ones);
  // `canonical` then says why other targets cannot take it.
  bool legacy_completion = false;
};

// One embeddings request, parsed by its front door (OpenAI's /v1/embeddings).
struct EmbedCall {
  const Route* route = nullptr;
  const core::ClientDialect* dialect = nullptr;  // for errors
  core::EmbeddingRequest request;                // `model` is set per target
  RequestShape shape;
  // The client's answer from the canonical one (float or base64 vectors), given the target's model.
  std::function<std::string(const core::EmbeddingResponse&, std::string_view model)> encode_response;
  std::string request_id;
};

struct AttemptRecord {
  std::string provider;
  std::string model;
  core::UpstreamErrorKind kind = core::UpstreamErrorKind::Ok;
  std::string message;
  std::chrono::milliseconds elapsed{0};
  bool translated = false;  // the target spoke another format than the client
  std::chrono::steady_clock::time_point started = {};
  std::optional<std::chrono::milliseconds> first_token = {};  // streams: until the client's first content
  std::chrono::milliseconds retry_after{0};                    // the wait a 429 asked for
  bool continued = false;  // it carried on a stream another attempt broke off
  std::optional<double> tokens_per_second = {};  // streams: output after the first token
  const Target* target = nullptr;  // whose price its tokens are billed at
  bool billed = false;             // the provider answered 2xx: its tokens cost money
  std::optional<core::Usage> usage = {};  // as the provider reported it
  std::int64_t output_seen = 0;    // content events relayed, for an estimate without usage
  int status = 0;                  // the provider's HTTP status; 0 when none came
  bool hedge = false;              // started beside a slow first attempt
  core::EventGaps gaps = {};       // streams: the time between the events relayed
  std::chrono::steady_clock::time_point ended = {};  // set by finish()

  void finish(std::chrono::steady_clock::time_point now) {
    ended = now;
    elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - started);
  }
};

// A stream the client has begun to receive. Everything it was sent is kept, so that when the
// target serving it fails, another can carry the answer on from exactly there.
struct ClientStream {
  std::string sent;          // every byte the client got, while continuable
  bool continuable = true;   // false for legacy completions, or once `sent` outgrew its cap (a failure then ends the stream)
  // Set when the serving target broke off: the next attempt continues the stream from it.
  std::optional<Handover> handover = {};
  std::string broken;        // which target broke off and why, for the error if none continues
  std::size_t broken_at = 0; // the attempts after that one tried to carry the stream on
  int handovers = 0;         // how many times the stream was handed over
  static constexpr std::size_t kMaxKept = 8u << 20;
};

// The attempts of one request, in the order they started. A deque: racing attempts keep
// references to their own records while others are added.
using AttemptLog = std::deque<AttemptRecord>;

// What happened to one request, for logs and metrics.
struct ExecutionSummary {
  int status = 0;                 // what the client got; 499 when it went away first
  const Target* served_by = nullptr;
  AttemptLog attempts;
  // While two attempts race (hedging): asked before an attempt writes to the client; only the
  // first asker may. Empty: every attempt may.
  std::function<bool(const AttemptRecord&)> claim;
  bool hedged = false;            // a second target was started alongside the first
  bool stream_broken = false;     // a committed stream ended with an in-band error
  ClientStream stream;            // chat streams, once the client has their first bytes
  std::string route_reason;       // why the targets were tried in this order (x-katara-route-reason)
  std::string error;              // the gateway's own error, when it wrote one (nothing answered, a stream broke)
  // A context-length error is not the client's answer while a larger-context route is left.
  bool context_fallback_pending = false;
  std::size_t tried() const;      // attempts that reached out to a provider
};

// Runs a request's attempt loop over its route: tries targets in order within the route's
// total deadline, fails over on anything that is not the caller's fault, and writes exactly one
// response (complete, streamed, or the gateway's error) to the writer. One per worker.
struct HealthGate;

class Executor {
 public:
  explicit Executor(http::UpstreamPool& pool) : pool_(pool) {}

  boost::asio::awaitable<ExecutionSummary> chat(const ChatCall& call, http::ResponseWriter& writer);
  boost::asio::awaitable<ExecutionSummary> embed(const EmbedCall& call, http::ResponseWriter& writer);

 private:
  enum class Outcome { Answered, Failed, Cancelled };
  using AttemptFn = std::function<boost::asio::awaitable<Outcome>(
      const Target&, std::chrono::steady_clock::time_point deadline, http::Cancellation&, ExecutionSummary&)>;
  // The attempt loop shared by every operation: targets in order within the route's deadline,
  // disabled ones recorded and skipped, the gateway's error when none answered.
  // `shape.stream`: the answer is streamed (hedging then waits for a first token, not a whole
  // answer). The targets are tried in the order of the route's plan for `shape`.
  boost::asio::awaitable<ExecutionSummary> run(const Route& route, const core::ClientDialect& dialect,
                                               const std::string& request_id, const RequestShape& shape,
                                               http::ResponseWriter& writer, const AttemptFn& attempt);
  // The first target, and after the route's hedge delay without a first token also the second;
  // the first to produce one answers and the other is cancelled. `hedged`: the second started.
  boost::asio::awaitable<Outcome> race(const Route& route, const Target& first, const HealthGate& first_gate,
                                       const Target& second, bool stream,
                                       std::chrono::steady_clock::time_point deadline, http::Cancellation& cancel,
                                       ExecutionSummary& summary, const AttemptFn& attempt_target);
  boost::asio::awaitable<Outcome> embedAttempt(const EmbedCall& call, const Target& target,
                                               std::chrono::steady_clock::time_point deadline,
                                               http::Cancellation& cancel, ExecutionSummary& summary,
                                               http::ResponseWriter& writer);
  boost::asio::awaitable<Outcome> attempt(const ChatCall& call, const Target& target,
                                          std::chrono::steady_clock::time_point deadline,
                                          http::Cancellation& cancel, http::ResponseWriter& writer,
                                          ExecutionSummary& summary);
  boost::asio::awaitable<Outcome> relayStream(const ChatCall& call, const Target& target,
                                              http::Exchange& exchange, http::ResponseWriter& writer,
                                              ExecutionSummary& summary, AttemptRecord& record);
  // Ends a committed stream that failed: the attempt records why (after `events` events), the
  // client gets `out` and then `in_band` (the error and end marker in its format), and the
  // upstream exchange is dropped. The answer counts as given: the client saw its start.
  static boost::asio::awaitable<Outcome> breakStream(const core::UpstreamError& err, std::size_t events,
                                                     std::string& out, const std::string& in_band,
                                                     http::Exchange& exchange, http::ResponseWriter& writer,
                                                     ExecutionSummary& summary, AttemptRecord& record);
  // A committed stream failed with `err`: the sound events in `out` go to the client, then
  // either the stream is handed over (Failed: the next attempt continues it), or it ends — at
  // once when the answer was already complete, with an in-band error when a tool call was cut.
  static boost::asio::awaitable<Outcome> handOver(const ChatCall& call, const Target& target,
                                                  const core::UpstreamError& err, std::size_t events, std::string& out,
                                                  http::Exchange& exchange, http::ResponseWriter& writer,
                                                  ExecutionSummary& summary, AttemptRecord& record);
  // An attempt that carries on the handed-over stream on `target` (prefill, or instruction).
  boost::asio::awaitable<Outcome> continueStream(const ChatCall& call, const Target& target,
                                                 std::chrono::steady_clock::time_point deadline,
                                                 http::Cancellation& cancel, http::ResponseWriter& writer,
                                                 ExecutionSummary& summary);
  // Decodes the upstream's stream into canonical events and encodes them for the client.
  // `resume`: the stream carries on a handed-over one (no second start, the seam trimmed).
  boost::asio::awaitable<Outcome> translateStream(const ChatCall& call, const core::ChatRequest& request,
                                                  const Target& target, http::Exchange& exchange,
                                                  http::ResponseWriter& writer, ExecutionSummary& summary,
                                                  AttemptRecord& record, const ContinuationRequest* resume = nullptr);

  // Sends an attempt's request to `target` within its timeouts (the total bounded by the
  // request's deadline); the answer's rate-limit headers go to the target's health.
  boost::asio::awaitable<core::Result<std::unique_ptr<http::Exchange>>> sendTo(
      const Target& target, const http::OutgoingRequest& request, std::chrono::steady_clock::time_point started,
      std::chrono::steady_clock::time_point deadline, http::Cancellation& cancel);

  http::UpstreamPool& pool_;
};

// The client-facing error when no target answered: 400 when every target was of another
// format that cannot carry the request, 503 when nothing could be tried or every provider
// refused for load, 504 when every attempt timed out, 502 otherwise; the message lists what
// each attempt got.
core::ApiError summarizeFailure(std::string_view alias, const AttemptLog& attempts);

// True when `record`'s attempt may write the answer to the client (no race, or it won it).
inline bool mayCommit(ExecutionSummary& summary, const AttemptRecord& record) {
  return !summary.claim || summary.claim(record);
}

}  // namespace katara::routing
