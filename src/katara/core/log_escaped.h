#pragma once
#include <spdlog/spdlog.h>

#include <exception>

namespace katara::core {

// A co_spawn completion handler: an exception that escapes the coroutine is logged with `what`
// (it would otherwise vanish with the detached coroutine).
inline auto logEscapedException(const char* what) {
  return [what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("{}: {}", what, ex.what());
    } catch (...) {
      spdlog::error("{}: unknown exception", what);
    }
  };
}

}  // namespace katara::core
