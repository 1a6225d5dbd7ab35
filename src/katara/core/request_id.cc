#include "katara/core/request_id.h"

#include <chrono>
#include <random>

namespace katara::core {

std::string randomHex(std::size_t digits) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digits, '0');
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (i % 16 == 0) bits = rng();
    out[i] = kHex[bits & 0xf];
    bits >>= 4;
  }
  return out;
}

std::string newRequestId() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string out = "req_";
  out.resize(28);  // one allocation: "req_", 12 digits of time, 12 random ones
  for (int i = 0; i < 12; ++i) out[4 + static_cast<std::size_t>(i)] = kHex[(static_cast<std::uint64_t>(ms) >> (44 - 4 * i)) & 0xf];
  std::uint64_t bits = rng();
  for (std::size_t i = 16; i < 28; ++i, bits >>= 4) out[i] = kHex[bits & 0xf];
  return out;
}

}  // namespace katara::core
