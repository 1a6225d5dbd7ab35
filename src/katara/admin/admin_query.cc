#include "katara/admin/admin_query.h"

#include <boost/url/parse.hpp>

#include <charconv>

#include "katara/store/key_hash.h"

namespace katara::admin {

namespace {

constexpr std::int64_t kMaxSpanMs = 3650LL * 24 * 3600 * 1000;
constexpr int kMaxLimit = 500;

std::optional<std::int64_t> parseInt(std::string_view text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || p != end) return std::nullopt;
  return v;
}

// A point in time: unix ms (13 digits and more), or an age before now.
std::optional<std::int64_t> parseTime(std::string_view text, std::int64_t now_ms) {
  if (text.size() >= 12) {
    if (auto ms = parseInt(text); ms && *ms > 0) return ms;
  }
  if (auto span = parseSpan(text)) return now_ms - *span;
  return std::nullopt;
}

template <typename Visit>
std::string forEachParam(std::string_view target, Visit visit) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return "the request target is not a valid URL";
  for (auto param : url->params()) {
    if (auto error = visit(std::string(param.key), std::string(param.value)); !error.empty()) return error;
  }
  return {};
}

}  // namespace

std::optional<std::int64_t> parseSpan(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  switch (text.back()) {
    case 's': unit = 1000; break;
    case 'm': unit = 60 * 1000; break;
    case 'h': unit = 3600 * 1000; break;
    case 'd': unit = 24 * 3600 * 1000; break;
    default: break;
  }
  if (unit != 1) text.remove_suffix(1);
  const auto n = parseInt(text);
  if (!n || *n <= 0 || *n > kMaxSpanMs / unit) return std::nullopt;
  return *n * unit;
}

std::variant<store::RequestFilter, std::string> requestFilterOf(std::string_view target, std::int64_t now_ms) {
  store::RequestFilter f;
  auto error = forEachParam(target, [&](const std::string& key, const std::string& value) -> std::string {
    if (key == "since" || key == "until") {
      auto t = parseTime(value, now_ms);
      if (!t) return key + ": expected unix milliseconds or an age such as 15m, 1h or 7d, got \"" + value + "\"";
      (key == "since" ? f.since_ms : f.until_ms) = *t;
    } else if (key == "alias") {
      f.alias = value;
    } else if (key == "provider") {
      f.provider = value;
    } else if (key == "status") {
      if (value.size() == 3 && value[0] >= '1' && value[0] <= '5' && value.substr(1) == "xx") {
        f.status_class = value[0] - '0';
      } else if (auto code = parseInt(value); code && *code >= 100 && *code <= 599) {
        f.status = static_cast<int>(*code);
      } else {
        return "status: expected a status code (502) or class (5xx), got \"" + value + "\"";
      }
    } else if (key == "key") {
      f.key_hash = value.rfind("sha256:", 0) == 0 ? value : store::hashedKey(value);
    } else if (key == "limit") {
      auto n = parseInt(value);
      if (!n || *n < 1 || *n > kMaxLimit) return "limit: expected 1 to " + std::to_string(kMaxLimit) + ", got \"" + value + "\"";
      f.limit = static_cast<int>(*n);
    } else if (key == "cursor") {
      auto n = parseInt(value);
      if (!n || *n < 1) return "cursor: expected the next_cursor of a previous page, got \"" + value + "\"";
      f.before = *n;
    } else {
      return "unknown parameter \"" + key + "\" (since, until, alias, provider, status, key, limit, cursor)";
    }
    return {};
  });
  if (!error.empty()) return error;
  return f;
}

std::variant<store::StatsQuery, std::string> statsQueryOf(std::string_view target, std::int64_t now_ms) {
  store::StatsQuery q;
  std::optional<std::int64_t> since, until, window;
  auto error = forEachParam(target, [&](const std::string& key, const std::string& value) -> std::string {
    if (key == "since" || key == "until") {
      auto t = parseTime(value, now_ms);
      if (!t) return key + ": expected unix milliseconds or an age such as 15m, 1h or 7d, got \"" + value + "\"";
      (key == "since" ? since : until) = *t;
    } else if (key == "window" || key == "step") {
      auto span = parseSpan(value);
      if (!span) return key + ": expected a span such as 30s, 5m, 1h or 1d, got \"" + value + "\"";
      if (key == "window") window = *span;
      else q.step_ms = *span;
    } else {
      return "unknown parameter \"" + key + "\" (window, since, until, step)";
    }
    return {};
  });
  if (!error.empty()) return error;
  if (window && since) return std::string("give window or since, not both");
  q.until_ms = until.value_or(now_ms + 1);
  q.since_ms = since.value_or(q.until_ms - window.value_or(3600 * 1000));
  if (q.since_ms >= q.until_ms) return std::string("since must be before until");
  if (q.step_ms && (q.until_ms - q.since_ms) / q.step_ms > 2000) return std::string("step: at most 2000 points per query");
  return q;
}

}  // namespace katara::admin
