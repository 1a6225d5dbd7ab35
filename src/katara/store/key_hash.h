#pragma once
#include <string>
#include <string_view>

namespace katara::store {

// How the request log keeps a client's API key: "sha256:" and the first 16 hex digits of its
// SHA-256 — enough to tell keys apart and filter by, useless for recovering the key. "" for none.
std::string hashedKey(std::string_view key);

}  // namespace katara::store
