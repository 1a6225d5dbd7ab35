#pragma once
// What routing weighs of a request (routing::RequestShape), from its body's size and limits and
// the optional x-katara-strategy / x-katara-max-cost-usd headers, validated.
#include <cstdint>
#include <optional>
#include <variant>

#include "katara/core/api_error.h"
#include "katara/http/message.h"
#include "katara/routing/route_plan.h"

namespace katara::app {

// A 400 naming the header when one is malformed.
std::variant<routing::RequestShape, core::ApiError> requestShape(const http::Request& request, bool stream,
                                                                 std::optional<std::int64_t> max_tokens);

}  // namespace katara::app
