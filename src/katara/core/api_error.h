#pragma once
#include <optional>
#include <string>

namespace katara::core {

// An error to show a client, in neutral fields every API format can carry.
struct ApiError {
  int status = 400;
  std::string message;
  std::string type = "invalid_request_error";
  std::optional<std::string> param;
  std::optional<std::string> code;
  // The request's id, for formats whose error bodies carry it (Anthropic's `request_id`).
  std::string request_id = {};  // (a default member initializer: brace-inits may leave it out)
};

}  // namespace katara::core
