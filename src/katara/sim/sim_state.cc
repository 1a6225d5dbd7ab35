#include "katara/sim/sim_state.h"

#include <spdlog/spdlog.h>

namespace katara::sim {

constexpr std::size_t kMaxLogEntries = 200000;
constexpr std::size_t kMaxLoggedBodies = 1000;  // older entries keep their fields, not their body

boost::json::object LogEntry::toJson() const {
  return {{"id", id},
          {"provider", provider},
          {"model", model},
          {"stream", stream},
          {"format", format},
          {"auth", auth},
          {"api_version", api_version},
          {"handover", handover},
          {"request", request},
          {"at_ms", at_ms},
          {"outcome", outcome},
          {"status", status},
          {"tokens_sent", tokens_sent},
          {"client_disconnected", client_disconnected},
          {"duration_ms", duration_ms}};
}

std::shared_ptr<LogEntry> SimState::newEntry(const std::string& provider, const std::string& model, bool stream) {
  if (log.size() >= kMaxLogEntries) log.pop_front();
  auto e = std::make_shared<LogEntry>();
  e->id = next_id++;
  e->provider = provider;
  e->model = model;
  e->stream = stream;
  e->at_ms = elapsedSeconds() * 1000;
  log.push_back(e);
  if (log.size() > kMaxLoggedBodies) log[log.size() - 1 - kMaxLoggedBodies]->request = nullptr;
  return e;
}

void SimState::applyRefusals() {
  double t = elapsedSeconds();
  for (std::size_t i = 0; i < current.providers.size(); ++i) {
    const auto& f = current.providers[i].faults;
    bool refuse = f.refuse || (f.outage.mode == "refuse" && f.outage.activeAt(t));
    if (refuse == refusing[i]) continue;
    refusing[i] = refuse;
    if (refuse) {
      listeners[i]->stopAccepting();
      spdlog::info("sim: provider {} refuses connections", current.providers[i].name);
    } else if (auto err = listeners[i]->resumeAccepting(); !err.empty()) {
      spdlog::error("sim: provider {} cannot listen again: {}", current.providers[i].name, err);
    } else {
      spdlog::info("sim: provider {} accepts connections again", current.providers[i].name);
    }
  }
}

}  // namespace katara::sim
