#include "katara/app/request_shape.h"

#include <charconv>
#include <cmath>

namespace katara::app {

std::variant<routing::RequestShape, core::ApiError> requestShape(const http::Request& request, bool stream,
                                                                 std::optional<std::int64_t> max_tokens) {
  routing::RequestShape shape;
  shape.stream = stream;
  shape.prompt_tokens = static_cast<std::int64_t>(request.body.size() / 4);  // the documented estimate
  shape.output_tokens = max_tokens.value_or(routing::kAssumedOutputTokens);
  if (auto name = request.header("x-katara-strategy"); !name.empty()) {
    auto strategy = config::parseStrategy(name);
    if (!strategy) {
      return core::ApiError{400, "x-katara-strategy: unknown strategy \"" + std::string(name) + "\" (supported: " +
                                     config::strategyNames() + ")",
                            "invalid_request_error", std::string("x-katara-strategy"), std::nullopt};
    }
    shape.strategy = strategy;
  }
  if (auto text = request.header("x-katara-max-cost-usd"); !text.empty()) {
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v < 0) {
      return core::ApiError{400, "x-katara-max-cost-usd: expected a non-negative number of US dollars, got \"" +
                                     std::string(text) + "\"",
                            "invalid_request_error", std::string("x-katara-max-cost-usd"), std::nullopt};
    }
    shape.max_cost_usd = v;
  }
  return shape;
}

}  // namespace katara::app
