#include "katara/app/client_key.h"

namespace katara::app {

std::string_view presentedKey(const http::Request& request) {
  std::string_view presented = request.header("authorization");
  if (presented.size() > 7 && (presented.substr(0, 7) == "Bearer " || presented.substr(0, 7) == "bearer ")) {
    return presented.substr(7);
  }
  return request.header("x-api-key");
}

}  // namespace katara::app
