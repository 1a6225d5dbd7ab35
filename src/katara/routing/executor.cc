#include "katara/routing/executor.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <random>

#include "katara/routing/health_gate.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using core::UpstreamErrorKind;

namespace {

constexpr std::chrono::milliseconds kLongestWaitBeforeFallback{2000};
constexpr int kMaxContextHops = 3;
constexpr std::size_t kMaxResponseBody = 64u << 20;

// Failures a second try on the same target may cure. Not silence (a timeout is never retried
// on the target that kept quiet), not our key or model, not TLS.
bool worthRetrying(UpstreamErrorKind kind) {
  return kind == UpstreamErrorKind::Connect || kind == UpstreamErrorKind::Server ||
         kind == UpstreamErrorKind::BadResponse || kind == UpstreamErrorKind::RateLimited ||
         kind == UpstreamErrorKind::Overloaded;
}

// The provider's requested wait, else the route's backoff doubled per try with ±50 % jitter.
std::chrono::milliseconds retryWait(const AttemptRecord& last, const config::RetryConfig& retry, int tries) {
  if (last.retry_after.count() > 0) return last.retry_after;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const double base = static_cast<double>(retry.backoff.count()) * static_cast<double>(1 << std::min(tries, 10));
  return std::chrono::milliseconds(static_cast<std::int64_t>(base * std::uniform_real_distribution<double>(0.5, 1.5)(rng)));
}

// The first enabled target of the plan after `index`, or nullptr.
const Target* nextEnabled(const Plan& plan, std::size_t index) {
  for (std::size_t j = index + 1; j < plan.targets.size(); ++j) {
    if (plan.targets[j]->provider->enabled) return plan.targets[j];
  }
  return nullptr;
}

// A target's requests in flight, across workers: counted for as long as an attempt runs.
struct InFlight {
  explicit InFlight(const Target& t) : health(*t.health) { health.started(); }
  ~InFlight() { health.ended(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
  health::TargetHealth& health;
};

// Waits, unless the client goes away first: false then.
asio::awaitable<bool> pause(std::chrono::milliseconds wait, http::Cancellation& cancel) {
  if (cancel.cancelled) co_return false;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(wait);
  cancel.abort = [&timer] { timer.cancel(); };
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  cancel.abort = nullptr;
  co_return !cancel.cancelled;
}

}  // namespace

std::size_t ExecutionSummary::tried() const {
  std::size_t n = 0;
  for (const auto& a : attempts) n += !core::notSent(a.kind);
  return n;
}

asio::awaitable<ExecutionSummary> Executor::chat(const ChatCall& call, http::ResponseWriter& writer) {
  // A named local: GCC 12 destroys class temporaries inside a co_await expression twice.
  const AttemptFn attempt_target = [&](const Target& target, Clock::time_point deadline, http::Cancellation& cancel,
                                       ExecutionSummary& summary) {
    return attempt(call, target, deadline, cancel, writer, summary);
  };
  auto summary = co_await run(*call.route, *call.dialect, call.request_id, call.shape, writer, attempt_target);
  auto& stats = *call.route->stats;
  if (summary.stream.handovers > 0) {
    stats.handovers += summary.stream.handovers;
    if (!summary.stream_broken && summary.status != 499) ++stats.streams_continued;
  }
  if (summary.stream_broken) ++stats.streams_broken;
  if (summary.served_by && summary.tried() > 1) ++stats.failovers;
  co_return summary;
}

asio::awaitable<ExecutionSummary> Executor::embed(const EmbedCall& call, http::ResponseWriter& writer) {
  const AttemptFn attempt_target = [&](const Target& target, Clock::time_point deadline, http::Cancellation& cancel,
                                       ExecutionSummary& summary) {
    return embedAttempt(call, target, deadline, cancel, summary, writer);
  };
  co_return co_await run(*call.route, *call.dialect, call.request_id, call.shape, writer, attempt_target);
}

asio::awaitable<ExecutionSummary> Executor::run(const Route& route, const core::ClientDialect& dialect,
                                                const std::string& request_id, const RequestShape& shape,
                                                http::ResponseWriter& writer, const AttemptFn& attempt_target) {
  ExecutionSummary summary;
  const auto deadline = Clock::now() + route.total;
  http::Cancellation cancel;
  writer.onClientGone([&cancel] { cancel.cancel(); });
  struct ClearHook {
    http::ResponseWriter& w;
    ~ClearHook() { w.onClientGone({}); }
  } clear_hook{writer};
  std::optional<Clock::time_point> reopens_at;  // the soonest circuit trial, for Retry-After

  ++route.stats->requests;
  int attempts_made = 0;
  bool stop = false;  // the deadline or the attempt budget is spent: no target is tried any more
  // A prompt too long for one route's targets moves on to its larger-context fallback route
  // (at most kMaxContextHops times, so that fallbacks naming each other end).
  const Route* current = &route;
  int context_hops = 0;
  summary.context_fallback_pending = current->context_fallback != nullptr;
  // The route's targets in the order its strategy gives them for this request now.
  auto plan = planFor(route, shape, Clock::now());
  summary.route_reason = plan.reason;
  for (std::size_t index = 0; !stop && index < plan.targets.size(); ++index) {
    const auto& target = *plan.targets[index];
    if (!target.provider->enabled) {
      summary.attempts.push_back({target.provider->name, target.model, UpstreamErrorKind::Disabled,
                                  target.provider->disabled_reason, {}});
      continue;
    }
    for (int tries = 0;; ++tries) {
      if (Clock::now() >= deadline) {
        summary.attempts.push_back({target.provider->name, target.model, UpstreamErrorKind::Timeout,
                                    "not tried: the route's total deadline of " +
                                        std::to_string(route.total.count()) + " ms had passed",
                                    {}});
        stop = true;
        break;
      }
      if (attempts_made >= current->retry.max_attempts) {
        stop = true;
        break;
      }
      // Circuits: an open one is skipped, not hammered; its trial goes through alone.
      const auto admitted_at = Clock::now();
      const auto gate = admit(target, admitted_at);
      if (!gate.allowed()) {
        summary.attempts.push_back({target.provider->name, target.model, UpstreamErrorKind::CircuitOpen,
                                    refusalReason(target, gate, admitted_at), {}});
        if (!reopens_at || gate.retryAt() < *reopens_at) reopens_at = gate.retryAt();
        break;
      }
      // Hedging: a slow first target gets a companion on the next one (once per request; a
      // stream being carried on has one writer).
      if (const Target* next = tries == 0 && current == &route && route.hedging && !summary.hedged && !summary.stream.handover
                                   ? nextEnabled(plan, index) : nullptr) {
        ++attempts_made;
        const auto raced = co_await race(route, target, gate, *next, shape.stream, deadline, cancel, summary, attempt_target);
        if (raced == Outcome::Answered) co_return summary;
        if (raced == Outcome::Cancelled || cancel.cancelled) {
          summary.status = 499;
          co_return summary;
        }
        if (summary.hedged) ++attempts_made;
        // Both were tried; but when the first won and then broke off mid-stream, the second
        // (only cancelled) carries the stream on.
        const bool first_broke = summary.stream.handover && summary.served_by == &target;
        if (summary.hedged && !first_broke) {
          index = static_cast<std::size_t>(std::find(plan.targets.begin(), plan.targets.end(), next) - plan.targets.begin());
        }
        break;
      }
      ++attempts_made;
      std::optional<InFlight> in_flight;
      in_flight.emplace(target);
      auto outcome = co_await attempt_target(target, deadline, cancel, summary);
      in_flight.reset();
      report(target, gate, summary.attempts.back(), Clock::now());
      if (outcome == Outcome::Answered) co_return summary;
      if (outcome == Outcome::Cancelled || cancel.cancelled) {
        summary.status = 499;
        co_return summary;
      }
      const auto& last = summary.attempts.back();
      if (last.kind == UpstreamErrorKind::ContextLength && summary.context_fallback_pending) {
        current = current->context_fallback;
        plan = planFor(*current, shape, Clock::now());
        summary.route_reason += " context_fallback:" + plan.reason;
        index = static_cast<std::size_t>(-1);  // the loop's ++ starts the fallback route's plan at 0
        summary.context_fallback_pending = current->context_fallback != nullptr && ++context_hops < kMaxContextHops;
        break;
      }
      // Again on this target only for a transient failure, and only when the wait fits.
      if (tries >= current->retry.same_target || !worthRetrying(last.kind)) break;
      const auto wait = retryWait(last, current->retry, tries);
      if (Clock::now() + wait >= deadline) break;  // the next target serves at once
      // A long Retry-After is worth waiting out only when no other target is left to ask.
      if (wait > kLongestWaitBeforeFallback && index + 1 < plan.targets.size()) break;
      ++route.stats->retries;
      if (!co_await pause(wait, cancel)) {
        summary.status = 499;
        co_return summary;
      }
    }
  }

  if (summary.stream.handover) {
    // The client's stream is open and nobody could carry it on: a clean in-band end.
    core::ApiError error{502, "The stream from " + summary.stream.broken + " broke off and no target could carry it on",
                         "server_error", std::nullopt, "upstream_stream_error"};
    const AttemptLog after(summary.attempts.begin() + static_cast<std::ptrdiff_t>(summary.stream.broken_at), summary.attempts.end());
    if (after.empty()) error.message += ": none was left to try";
    else error.message += ": " + summarizeFailure(route.alias, after).message;
    error.request_id = request_id;
    summary.error = error.message;
    summary.stream_broken = true;
    summary.status = 200;
    const std::string in_band = dialect.streamError(error) + std::string(dialect.streamEnd());
    if (co_await writer.writeChunk(in_band)) co_await writer.endStream();
    co_return summary;
  }
  auto error = summarizeFailure(route.alias, summary.attempts);
  error.request_id = request_id;
  summary.status = error.status;
  summary.error = error.message;
  http::Headers headers{{"content-type", "application/json"},
                        {"x-request-id", request_id},
                        {"x-katara-attempts", std::to_string(summary.tried())}};
  if (dialect.format() == core::ApiFormat::AnthropicMessages) headers.push_back({"request-id", request_id});
  if (error.status == 503 && reopens_at) {
    // Nothing could be tried: say when a circuit lets a request through again.
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*reopens_at - Clock::now()).count();
    headers.push_back({"retry-after", std::to_string(std::max<std::int64_t>(1, (wait + 999) / 1000))});
  }
  co_await writer.send(error.status, std::move(headers), dialect.errorBody(error));
  co_return summary;
}

asio::awaitable<Executor::Outcome> Executor::attempt(const ChatCall& call, const Target& target,
                                                     Clock::time_point deadline, http::Cancellation& cancel,
                                                     http::ResponseWriter& writer, ExecutionSummary& summary) {
  if (summary.stream.handover) co_return co_await continueStream(call, target, deadline, cancel, writer, summary);
  // A legacy completion stream has no canonical form to carry it on: its bytes need not be kept.
  if (call.legacy_completion) summary.stream.continuable = false;
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

  // Same format: the client's bytes with the model changed. Otherwise through the canonical form.
  const bool translate = provider.adapter->format() != call.dialect->format();
  summary.attempts[index].translated = translate;
  const core::ChatRequest* canonical = nullptr;
  std::string body;
  if (translate) {
    const auto& parsed = call.canonical();
    if (const auto* why = std::get_if<core::ApiError>(&parsed)) {
      const core::UpstreamError untranslatable{UpstreamErrorKind::Untranslatable, why->message};
      co_return fail(untranslatable);
    }
    canonical = &std::get<core::ChatRequest>(parsed);
    core::ChatRequest upstream = *canonical;
    upstream.model = target.model;
    auto encoded = provider.adapter->encodeChat(upstream);
    if (!encoded.dropped.empty()) {
      std::string list;
      for (const auto& d : encoded.dropped) list += (list.empty() ? "" : ", ") + d;
      spdlog::info("{} {} cannot carry, dropped: {}", call.request_id, provider.name, list);
    }
    body = std::move(encoded.body);
  } else {
    body = call.body_for(target.model);
  }
  const providers::ChatTarget chat_target{target.model, call.stream, call.request_id,
                                          translate ? nullptr : call.forwarded};
  auto request = call.legacy_completion ? provider.adapter->completionRequest(provider.access, chat_target, body)
                                         : provider.adapter->chatRequest(provider.access, chat_target, body);
  if (!request) {
    const core::UpstreamError no_completions{UpstreamErrorKind::Untranslatable,
                                             "kind " + std::string(provider.adapter->kind()) + " has no legacy completions API"};
    co_return fail(no_completions);
  }
  auto sent = co_await sendTo(target, *request, t0, deadline, cancel);
  if (!sent) co_return fail(sent.error());
  auto exchange = std::move(sent.value());
  const ScopedAbort abort_on_cancel(cancel, *exchange);

  const int status = exchange->status();
  auto& record = summary.attempts[index];
  record.status = status;
  const bool success = status >= 200 && status < 300;
  record.billed = success;
  if (success && call.stream && translate) {
    co_return co_await translateStream(call, *canonical, target, *exchange, writer, summary, record);
  }
  if (success && call.stream) co_return co_await relayStream(call, target, *exchange, writer, summary, record);

  // A complete answer, or the caller's own mistake: as sent when the formats match, otherwise
  // restated in the client's format (an error keeps the upstream's status).
  auto body_read = co_await readAll(*exchange, success ? kMaxResponseBody : kMaxErrorBody);
  if (!body_read) {
    if (success) co_return fail(body_read.error());
    co_return fail({body_read.error().kind, "HTTP " + std::to_string(status) + ", then " + body_read.error().message});
  }
  std::string answer = std::move(body_read.value());
  std::string content_type(exchange->header("content-type"));
  if (success && translate) {
    auto decoded = provider.adapter->decodeChat(answer);
    if (!decoded) co_return fail(decoded.error());
    record.usage = decoded.value().usage;
    answer = call.dialect->encodeResponse(decoded.value(), *canonical);
    content_type = "application/json";
  } else if (!success) {
    auto error = provider.adapter->classifyError(status, exchange->headers(), answer);
    const bool to_larger_context = error.kind == UpstreamErrorKind::ContextLength && summary.context_fallback_pending;
    if (core::shouldFailOver(error.kind) || to_larger_context) co_return fail(std::move(error));
    if (translate) {
      auto restated = provider.adapter->clientError(status, answer);
      restated.request_id = call.request_id;
      answer = call.dialect->errorBody(restated);
      content_type = "application/json";
    }
    record.kind = error.kind;
    record.message = error.message;
  }
  if (!mayCommit(summary, record)) co_return fail({UpstreamErrorKind::Cancelled, "another target answered first"});
  if (success && !translate) record.usage = usageInAnswer(answer);
  auto headers = answerHeaders(call.request_id, call.dialect->format(), target, summary, content_type);
  if (success) addCostHeaders(headers, summary, call.shape);
  summary.served_by = &target;
  summary.status = status;
  record.finish(std::chrono::steady_clock::now());
  bool delivered = co_await writer.send(status, std::move(headers), std::move(answer));
  co_return delivered ? Outcome::Answered : Outcome::Cancelled;
}

asio::awaitable<core::Result<std::unique_ptr<http::Exchange>>> Executor::sendTo(
    const Target& target, const http::OutgoingRequest& request, Clock::time_point started, Clock::time_point deadline,
    http::Cancellation& cancel) {
  const auto timeouts = attemptTimeouts(target, started, deadline);
  auto sent = co_await pool_.send(target.provider->access.endpoint, request, timeouts, &cancel);
  if (sent) noteRateLimits(target, sent.value()->headers(), Clock::now());
  co_return sent;
}

core::ApiError summarizeFailure(std::string_view alias, const AttemptLog& attempts) {
  bool any_tried = false, all_timeouts = true, all_unavailable = true, all_untranslatable = !attempts.empty();
  std::string detail;
  for (const auto& a : attempts) {
    bool tried = !core::notSent(a.kind);
    any_tried |= tried;
    all_untranslatable &= a.kind == UpstreamErrorKind::Untranslatable;
    if (tried) all_timeouts &= a.kind == UpstreamErrorKind::Timeout;
    all_unavailable &= a.kind == UpstreamErrorKind::Disabled || a.kind == UpstreamErrorKind::RateLimited ||
                       a.kind == UpstreamErrorKind::Overloaded || a.kind == UpstreamErrorKind::CircuitOpen;
    if (!detail.empty()) detail += "; ";
    detail += a.provider + "/" + a.model + ": " + std::string(core::toString(a.kind));
    if (!a.message.empty()) detail += " (" + a.message + ")";
    if (tried) detail += " after " + std::to_string(a.elapsed.count()) + " ms";
  }
  core::ApiError e;
  e.type = "server_error";
  if (all_untranslatable) {
    e.status = 400;
    e.type = "invalid_request_error";
    e.code = "untranslatable_request";
  } else if (!any_tried || all_unavailable) {
    e.status = 503;
    e.code = "upstream_unavailable";
  } else if (all_timeouts) {
    e.status = 504;
    e.code = "upstream_timeout";
  } else {
    e.status = 502;
    e.code = "upstream_error";
  }
  e.message = "No target could answer model '" + std::string(alias) + "' (" + std::to_string(attempts.size()) +
              (attempts.size() == 1 ? " target" : " targets") + "): " + detail;
  return e;
}

}  // namespace katara::routing
