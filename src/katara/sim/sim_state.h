#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <random>
#include <string>

#include "katara/http/listener.h"
#include "katara/sim/sim_config.h"

namespace katara::sim {

// One request a simulated provider received, as tests assert on it.
struct LogEntry {
  std::uint64_t id = 0;
  std::string provider;
  std::string model;
  bool stream = false;
  std::string format;          // the API it was asked in: openai | anthropic
  std::string auth;            // the credential header it came with: bearer | x-api-key | none
  std::string api_version;     // anthropic-version, when sent
  std::string handover;        // the request carried a partial answer on: prefill | instruction
  boost::json::value request;  // the parsed body (kept for the newest entries only)
  double at_ms = 0;            // since the simulator started
  std::string outcome = "in_progress";  // ok | error | rate_limited | reset | hang | cut | stall | malformed | unknown_model
  int status = 0;
  int tokens_sent = 0;
  bool client_disconnected = false;
  double duration_ms = 0;
  boost::json::object toJson() const;
};

// Everything the simulator knows at run time. Single-threaded: providers and the control API
// share one io_context, so no locks.
struct SimState {
  SimConfig initial;   // as loaded, for /_sim/reset
  SimConfig current;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::mt19937_64 rng;
  std::deque<std::shared_ptr<LogEntry>> log;  // shared: in-flight requests keep writing theirs
  std::uint64_t next_id = 1;
  std::vector<http::Listener*> listeners;  // by provider index
  std::vector<bool> refusing;
  std::vector<std::deque<double>> request_times;  // by provider: when its rate-limited requests came (seconds)

  double elapsedSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  std::shared_ptr<LogEntry> newEntry(const std::string& provider, const std::string& model, bool stream);
  // Closes or reopens provider listeners whose refuse fault or refuse-mode outage changed.
  void applyRefusals();
};

}  // namespace katara::sim
