#pragma once
// The cells a worker records into. Each is written by its own worker only and read by the
// scrape from another thread: a relaxed load and store, no read-modify-write, no lock — the
// hot path pays for a plain add; the scrape sums the workers' cells.
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

namespace katara::telemetry {

class Counter {
 public:
  void add(std::uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

class Sum {
 public:
  void add(double x) { v_.store(v_.load(std::memory_order_relaxed) + x, std::memory_order_relaxed); }
  double value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> v_{0};
};

// Up-down: in-flight requests (the worker that starts one ends it).
class Level {
 public:
  void add(std::int64_t n) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  std::int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> v_{0};
};

// Counts per bucket (not cumulative; the exposition accumulates) and the sum of what was seen.
class Histogram {
 public:
  void init(std::span<const double> bounds) {
    bounds_ = bounds;
    buckets_ = std::make_unique<Counter[]>(bounds.size() + 1);
  }
  void observe(double x) {
    std::size_t i = 0;
    while (i < bounds_.size() && x > bounds_[i]) ++i;
    buckets_[i].add();
    sum_.add(x);
  }
  // Bucket counts already gathered elsewhere (a stream's event gaps), on the same bounds.
  void merge(std::span<const std::uint32_t> counts, double sum) {
    for (std::size_t i = 0; i < counts.size() && i <= bounds_.size(); ++i) {
      if (counts[i]) buckets_[i].add(counts[i]);
    }
    sum_.add(sum);
  }
  std::span<const double> bounds() const { return bounds_; }
  std::uint64_t bucket(std::size_t i) const { return buckets_[i].value(); }
  double sum() const { return sum_.value(); }

 private:
  std::span<const double> bounds_;
  std::unique_ptr<Counter[]> buckets_;
  Sum sum_;
};

}  // namespace katara::telemetry
