#pragma once
// What one request went through, in plain values: the request log stores it, the metrics count
// it and a trace exports it. Built once per request by the app from the executor's summary, so
// none of those modules needs to know routing's types.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "katara/core/chat.h"
#include "katara/core/error_kind.h"

namespace katara::core {

// Upper bounds (seconds) of the buckets that the gaps between a stream's events fall in. Shared
// by the relay that counts them and the histogram that exposes them.
inline constexpr std::array<double, 12> kEventGapBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                            0.1,   0.25,   0.5,   1,    2.5,   5};

// The time between consecutive events of one stream, as bucket counts: a per-event record
// costs one short search, and nothing is allocated however long the stream runs.
struct EventGaps {
  std::array<std::uint32_t, kEventGapBounds.size() + 1> counts{};  // the last: above every bound
  double sum_seconds = 0;
  std::uint32_t count = 0;
  std::chrono::steady_clock::time_point last = {};

  void note(std::chrono::steady_clock::time_point now) {
    if (last != std::chrono::steady_clock::time_point{}) {
      const double gap = std::chrono::duration<double>(now - last).count();
      std::size_t i = 0;
      while (i < kEventGapBounds.size() && gap > kEventGapBounds[i]) ++i;
      ++counts[i];
      sum_seconds += gap;
      ++count;
    }
    last = now;
  }
};

struct AttemptTrace {
  std::string provider;       // the configured provider's name
  std::string provider_kind;  // its wire format (openai, anthropic, gemini, ollama, ...)
  std::string model;          // the provider's model id
  int target_index = -1;      // the target among the route table's distinct ones (metric cells)
  UpstreamErrorKind kind = UpstreamErrorKind::Ok;
  int status = 0;             // the provider's HTTP status; 0 when none came
  std::string message;        // why it failed
  std::int64_t start_us = 0;  // after the request arrived
  std::int64_t duration_us = 0;
  std::optional<std::int64_t> first_token_us = {};  // streams: after the attempt started
  bool translated = false;    // the target spoke another format than the client
  bool continued = false;     // it carried on a stream another attempt broke off
  bool hedge = false;         // started beside a slow first attempt
  std::optional<double> tokens_per_second = {};
  std::optional<Usage> usage = {};  // tokens billed (reported, or estimated when `usage_estimated`)
  bool usage_estimated = false;
  std::optional<double> cost_usd = {};  // nullopt: not billed, or the target has no price
  EventGaps gaps = {};
};

struct RequestTrace {
  // False when only the metrics read the trace (no request log, no tracing): the names, paths
  // and messages they do not need are then not copied in.
  bool detailed = true;
  std::string id;
  std::int64_t unix_ms = 0;     // when it arrived
  std::string key_hash;         // the client's API key, hashed; "" when none was presented
  std::string method;
  std::string path;
  std::string operation;        // chat, text_completion, embeddings, count_tokens, models, or "" (none)
  std::string api;              // the client's format: openai or anthropic
  std::string alias;            // the model the client asked for ("" before one was read)
  int alias_index = -1;         // a configured route's place (metric cells); -1: none
  bool stream = false;
  int status = 0;               // what the client got; 499 when it went away first
  std::string error;            // Katara's own error message, when it answered one
  std::int64_t duration_us = 0;
  std::optional<std::int64_t> first_token_us = {};  // streams: the client's first content
  std::int64_t overhead_us = 0; // time outside any upstream attempt (see docs/observability.md)
  int served_attempt = -1;      // the attempt whose answer the client got
  Usage usage = {};             // over every billed attempt
  bool usage_estimated = false;
  double cost_usd = 0;
  bool cost_estimated = false;
  bool unpriced = false;        // some billed attempt has no known price
  int retries = 0;              // attempts on the target the previous one tried
  int failovers = 0;            // attempts on another target after a failure
  int hedges = 0;
  int continuations = 0;        // attempts that carried on a broken stream
  bool stream_broken = false;   // a committed stream ended with an in-band error
  std::vector<AttemptTrace> attempts;
  std::string traceparent;      // the client's W3C traceparent header: its spans join that trace
  std::string request_body;     // captured only when configured, secrets redacted
  std::string response_body;
};

}  // namespace katara::core
