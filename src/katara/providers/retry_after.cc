#include "katara/providers/retry_after.h"

#include <charconv>

namespace katara::providers {

namespace {

// A non-negative decimal number (fractions allowed: "1.5"), or -1.
double number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.find_first_not_of("0123456789.") != std::string_view::npos) return -1;
  double v = -1;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && p == text.data() + text.size() ? v : -1;
}

}  // namespace

std::chrono::milliseconds retryAfter(const http::Headers& headers) {
  constexpr double kCapMs = 3600.0 * 1000;
  double ms = number(http::findHeader(headers, "retry-after-ms"));
  if (ms < 0) {
    double s = number(http::findHeader(headers, "retry-after"));
    ms = s < 0 ? 0 : s * 1000;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(ms, kCapMs)));
}

std::string describeRetryAfter(std::chrono::milliseconds wait) {
  if (wait.count() <= 0) return {};
  if (wait.count() % 1000 == 0) return " (retry after " + std::to_string(wait.count() / 1000) + " s)";
  return " (retry after " + std::to_string(wait.count()) + " ms)";
}

}  // namespace katara::providers
