#include "katara/admin/stats_json.h"

#include <boost/json.hpp>

namespace katara::admin {

namespace json = boost::json;

namespace {

json::value orNull(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object trafficJson(const store::TrafficPoint& p) {
  return {{"unix_ms", p.unix_ms},         {"requests", p.requests},   {"errors", p.errors},
          {"failovers", p.failovers},     {"retries", p.retries},     {"hedges", p.hedges},
          {"continuations", p.continuations}, {"cost_usd", p.cost_usd}};
}

}  // namespace

std::string statsJson(const store::StatsQuery& query, const store::Stats& stats, const store::LogCounters& log) {
  json::array out;
  for (const auto& t : stats.targets) {
    json::object o{{"provider", t.provider},
                   {"model", t.model},
                   {"attempts", t.attempts},
                   {"errors", t.errors},
                   {"error_rate", t.attempts ? static_cast<double>(t.errors) / static_cast<double>(t.attempts) : 0.0},
                   {"served", t.served},
                   {"latency_p50_ms", orNull(t.latency_p50_ms)},
                   {"latency_p95_ms", orNull(t.latency_p95_ms)},
                   {"ttft_p50_ms", orNull(t.ttft_p50_ms)},
                   {"ttft_p95_ms", orNull(t.ttft_p95_ms)},
                   {"input_tokens", t.input_tokens},
                   {"output_tokens", t.output_tokens},
                   {"cost_usd", t.cost_usd}};
    if (query.step_ms) {
      json::array series;
      for (const auto& p : t.series) {
        series.push_back(json::object{{"unix_ms", p.unix_ms},
                                      {"attempts", p.attempts},
                                      {"errors", p.errors},
                                      {"latency_p95_ms", orNull(p.latency_p95_ms)},
                                      {"ttft_p95_ms", orNull(p.ttft_p95_ms)},
                                      {"cost_usd", p.cost_usd}});
      }
      o["series"] = std::move(series);
    }
    out.push_back(std::move(o));
  }
  json::object body{{"since_ms", query.since_ms},
                    {"until_ms", query.until_ms},
                    {"step_ms", query.step_ms},
                    {"targets", std::move(out)},
                    {"totals", trafficJson(stats.totals)},
                    {"log", {{"queued", log.queued.load()}, {"written", log.written.load()},
                             {"spilled", log.spilled.load()}, {"journaled", log.journaled.load()},
                             {"lost", log.lost.load()}, {"write_errors", log.write_errors.load()}}}};
  if (query.step_ms) {
    json::array traffic;
    for (const auto& p : stats.traffic) traffic.push_back(trafficJson(p));
    body["traffic"] = std::move(traffic);
  }
  return json::serialize(body);
}

}  // namespace katara::admin
