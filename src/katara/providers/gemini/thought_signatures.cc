#include "katara/providers/gemini/thought_signatures.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace katara::providers::gemini {

namespace {

constexpr std::size_t kMaxEntries = 4096;
constexpr std::size_t kMaxBytes = 16u << 20;

struct Store {
  std::mutex mutex;
  std::unordered_map<std::string, std::string> by_id;
  std::deque<std::string> order;  // ids, oldest first
  std::size_t bytes = 0;
};

Store& store() {
  static Store s;
  return s;
}

}  // namespace

void rememberThoughtSignature(std::string_view call_id, std::string_view signature) {
  if (call_id.empty() || signature.empty() || signature.size() > kMaxBytes) return;
  auto& s = store();
  std::lock_guard lock(s.mutex);
  auto [it, inserted] = s.by_id.try_emplace(std::string(call_id), signature);
  if (!inserted) {
    s.bytes -= it->second.size();
    it->second = signature;
  } else {
    s.order.emplace_back(call_id);
  }
  s.bytes += signature.size();
  while (s.by_id.size() > kMaxEntries || s.bytes > kMaxBytes) {
    auto oldest = s.by_id.find(s.order.front());
    s.bytes -= oldest->second.size();
    s.by_id.erase(oldest);
    s.order.pop_front();
  }
}

std::optional<std::string> thoughtSignatureOf(std::string_view call_id) {
  auto& s = store();
  std::lock_guard lock(s.mutex);
  auto it = s.by_id.find(std::string(call_id));
  if (it == s.by_id.end()) return std::nullopt;
  return it->second;
}

}  // namespace katara::providers::gemini
