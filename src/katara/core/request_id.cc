#include "katara/core/request_id.h"

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

std::string newRequestId() { return "req_" + randomHex(24); }

}  // namespace katara::core
