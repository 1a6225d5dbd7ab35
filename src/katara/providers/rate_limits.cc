#include "katara/providers/rate_limits.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <string>

namespace katara::providers {

namespace {

// No provider's window is longer than a day; anything beyond is a broken header.
constexpr std::int64_t kLongestResetMs = 24 * 3600 * 1000;

std::optional<std::int64_t> integer(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

// "2026-12-01T16:30:00Z" (seconds, optional fraction, Z or ±hh:mm) → seconds since the epoch.
std::optional<std::int64_t> parseRfc3339(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  const std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  if (tm.tm_year < 1970 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    rest.remove_prefix(n);
  }
  long offset = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-')) {
    const auto h = integer(rest.substr(1, 2)), m = integer(rest.substr(4, 2));
    if (!h || !m) return std::nullopt;
    offset = (rest[0] == '+' ? 1 : -1) * (*h * 3600 + *m * 60);
  } else if (rest != "Z" && rest != "z") {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

}  // namespace

std::optional<std::chrono::milliseconds> parseResetDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total_ms = 0;
  while (!text.empty()) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || !(v >= 0) || v > static_cast<double>(kLongestResetMs)) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (text.rfind("ms", 0) == 0) total_ms += v, text.remove_prefix(2);
    else if (text.rfind("s", 0) == 0) total_ms += v * 1000, text.remove_prefix(1);
    else if (text.rfind("m", 0) == 0) total_ms += v * 60000, text.remove_prefix(1);
    else if (text.rfind("h", 0) == 0) total_ms += v * 3600000, text.remove_prefix(1);
    else return std::nullopt;
    if (total_ms > static_cast<double>(kLongestResetMs)) return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total_ms));
}

std::optional<RateLimitPressure> readRateLimits(const http::Headers& headers, std::chrono::system_clock::time_point now) {
  std::optional<RateLimitPressure> worst;
  auto consider = [&](std::string_view limit_h, std::string_view remaining_h, std::string_view reset_h, bool rfc3339) {
    const auto limit = integer(http::findHeader(headers, limit_h));
    const auto remaining = integer(http::findHeader(headers, remaining_h));
    if (!limit || !remaining || *limit == 0) return;
    RateLimitPressure p;
    p.remaining_share = static_cast<double>(*remaining) / static_cast<double>(*limit);
    p.remaining = *remaining;
    const auto reset = http::findHeader(headers, reset_h);
    if (rfc3339) {
      const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
      if (auto at = parseRfc3339(reset); at && *at > now_s && (*at - now_s) * 1000 <= kLongestResetMs) {
        p.resets_in = std::chrono::milliseconds((*at - now_s) * 1000);
      }
    } else if (auto d = parseResetDuration(reset)) {
      p.resets_in = *d;
    }
    if (!worst || p.remaining_share < worst->remaining_share) worst = p;
  };
  consider("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", false);
  consider("x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", false);
  for (const char* kind : {"requests", "tokens", "input-tokens", "output-tokens"}) {
    const std::string base = std::string("anthropic-ratelimit-") + kind;
    consider(base + "-limit", base + "-remaining", base + "-reset", true);
  }
  return worst;
}

}  // namespace katara::providers
