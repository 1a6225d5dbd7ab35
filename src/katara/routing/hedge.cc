// Executor::race: hedging. The first target starts alone; when it has not produced its first
// token (the client's first byte) after the route's hedge delay, the same request also goes to
// the second target. The first of the two to claim the client wins; the other is cancelled
// upstream at once. Both outcomes go to health (a cancelled loser gives no verdict).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "katara/routing/executor.h"
#include "katara/routing/health_gate.h"

namespace katara::routing {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using core::UpstreamErrorKind;

asio::awaitable<Executor::Outcome> Executor::race(const Route& route, const Target& first, const HealthGate& first_gate,
                                                  const Target& second, bool stream,
                                                  Clock::time_point deadline, http::Cancellation& cancel,
                                                  ExecutionSummary& summary, const AttemptFn& attempt_target) {
  struct Racer {
    const Target* target = nullptr;
    HealthGate gate;
    http::Cancellation cancel;
    std::size_t record = 0;  // its index in summary.attempts
    bool running = false;
    std::optional<Outcome> outcome;
  };
  Racer a, b;
  a.target = &first;
  b.target = &second;
  const Racer* winner = nullptr;
  bool notified = false;  // something happened since the last wait: do not wait for it again
  const auto executor = co_await asio::this_coro::executor;
  asio::steady_timer wake(executor);

  // The client going away cancels both; the first to claim the client cancels the other.
  cancel.abort = [&] {
    a.cancel.cancel();
    b.cancel.cancel();
  };
  summary.claim = [&](const AttemptRecord& r) {
    const Racer& claimer = &r == &summary.attempts[a.record] ? a : b;
    if (winner) return winner == &claimer;
    winner = &claimer;
    (&claimer == &a ? b : a).cancel.cancel();
    notified = true;
    wake.cancel();
    return true;
  };
  auto launch = [&](Racer& r) {
    r.record = summary.attempts.size();  // the attempt's first step adds its record
    r.running = true;
    r.target->health->started();  // in flight until it ends
    asio::co_spawn(executor, attempt_target(*r.target, deadline, r.cancel, summary),
                   [&r, &notified, &wake](std::exception_ptr e, Outcome o) {
                     r.target->health->ended();
                     r.outcome = e ? Outcome::Failed : o;
                     r.running = false;
                     notified = true;
                     wake.cancel();
                   });
  };
  auto waitForNews = [&](Clock::time_point until) -> asio::awaitable<void> {
    if (notified) {
      notified = false;
      co_return;
    }
    wake.expires_at(until);
    co_await wake.async_wait(asio::as_tuple(asio::use_awaitable));
    notified = false;
  };

  a.gate = first_gate;
  launch(a);
  // The fixed delay, or the first target's own recent percentile once it has enough samples.
  auto delay = route.hedge.after;
  if (route.hedge.percentile) {
    if (auto recent = first.health->recentPercentile(*route.hedge.percentile, stream)) delay = *recent;
  }
  const auto hedge_at = std::min(deadline, Clock::now() + delay);
  while (a.running && !winner && Clock::now() < hedge_at) co_await waitForNews(hedge_at);
  if (a.running && !winner && !cancel.cancelled && route.stats->takeHedge(route.hedge.budget_percent)) {
    b.gate = admit(second, Clock::now());
    if (b.gate.allowed()) {
      summary.hedged = true;
      launch(b);
    }
  }
  while (a.running || b.running) co_await waitForNews(Clock::time_point::max());

  summary.claim = nullptr;
  cancel.abort = nullptr;
  if (b.outcome) summary.attempts[b.record].hedge = true;
  report(first, a.gate, summary.attempts[a.record], Clock::now());
  if (b.outcome) report(second, b.gate, summary.attempts[b.record], Clock::now());
  if (summary.hedged) {
    spdlog::debug("hedged {} after {} ms: {} won", route.alias, delay.count(),
                  winner ? winner->target->provider->name : "neither");
  }
  if (winner == &b && b.outcome == Outcome::Answered) ++route.stats->hedges_won;
  if (a.outcome == Outcome::Answered || b.outcome == Outcome::Answered) co_return Outcome::Answered;
  if (cancel.cancelled) co_return Outcome::Cancelled;
  co_return Outcome::Failed;
}

}  // namespace katara::routing
