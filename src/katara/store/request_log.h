#pragma once
// The request log's writer: workers hand their rows over without waiting, a store thread writes
// them to the store in batches, and rows the store cannot take in time are kept in a journal
// file instead of being dropped. The journal goes back into the store at start-up, and while
// running as soon as the store takes writes again and the journal thread is idle.
//
// What a crash loses: the rows still queued in memory, at most one flush interval's worth in
// normal running. A graceful close() loses nothing: the queue is written (or journaled) first.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "katara/store/request_store.h"

namespace katara::store {

struct LogSettings {
  std::chrono::milliseconds flush_interval{200};  // the longest a row waits in memory
  std::size_t batch_rows = 256;                   // the most rows one transaction writes (about a millisecond)
  std::size_t queue_rows = 20000;                 // rows waiting before new ones go to the journal
  std::string journal_path;                       // the overflow file (JSON lines)
  Retention retention;
  std::chrono::milliseconds prune_interval{60000};
};

struct LogCounters {
  std::atomic<std::int64_t> appended{0};
  std::atomic<std::int64_t> written{0};       // rows the store took
  std::atomic<std::int64_t> spilled{0};       // rows handed to the journal (queue full, or a failed write)
  std::atomic<std::int64_t> journaled{0};     // ... that the journal file holds now
  std::atomic<std::int64_t> lost{0};          // ... that could not be written to it either (disk full)
  std::atomic<std::int64_t> replayed{0};      // journal rows written to the store at start-up
  std::atomic<std::int64_t> write_errors{0};  // failed store transactions
  std::atomic<std::int64_t> pruned{0};        // rows deleted by retention
  std::atomic<std::int64_t> queued{0};        // rows waiting in memory now
};

class RequestLog {
 public:
  RequestLog(RequestStore& store, LogSettings settings);
  ~RequestLog();
  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;

  // Writes the journal's rows into the store and removes it (what the store refuses stays);
  // how many went. Before start(), or on the journal thread (which alone appends to it).
  std::int64_t replayJournal();
  void start();
  // From any thread; never waits for the store.
  void append(core::RequestTrace trace);
  // Writes every row appended so far (the journal takes what the store refuses), then stops.
  void close();

  const LogCounters& counters() const { return counters_; }
  RequestStore& store() { return store_; }

 private:
  void writerLoop();
  void journalLoop();
  void spill(std::vector<core::RequestTrace>& rows);  // with mutex_ held

  RequestStore& store_;
  LogSettings settings_;
  LogCounters counters_;
  std::mutex mutex_;
  std::condition_variable wake_writer_, wake_journal_;
  // Swapped out whole by the thread that takes them: a worker's append is one push_back.
  std::vector<core::RequestTrace> queue_, overflow_;
  bool stopping_ = false, journal_stopping_ = false, started_ = false;
  std::atomic<bool> store_healthy_{true};  // the store's last transaction went through
  std::thread writer_, journal_;
};

}  // namespace katara::store
