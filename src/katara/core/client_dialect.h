#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace katara::core {

// An error to show a client, in neutral fields every API format can carry.
struct ApiError {
  int status = 400;
  std::string message;
  std::string type = "invalid_request_error";
  std::optional<std::string> param;
  std::optional<std::string> code;
};

// How the client's wire format says what the gateway itself must say: an error response, an
// in-band error inside a stream that already started, and the stream's end marker.
// Implemented per front door in api/; used by routing without knowing the format.
class ClientDialect {
 public:
  virtual ~ClientDialect() = default;
  virtual std::string errorBody(const ApiError& error) const = 0;
  virtual std::string streamError(const ApiError& error) const = 0;
  virtual std::string_view streamEnd() const = 0;
};

}  // namespace katara::core
