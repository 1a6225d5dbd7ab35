#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "katara/config/strategy.h"

namespace katara::config {

using Millis = std::chrono::milliseconds;

// Per-attempt timeouts. Each phase has its own clock; `total` bounds one attempt and, at route
// level, the whole request with all its attempts.
struct TimeoutsConfig {
  Millis connect{2000};
  Millis first_byte{30000};
  Millis first_token{30000};  // streams: request sent until the first content event
  Millis idle{30000};
  Millis total{600000};
};

// Fields a route may override; unset ones fall back to the provider's.
struct TimeoutOverrides {
  std::optional<Millis> connect, first_byte, first_token, idle, total;
};

// `t` with the fields `o` sets replaced.
void applyOverrides(const TimeoutOverrides& o, TimeoutsConfig& t);

struct ProviderConfig {
  std::string name;
  std::string kind = "openai";
  std::string base_url;   // e.g. https://api.openai.com/v1
  std::string api_key;    // empty: no credentials are sent
  std::string api_version;  // azure: the api-version query parameter
  bool enabled = true;
  std::string disabled_reason;  // why enabled is false, for the start-up log and /readyz
  TimeoutsConfig timeouts;
  // Active probes: every interval, each of the provider's targets whose circuit is due for its
  // trial gets a one-token request as that trial, so user requests never have to. 0: off.
  Millis probe_interval{0};
  // Whether the provider continues a final assistant message (see ProviderKind::prefill); the
  // kind's default unless set.
  bool prefill = false;
  // An open model on the user's own hardware (what `local_first` fills first; priced at zero
  // unless `pricing` says otherwise). Default: kind ollama, or a base_url on a loopback or
  // private-network host.
  bool local = false;
};

// USD per million tokens.
struct PriceConfig {
  double input_per_mtok = 0;
  double output_per_mtok = 0;
  std::optional<double> cached_input_per_mtok = {};  // unset: cached input at the input price
};

struct TargetConfig {
  std::string provider;
  std::string model;  // the provider's own model id
  std::optional<bool> prefill = {};  // this model's own answer, over the provider's
  double weight = 1;                 // `weighted`: its share of first tries
  int max_concurrency = 0;           // requests it serves at once before others go first; 0: no limit
};

// `balanced`: how much each figure weighs in a target's score, and the limits a target must
// keep to be tried before the others.
struct BalancedConfig {
  double cost = 1, latency = 1, errors = 1;
  std::optional<double> max_ttft_ms = {};
  std::optional<double> max_cost_usd = {};
};

// Trying a target again after a transient failure (a reset, a 500, a malformed answer, a 429
// whose Retry-After fits the deadline) before moving on. Silence (a timeout) is never retried on
// the same target.
struct RetryConfig {
  int same_target = 0;      // extra tries per target; 0: fail over at once
  Millis backoff{100};      // before the first retry, doubled for each next one, ±50 % jitter
  int max_attempts = 8;     // attempts per request, every target included
};

// Hedging: when the first target has not produced its first token (a stream's first content,
// a complete answer's body) after `after`, the same request also goes to the next target; the
// first to produce one wins and the other is cancelled. At most `budget_percent` more attempts.
struct HedgeConfig {
  Millis after{0};  // the fixed delay; 0: none (then no hedging unless `percentile` is set)
  // The delay as this percentile of the first target's recent times to first token (complete
  // answers: latencies), once it has enough of them; `after` (default 2 s) until then.
  std::optional<double> percentile = {};
  double budget_percent = 5;
  bool enabled() const { return after.count() > 0 || percentile.has_value(); }
};

struct RouteConfig {
  std::string alias;
  Strategy strategy = Strategy::Fallback;
  BalancedConfig balanced;
  std::vector<TargetConfig> targets;
  TimeoutOverrides timeouts;
  RetryConfig retry;
  HedgeConfig hedge;
  // The route a request goes to when a target answers that the prompt does not fit its
  // context (another alias, with larger-context models); empty: that error goes to the client.
  std::string context_fallback;
};

// Hard limits on what a client may send; every one of them protects the worker from a peer.
struct ServerLimitsConfig {
  std::size_t max_body_bytes = 32u << 20;
  std::size_t max_header_bytes = 64u << 10;
  Millis header_timeout{60000};   // idle keep-alive wait plus reading one request's headers
  Millis body_timeout{120000};    // reading one request's body
  Millis write_timeout{60000};    // one write to a client that stopped reading
};

// When a target's circuit opens, and for how long. Defaults need no tuning: a target that
// fails 3 times in a row, or half of at least 10 attempts in 30 s, is skipped for 2 s, then
// tried once; every failed trial doubles the wait, up to 30 s.
struct CircuitConfig {
  bool enabled = true;  // false: outcomes are still tracked, but no target is ever skipped
  int consecutive_failures = 3;
  double failure_ratio = 0.5;
  int min_samples = 10;
  Millis window{30000};
  Millis open{2000};
  Millis max_open{30000};
};

// The request log (store/). Paths are relative to the config file's folder.
struct StoreConfig {
  bool enabled = true;              // false: no request log (the admin API's log queries answer 503)
  std::string sqlite = "katara.db";
  Millis flush_interval{200};       // the longest a row waits in memory (what a crash can lose)
  std::int64_t queue_rows = 20000;  // rows waiting before new ones spill to the journal
  std::string journal;              // default: <sqlite>.journal
  std::int64_t retention_days = 30; // 0: kept regardless of age
  std::int64_t max_mb = 1024;       // 0: no size bound
  bool capture_bodies = false;      // request and response bodies, secrets redacted
  std::int64_t capture_max_bytes = 65536;  // of each body
};

// The admin API and the dashboard. Without a key they answer only when the gateway itself has
// no api_keys (a local, open setup); with one, only to it.
struct AdminConfig {
  std::string api_key;
  std::string listen_host;          // a separate listener; "" serves them on the gateway's
  std::uint16_t listen_port = 0;
};

struct TracingConfig {
  std::string otlp_endpoint;        // OTLP/HTTP base URL (…:4318); "" exports nothing
  std::string service_name = "katara";
};

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 4000;
  unsigned workers = 0;  // 0: one per core
  std::vector<std::string> api_keys;
  std::map<std::string, ProviderConfig> providers;
  std::map<std::string, RouteConfig> models;
  // Overrides of the price catalogue, keyed "<provider>/<model>".
  std::map<std::string, PriceConfig> pricing;
  ServerLimitsConfig limits;
  CircuitConfig circuit;
  Millis shutdown_grace{30000};
  StoreConfig store;
  AdminConfig admin;
  TracingConfig tracing;

  // True when some route has a target whose provider is enabled.
  bool hasEnabledTarget() const;
};

struct LoadResult {
  std::optional<Config> config;
  std::vector<std::string> errors;  // "providers.openai.timeouts.connect_ms: expected an integer"
};

// Parses and validates YAML text. `${VAR}` and `${VAR:-default}` are substituted from the
// environment in every scalar; an unset variable in a provider's api_key disables that provider
// instead of failing. Never throws.
LoadResult parseConfig(const std::string& yaml_text);
// As parseConfig; then relative store paths are taken from the file's folder.
LoadResult loadConfigFile(const std::string& path);

// Splits "host:port" ("[::1]:4000" for IPv6). Returns false on malformed input.
bool splitHostPort(const std::string& text, std::string& host, std::uint16_t& port);

}  // namespace katara::config
