#pragma once
// How many connections are open to each upstream origin, over every worker's pool: a worker
// counts a connection when it opens and when it closes (rare next to requests); /metrics reads
// the totals.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace katara::http {

class ConnectionCounts {
 public:
  // The counter of `origin` ("host:port"), created on first use; it lives as long as this.
  std::atomic<std::int64_t>* slot(const std::string& origin) {
    std::lock_guard lock(mutex_);
    auto& counter = counts_[origin];
    if (!counter) counter = std::make_unique<std::atomic<std::int64_t>>(0);
    return counter.get();
  }
  std::vector<std::pair<std::string, std::int64_t>> snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& [origin, counter] : counts_) out.emplace_back(origin, counter->load(std::memory_order_relaxed));
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<std::atomic<std::int64_t>>> counts_;
};

}  // namespace katara::http
