#pragma once
// Active probes, for providers with probe_interval_ms: every interval each of the provider's
// targets whose circuit (or the provider's) is due for its half-open trial gets a one-token chat
// request as that trial, so circuits close without spending user requests. Runs on its own
// event loop and connection pool.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "katara/http/client.h"
#include "katara/routing/route_table.h"

namespace katara::routing {

class Prober {
 public:
  Prober(const RouteTable& routes, http::UpstreamPool& pool) : routes_(routes), pool_(pool) {}
  // True when some enabled provider of `routes` asks for probes.
  static bool wanted(const RouteTable& routes);
  // One loop per probing provider on `io`, until it stops.
  void start(boost::asio::io_context& io);

 private:
  boost::asio::awaitable<void> loop(const Provider& provider);
  boost::asio::awaitable<void> probe(const Target& target);

  const RouteTable& routes_;
  http::UpstreamPool& pool_;
};

}  // namespace katara::routing
