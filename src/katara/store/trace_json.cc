#include "katara/store/trace_json.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <ctime>

#include "katara/core/json_access.h"

namespace katara::store {

namespace json = boost::json;

namespace {

json::object usageJson(const core::Usage& u) {
  return {{"input_tokens", u.input_tokens},         {"output_tokens", u.output_tokens},
          {"cache_read_tokens", u.cache_read_tokens}, {"cache_write_tokens", u.cache_write_tokens},
          {"reasoning_tokens", u.reasoning_tokens}};
}

core::Usage usageFrom(const json::object& o) {
  core::Usage u;
  u.input_tokens = core::intOr(o, "input_tokens", 0);
  u.output_tokens = core::intOr(o, "output_tokens", 0);
  u.cache_read_tokens = core::intOr(o, "cache_read_tokens", 0);
  u.cache_write_tokens = core::intOr(o, "cache_write_tokens", 0);
  u.reasoning_tokens = core::intOr(o, "reasoning_tokens", 0);
  return u;
}

bool boolOr(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

std::optional<double> doubleAt(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

std::optional<std::int64_t> intAt(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !(v->is_int64() || v->is_uint64())) return std::nullopt;
  return core::intOr(o, key, 0);
}

json::object attemptJson(const core::AttemptTrace& a) {
  json::object o{{"provider", a.provider},
                 {"provider_kind", a.provider_kind},
                 {"model", a.model},
                 {"outcome", core::toString(a.kind)},
                 {"status", a.status},
                 {"start_us", a.start_us},
                 {"duration_us", a.duration_us}};
  if (!a.message.empty()) o["message"] = a.message;
  if (a.first_token_us) o["first_token_us"] = *a.first_token_us;
  if (a.translated) o["translated"] = true;
  if (a.continued) o["continued"] = true;
  if (a.hedge) o["hedge"] = true;
  if (a.tokens_per_second) o["tokens_per_second"] = *a.tokens_per_second;
  if (a.usage) o["usage"] = usageJson(*a.usage);
  if (a.usage_estimated) o["usage_estimated"] = true;
  if (a.cost_usd) o["cost_usd"] = *a.cost_usd;
  return o;
}

core::AttemptTrace attemptFrom(const json::object& o) {
  core::AttemptTrace a;
  a.provider = core::strOr(o, "provider");
  a.provider_kind = core::strOr(o, "provider_kind");
  a.model = core::strOr(o, "model");
  a.kind = core::kindFromString(core::strOr(o, "outcome")).value_or(core::UpstreamErrorKind::Ok);
  a.status = static_cast<int>(core::intOr(o, "status", 0));
  a.message = core::strOr(o, "message");
  a.start_us = core::intOr(o, "start_us", 0);
  a.duration_us = core::intOr(o, "duration_us", 0);
  a.first_token_us = intAt(o, "first_token_us");
  a.translated = boolOr(o, "translated");
  a.continued = boolOr(o, "continued");
  a.hedge = boolOr(o, "hedge");
  a.tokens_per_second = doubleAt(o, "tokens_per_second");
  if (const auto* u = core::objectAt(o, "usage")) a.usage = usageFrom(*u);
  a.usage_estimated = boolOr(o, "usage_estimated");
  a.cost_usd = doubleAt(o, "cost_usd");
  return a;
}

}  // namespace

std::string isoTime(std::int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(unix_ms % 1000));
  return buf;
}

json::object toJson(const core::RequestTrace& t) {
  json::object o{{"id", t.id},
                 {"time", isoTime(t.unix_ms)},
                 {"unix_ms", t.unix_ms},
                 {"key_hash", t.key_hash},
                 {"method", t.method},
                 {"path", t.path},
                 {"operation", t.operation},
                 {"api", t.api},
                 {"alias", t.alias},
                 {"stream", t.stream},
                 {"status", t.status},
                 {"duration_us", t.duration_us},
                 {"overhead_us", t.overhead_us},
                 {"usage", usageJson(t.usage)},
                 {"cost_usd", t.cost_usd},
                 {"retries", t.retries},
                 {"failovers", t.failovers},
                 {"hedges", t.hedges},
                 {"continuations", t.continuations}};
  if (!t.error.empty()) o["error"] = t.error;
  if (t.first_token_us) o["first_token_us"] = *t.first_token_us;
  if (t.served_attempt >= 0 && static_cast<std::size_t>(t.served_attempt) < t.attempts.size()) {
    const auto& served = t.attempts[static_cast<std::size_t>(t.served_attempt)];
    o["provider"] = served.provider;
    o["model"] = served.model;
    o["served_attempt"] = t.served_attempt;
  }
  if (t.usage_estimated) o["usage_estimated"] = true;
  if (t.cost_estimated) o["cost_estimated"] = true;
  if (t.unpriced) o["unpriced"] = true;
  if (t.stream_broken) o["stream_broken"] = true;
  json::array attempts;
  for (const auto& a : t.attempts) attempts.push_back(attemptJson(a));
  o["attempts"] = std::move(attempts);
  if (!t.request_body.empty()) o["request_body"] = t.request_body;
  if (!t.response_body.empty()) o["response_body"] = t.response_body;
  return o;
}

std::optional<core::RequestTrace> traceFromJson(std::string_view line) {
  boost::system::error_code ec;
  auto v = json::parse(line, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  core::RequestTrace t;
  t.id = core::strOr(o, "id");
  if (t.id.empty()) return std::nullopt;
  t.unix_ms = core::intOr(o, "unix_ms", 0);
  t.key_hash = core::strOr(o, "key_hash");
  t.method = core::strOr(o, "method");
  t.path = core::strOr(o, "path");
  t.operation = core::strOr(o, "operation");
  t.api = core::strOr(o, "api");
  t.alias = core::strOr(o, "alias");
  t.stream = boolOr(o, "stream");
  t.status = static_cast<int>(core::intOr(o, "status", 0));
  t.error = core::strOr(o, "error");
  t.duration_us = core::intOr(o, "duration_us", 0);
  t.first_token_us = intAt(o, "first_token_us");
  t.overhead_us = core::intOr(o, "overhead_us", 0);
  if (const auto* u = core::objectAt(o, "usage")) t.usage = usageFrom(*u);
  t.usage_estimated = boolOr(o, "usage_estimated");
  t.cost_usd = doubleAt(o, "cost_usd").value_or(0);
  t.cost_estimated = boolOr(o, "cost_estimated");
  t.unpriced = boolOr(o, "unpriced");
  t.retries = static_cast<int>(core::intOr(o, "retries", 0));
  t.failovers = static_cast<int>(core::intOr(o, "failovers", 0));
  t.hedges = static_cast<int>(core::intOr(o, "hedges", 0));
  t.continuations = static_cast<int>(core::intOr(o, "continuations", 0));
  t.stream_broken = boolOr(o, "stream_broken");
  if (const auto* attempts = core::arrayAt(o, "attempts")) {
    for (const auto& a : *attempts) {
      if (a.is_object()) t.attempts.push_back(attemptFrom(a.as_object()));
    }
  }
  const auto served = core::intOr(o, "served_attempt", -1);
  t.served_attempt = served >= 0 && static_cast<std::size_t>(served) < t.attempts.size() ? static_cast<int>(served) : -1;
  t.request_body = core::strOr(o, "request_body");
  t.response_body = core::strOr(o, "response_body");
  return t;
}

}  // namespace katara::store
