#pragma once
#include <string_view>

namespace katara::core {

// Compares secrets (API keys) in time that depends only on their length, not on where they differ.
inline bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// True when `presented` is one of `keys`; every key is compared, in constant time each.
template <typename Keys>
bool matchesAnyKey(std::string_view presented, const Keys& keys) {
  bool ok = false;
  for (const auto& key : keys) ok |= constantTimeEquals(presented, key);
  return ok;
}

}  // namespace katara::core
