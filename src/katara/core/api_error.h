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
};

}  // namespace katara::core
