#pragma once
#include <string>

namespace katara::core {

// A fresh request id ("req_" + 24 hex digits), unique enough to correlate logs across nodes.
// Thread-safe: each thread draws from its own generator.
std::string newRequestId();

// Random lowercase hex of the given length, from the calling thread's generator.
std::string randomHex(std::size_t digits);

}  // namespace katara::core
