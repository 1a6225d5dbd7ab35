#pragma once
#include "katara/http/handler.h"
#include "katara/sim/sim_state.h"

namespace katara::sim {

// One simulated OpenAI-compatible provider: /v1/models and /v1/chat/completions, with the
// latency, usage and faults its configuration (and the control API) give it.
class ProviderHandler final : public http::Handler {
 public:
  ProviderHandler(SimState& state, std::size_t provider_index) : state_(state), index_(provider_index) {}
  boost::asio::awaitable<void> handle(http::Request& request, http::ResponseWriter& writer) override;

 private:
  SimState& state_;
  std::size_t index_;
};

}  // namespace katara::sim
