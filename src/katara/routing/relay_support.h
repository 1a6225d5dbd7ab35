#pragma once
// Internal to routing/: small pieces shared by the full-body and the stream relay.
#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>

#include "katara/core/result.h"
#include "katara/http/client.h"
#include "katara/http/sse.h"
#include "katara/routing/executor.h"

namespace katara::routing {

// An attempt's per-phase timeouts, its total bounded by the request's deadline.
http::ExchangeTimeouts attemptTimeouts(const Target& target, std::chrono::steady_clock::time_point started,
                                       std::chrono::steady_clock::time_point deadline);

// While an attempt's exchange is open, the client going away cancels it.
class ScopedAbort {
 public:
  ScopedAbort(http::Cancellation& cancel, http::Exchange& exchange) : cancel_(cancel) {
    cancel_.abort = [ex = &exchange] { ex->cancel(); };
  }
  ~ScopedAbort() { cancel_.abort = nullptr; }
  ScopedAbort(const ScopedAbort&) = delete;
  ScopedAbort& operator=(const ScopedAbort&) = delete;

 private:
  http::Cancellation& cancel_;
};

// The most of an upstream error body that is read (for its classification and message).
constexpr std::size_t kMaxErrorBody = 1u << 20;

// Reads the whole body, failing with BadResponse past `limit` bytes.
boost::asio::awaitable<core::Result<std::string>> readAll(http::Exchange& exchange, std::size_t limit);

// The headers of an answer a target gave: its content type plus x-request-id (and Anthropic's
// request-id for its clients) and x-katara-*.
http::Headers answerHeaders(const std::string& request_id, core::ApiFormat client, const Target& target,
                            const ExecutionSummary& summary, std::string_view content_type);

// The headers a committed stream goes out with: answerHeaders plus no caching or proxy buffering.
http::Headers streamHeaders(const std::string& request_id, core::ApiFormat client, const Target& target,
                            const ExecutionSummary& summary, std::string_view content_type);

// The client's in-band error when a committed stream from `target` fails with `err`.
core::ApiError brokenStreamError(const Target& target, const core::UpstreamError& err);

// Writes `bytes` to the client's stream, keeping them in `stream.sent` while it is continuable.
boost::asio::awaitable<bool> deliver(ClientStream& stream, http::ResponseWriter& writer, const std::string& bytes);

// The client's stream encoder, positioned after what the client was sent.
std::unique_ptr<core::StreamEncoder> resumedEncoder(const ChatCall& call, const ClientStream& stream);

// One pass-through event's JSON, checked: well-formed, and the usage it reports merged into
// `usage` (OpenAI's usage chunk; Anthropic's message_start and message_delta).
struct EventCheck {
  bool well_formed = false;
  bool had_usage = false;
};
EventCheck checkEvent(std::string_view data, core::Usage& usage);

// The usage a complete answer reports, in either format; nullopt when it has none.
std::optional<core::Usage> usageInAnswer(std::string_view body);

// The SSE comment that ends a stream with its cost (SDKs skip comments), or "" when no billed
// attempt has a price.
std::string costComment(const ExecutionSummary& summary, const RequestShape& shape);
// The x-katara-cost-usd header (and x-katara-cost-estimated) of a complete answer.
void addCostHeaders(http::Headers& headers, const ExecutionSummary& summary, const RequestShape& shape);

// Output tokens per second after the first token, or nullopt when too short to say.
std::optional<double> tokensPerSecond(std::int64_t output_tokens, std::chrono::steady_clock::time_point started,
                                      std::optional<std::chrono::milliseconds> first_token);

// How a same-format SSE stream is framed, for the pass-through relay.
struct SseFraming {
  bool (*is_end)(const http::SseEvent&);       // the format's end marker
  bool (*is_error)(const http::SseEvent&);     // an in-band error, which ends the stream too
  // Events that say nothing yet (Anthropic's message_start, ping, content_block_start): held
  // back, so that a stream that fails after them can still fail over unseen.
  bool (*is_preamble)(const http::SseEvent&);
  // OpenAI-compatible servers may end at EOF without [DONE]; Anthropic's end is message_stop.
  bool eof_ends_cleanly;
  // The answer's finish (OpenAI: a non-null finish_reason). After it only the usage chunk and
  // the end marker may come: a server that sends neither is finished promptly, not waited for.
  bool (*is_finish)(const http::SseEvent&);
};

// How long a stream may stay silent after its finish before it is ended for the client.
constexpr std::chrono::milliseconds kGraceAfterFinish{1000};
const SseFraming& sseFramingFor(core::ApiFormat format);

// The failure kind of an in-band error before anything reached the client: what the provider
// said (overloaded, rate limited) or a server error.
core::UpstreamErrorKind inBandErrorKind(std::string_view error_text);

}  // namespace katara::routing
