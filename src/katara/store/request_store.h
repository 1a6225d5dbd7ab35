#pragma once
// Where the request log lives, behind one interface: SQLite on a single node (sqlite_store.h),
// PostgreSQL for a cluster. Writes come from the log's store thread only (request_log.h);
// queries from the admin API, off the workers. Implementations are safe for one writer and
// concurrent readers.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "katara/core/request_trace.h"

namespace katara::store {

struct RequestFilter {
  std::optional<std::int64_t> since_ms, until_ms;  // unix ms, inclusive / exclusive
  std::string alias;
  std::string provider;     // any attempt's provider
  std::optional<int> status;        // exact status ...
  std::optional<int> status_class;  // ... or its class (5 for 5xx)
  std::string key_hash;
  std::optional<std::int64_t> before;  // the page cursor: rows older than this one
  int limit = 50;
};

struct RequestPage {
  std::vector<core::RequestTrace> rows;  // newest first; attempts included
  std::vector<std::int64_t> cursors;     // each row's cursor
  bool more = false;                     // older rows match too
};

// One provider's model over a window, from its attempts.
struct TargetStats {
  std::string provider, model;
  std::int64_t attempts = 0;     // sent to it
  std::int64_t errors = 0;       // those that count against it (not the caller's mistakes)
  std::int64_t served = 0;       // answers it gave
  std::optional<double> latency_p50_ms, latency_p95_ms;  // answered attempts
  std::optional<double> ttft_p50_ms, ttft_p95_ms;        // streamed ones
  std::int64_t input_tokens = 0, output_tokens = 0;
  double cost_usd = 0;
  struct Point {
    std::int64_t unix_ms = 0;    // the step's start
    std::int64_t attempts = 0, errors = 0;
    std::optional<double> latency_p95_ms, ttft_p95_ms;
    double cost_usd = 0;
  };
  std::vector<Point> series;     // per step, when a step was asked for
};

// All requests over a window, per step when a step was asked for: what the client side saw.
struct TrafficPoint {
  std::int64_t unix_ms = 0;  // the step's start (the window's for the totals)
  std::int64_t requests = 0, errors = 0;  // errors: answered 5xx (or cut off)
  std::int64_t failovers = 0, retries = 0, hedges = 0, continuations = 0;
  double cost_usd = 0;
};

struct Stats {
  std::vector<TargetStats> targets;
  TrafficPoint totals;
  std::vector<TrafficPoint> traffic;
};

struct StatsQuery {
  std::int64_t since_ms = 0, until_ms = 0;
  std::int64_t step_ms = 0;  // 0: no series
};

struct Retention {
  std::int64_t max_age_ms = 0;    // 0: kept regardless of age
  std::int64_t max_bytes = 0;     // 0: no bound on size
};

class RequestStore {
 public:
  virtual ~RequestStore() = default;
  // Writes the rows in one transaction; false with `error` when they could not be written
  // (none of them was: the caller keeps them).
  virtual bool write(const std::vector<core::RequestTrace>& rows, std::string& error) = 0;
  virtual RequestPage list(const RequestFilter& filter) = 0;
  // The newest row with this id (ids a client sent in x-request-id may repeat).
  virtual std::optional<core::RequestTrace> find(const std::string& id) = 0;
  virtual Stats stats(const StatsQuery& query) = 0;
  // Deletes the oldest rows past `retention`; how many went.
  virtual std::int64_t prune(const Retention& retention, std::int64_t now_ms) = 0;
  virtual std::int64_t rowCount() = 0;
};

}  // namespace katara::store
