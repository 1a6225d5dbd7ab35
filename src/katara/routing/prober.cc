#include "katara/routing/prober.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "katara/routing/health_gate.h"
#include "katara/routing/relay_support.h"

namespace katara::routing {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using core::UpstreamErrorKind;

namespace {

constexpr std::size_t kMaxProbeBody = 1u << 20;

// The cheapest request that proves the model answers: one user word, one output token.
core::ChatRequest probeRequest(const Target& target) {
  core::ChatRequest r;
  r.model = target.model;
  core::Message m;
  m.role = core::Role::User;
  m.content.push_back(core::ContentPart::makeText("ping"));
  r.messages.push_back(std::move(m));
  r.max_tokens = 1;
  return r;
}

}  // namespace

bool Prober::wanted(const RouteTable& routes) {
  for (const auto& [name, p] : routes.providers()) {
    if (p->enabled && p->probe_interval.count() > 0) return true;
  }
  return false;
}

void Prober::start(asio::io_context& io) {
  for (const auto& [name, p] : routes_.providers()) {
    if (p->enabled && p->probe_interval.count() > 0) asio::co_spawn(io, loop(*p), asio::detached);
  }
}

asio::awaitable<void> Prober::loop(const Provider& provider) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(provider.probe_interval);
    co_await timer.async_wait(asio::use_awaitable);
    for (const auto* target : routes_.distinctTargets()) {
      if (target->provider == &provider) co_await probe(*target);
    }
  }
}

asio::awaitable<void> Prober::probe(const Target& target) {
  const auto t0 = Clock::now();
  const auto gate = admit(target, t0, /*probe=*/true);
  if (!gate.allowed() || (!gate.target.trial && !gate.provider.trial)) co_return;  // nothing due
  const auto& provider = *target.provider;
  AttemptRecord record{provider.name, target.model, UpstreamErrorKind::Ok, {}, {}, false, t0};
  const auto body = provider.adapter->encodeChat(probeRequest(target)).body;
  const providers::ChatTarget chat_target{target.model, false, "probe", nullptr};
  const auto request = provider.adapter->chatRequest(provider.access, chat_target, body);
  const auto timeouts = attemptTimeouts(target, t0, Clock::time_point::max());
  auto sent = co_await pool_.send(provider.access.endpoint, request, timeouts);
  if (!sent) {
    record.kind = sent.error().kind;
    record.message = sent.error().message;
  } else {
    auto& exchange = *sent.value();
    const int status = exchange.status();
    auto answer = co_await readAll(exchange, kMaxProbeBody);
    if (!answer) {
      record.kind = answer.error().kind;
      record.message = answer.error().message;
    } else if (status < 200 || status >= 300) {
      auto error = provider.adapter->classifyError(status, exchange.headers(), answer.value());
      // A reasoned refusal of the probe itself (a 400: say, max_tokens 1 too few) still shows
      // a live model; only the provider's own failures keep the circuit open.
      record.kind = core::shouldFailOver(error.kind) ? error.kind : UpstreamErrorKind::Ok;
      record.message = error.message;
    }
  }
  record.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
  report(target, gate, record, Clock::now());
  spdlog::info("probe {}/{}: {}{}", provider.name, target.model, core::toString(record.kind),
               record.message.empty() ? "" : " (" + record.message + ")");
}

}  // namespace katara::routing
