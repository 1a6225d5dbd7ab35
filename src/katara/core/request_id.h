#pragma once
#include <string>

namespace katara::core {

// A fresh request id: "req_", 12 hex digits of the unix time in milliseconds, 12 random ones.
// Ids sort by time (so the request log's index on them grows at its end, not at random pages)
// and are unique enough to correlate logs across nodes. Thread-safe: each thread draws from its
// own generator.
std::string newRequestId();

// Random lowercase hex of the given length, from the calling thread's generator.
std::string randomHex(std::size_t digits);

}  // namespace katara::core
