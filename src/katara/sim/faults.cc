#include "katara/sim/faults.h"

namespace katara::sim {

namespace json = boost::json;

namespace {

bool number(const json::value& v, double& out) {
  if (v.is_double()) out = v.as_double();
  else if (v.is_int64()) out = static_cast<double>(v.as_int64());
  else if (v.is_uint64()) out = static_cast<double>(v.as_uint64());
  else return false;
  return true;
}

}  // namespace

void mergeFaults(const json::value& value, const std::string& path, Faults& f, std::vector<std::string>& errors) {
  if (!value.is_object()) {
    errors.push_back(path + ": expected an object of faults");
    return;
  }
  auto bad = [&](const std::string& key, const char* what) { errors.push_back(path + "." + key + ": expected " + what); };
  for (const auto& [k, v] : value.as_object()) {
    std::string key(k);
    double d = 0;
    auto rate = [&](double& field) {
      if (!number(v, d) || d < 0 || d > 1) bad(key, "a probability between 0 and 1");
      else field = d;
    };
    auto integer = [&](int& field, int min) {
      if (!number(v, d) || d < min || d != static_cast<int>(d)) bad(key, min < 0 ? "an integer (-1: off)" : "a non-negative integer");
      else field = static_cast<int>(d);
    };
    if (key == "error_rate") rate(f.error_rate);
    else if (key == "rate_limit_rate") rate(f.rate_limit_rate);
    else if (key == "reset_rate") rate(f.reset_rate);
    else if (key == "hang_rate") rate(f.hang_rate);
    else if (key == "cut_rate") rate(f.cut_rate);
    else if (key == "stall_rate") rate(f.stall_rate);
    else if (key == "retry_after_s") integer(f.retry_after_s, 0);
    else if (key == "fail_next") integer(f.fail_next, 0);
    else if (key == "hold_open_ms") integer(f.hold_open_ms, 0);
    else if (key == "slow_first_token_ms") integer(f.slow_first_token_ms, 0);
    else if (key == "cut_after_tokens") integer(f.cut_after_tokens, -1);
    else if (key == "stall_after_tokens") integer(f.stall_after_tokens, -1);
    else if (key == "malformed_chunk_at") integer(f.malformed_chunk_at, -1);
    else if (key == "requests_per_minute") integer(f.requests_per_minute, 0);
    else if (key == "malformed_chunk_count") integer(f.malformed_chunk_count, 1);
    else if (key == "continuation_overlap_tokens") integer(f.continuation_overlap_tokens, 0);
    else if (key == "no_done" || key == "refuse" || key == "content_filter" || key == "rejects_prefill") {
      if (!v.is_bool()) bad(key, "true or false");
      else (key == "no_done" ? f.no_done : key == "refuse" ? f.refuse : key == "content_filter" ? f.content_filter : f.rejects_prefill) = v.as_bool();
    } else if (key == "error_statuses") {
      std::vector<int> statuses;
      if (v.is_array()) {
        for (const auto& s : v.as_array()) {
          if (number(s, d) && d >= 400 && d <= 599) statuses.push_back(static_cast<int>(d));
        }
      }
      if (statuses.empty() || !v.is_array() || statuses.size() != v.as_array().size()) bad(key, "a list of HTTP statuses 400-599");
      else f.error_statuses = statuses;
    } else if (key == "outage") {
      if (!v.is_object()) {
        bad(key, "{ start_s, duration_s, mode }");
        continue;
      }
      for (const auto& [ok, ov] : v.as_object()) {
        std::string okey(ok);
        if (okey == "start_s" && number(ov, d)) f.outage.start_s = d;
        else if (okey == "duration_s" && number(ov, d) && d >= 0) f.outage.duration_s = d;
        else if (okey == "mode" && ov.is_string() &&
                 (ov.as_string() == "refuse" || ov.as_string() == "reset" || ov.as_string() == "error" || ov.as_string() == "hang"))
          f.outage.mode = std::string(ov.as_string());
        else bad(key + "." + okey, "start_s (seconds), duration_s (seconds) or mode (refuse|reset|error|hang)");
      }
    } else {
      errors.push_back(path + "." + key + ": unknown fault");
    }
  }
}

json::object toJson(const Faults& f) {
  json::array statuses;
  for (int s : f.error_statuses) statuses.push_back(s);
  return {{"error_rate", f.error_rate},
          {"fail_next", f.fail_next},
          {"error_statuses", statuses},
          {"rate_limit_rate", f.rate_limit_rate},
          {"retry_after_s", f.retry_after_s},
          {"reset_rate", f.reset_rate},
          {"hang_rate", f.hang_rate},
          {"slow_first_token_ms", f.slow_first_token_ms},
          {"cut_after_tokens", f.cut_after_tokens},
          {"cut_rate", f.cut_rate},
          {"stall_rate", f.stall_rate},
          {"stall_after_tokens", f.stall_after_tokens},
          {"malformed_chunk_at", f.malformed_chunk_at},
          {"malformed_chunk_count", f.malformed_chunk_count},
          {"no_done", f.no_done},
          {"content_filter", f.content_filter},
          {"hold_open_ms", f.hold_open_ms},
          {"rejects_prefill", f.rejects_prefill},
          {"requests_per_minute", f.requests_per_minute},
          {"continuation_overlap_tokens", f.continuation_overlap_tokens},
          {"refuse", f.refuse},
          {"outage", {{"start_s", f.outage.start_s}, {"duration_s", f.outage.duration_s}, {"mode", f.outage.mode}}}};
}

}  // namespace katara::sim
