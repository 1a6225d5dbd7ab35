#pragma once
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace katara::sim {

// Misbehaviour a simulated model (or a whole provider) shows. Rates are probabilities per
// request in [0, 1]; token counts of -1 mean "off".
struct Faults {
  double error_rate = 0;                   // answer with one of error_statuses
  int fail_next = 0;                       // the next N requests get error_statuses[0], then normal
  bool content_filter = false;             // refuse every prompt with the API's content-filter error
  std::vector<int> error_statuses{500};
  double rate_limit_rate = 0;              // answer 429 with Retry-After
  int retry_after_s = 1;
  double reset_rate = 0;                   // reset the connection before any response byte
  double hang_rate = 0;                    // accept the request and never answer
  int slow_first_token_ms = 0;             // added to the time to first token
  int cut_after_tokens = -1;               // reset the connection after N streamed tokens
  int stall_after_tokens = -1;             // stop sending after N tokens, keep the connection
  double cut_rate = 0;                     // this share of streams is reset after a random token (not the first)
  double stall_rate = 0;                   // this share of streams stalls after a random token
  int malformed_chunk_at = -1;             // the Nth token's event is broken JSON
  int malformed_chunk_count = 1;           // ... and this many events from it
  bool no_done = false;                    // end the stream without data: [DONE]
  int hold_open_ms = 0;                    // after the last event, keep the stream open this long
  int requests_per_minute = 0;             // a rate limit: every answer says what is left (x-ratelimit-* / anthropic-ratelimit-*), beyond it 429; 0: none
  bool rejects_prefill = false;            // a conversation ending with an assistant turn is a 400, as newer Claude models answer
  int continuation_overlap_tokens = 0;     // told to continue, the model first repeats this many of the given tokens
  bool refuse = false;                     // provider level: refuse connections (listener closed)
  struct Outage {
    double start_s = -1;                   // seconds after the simulator started; -1: none
    double duration_s = 0;
    std::string mode = "refuse";           // refuse | reset | error | hang
    bool activeAt(double t) const { return start_s >= 0 && t >= start_s && t < start_s + duration_s; }
  } outage;
};

// Applies the fields present in `json` (an object) onto `faults`; unknown fields and wrong
// types are reported in `errors` with `path`.
void mergeFaults(const boost::json::value& json, const std::string& path, Faults& faults,
                 std::vector<std::string>& errors);
boost::json::object toJson(const Faults& faults);

}  // namespace katara::sim
