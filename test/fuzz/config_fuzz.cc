// Configuration text: never a crash, only errors with paths.
#include <cstdint>
#include <string>

#include "katara/config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto r = katara::config::parseConfig(std::string(reinterpret_cast<const char*>(data), size));
  if (!r.config && r.errors.empty()) __builtin_trap();
  return 0;
}
