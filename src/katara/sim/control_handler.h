#pragma once
#include "katara/http/handler.h"
#include "katara/sim/sim_state.h"

namespace katara::sim {

// The simulator's control API (/_sim/...): read state and the request log, switch faults at
// run time, reset to the loaded configuration. See docs/simulator.md.
class ControlHandler final : public http::Handler {
 public:
  explicit ControlHandler(SimState& state) : state_(state) {}
  boost::asio::awaitable<void> handle(http::Request& request, http::ResponseWriter& writer) override;

 private:
  SimState& state_;
};

}  // namespace katara::sim
