#include "katara/store/request_log.h"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "katara/core/thread_name.h"
#include "katara/store/trace_json.h"

namespace katara::store {

namespace {

// How often an idle journal thread looks whether the journal can go back into the store, and
// how long it waits after a replay the store refused.
constexpr auto kReplayCheck = std::chrono::seconds(1);
constexpr auto kReplayBackoff = std::chrono::seconds(10);

std::int64_t unixMsNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

RequestLog::RequestLog(RequestStore& store, LogSettings settings) : store_(store), settings_(std::move(settings)) {}

RequestLog::~RequestLog() { close(); }

std::int64_t RequestLog::replayJournal() {
  std::ifstream in(settings_.journal_path);
  if (!in) return 0;
  std::vector<core::RequestTrace> rows;
  std::string line;
  std::int64_t torn = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (auto t = traceFromJson(line)) rows.push_back(std::move(*t));
    else ++torn;
  }
  in.close();
  if (torn) spdlog::warn("request log: {} unreadable line(s) in {} skipped (a write cut by a crash)", torn, settings_.journal_path);
  std::size_t done = 0;
  std::string error;
  while (done < rows.size()) {
    const auto n = std::min(settings_.batch_rows, rows.size() - done);
    const std::vector<core::RequestTrace> batch(rows.begin() + static_cast<std::ptrdiff_t>(done),
                                                rows.begin() + static_cast<std::ptrdiff_t>(done + n));
    if (!store_.write(batch, error)) break;
    done += n;
  }
  // What was written leaves the journal; what was not stays for the next try.
  if (done == rows.size()) {
    std::remove(settings_.journal_path.c_str());
    counters_.journaled = 0;
  } else {
    spdlog::error("request log: replaying {} stopped after {} of {} rows: {}", settings_.journal_path, done, rows.size(), error);
    std::ofstream rest(settings_.journal_path, std::ios::trunc);
    for (std::size_t i = done; i < rows.size(); ++i) rest << boost::json::serialize(toJson(rows[i])) << '\n';
    counters_.journaled = static_cast<std::int64_t>(rows.size() - done);
  }
  counters_.replayed += static_cast<std::int64_t>(done);
  if (done) spdlog::info("request log: replayed {} rows from {}", done, settings_.journal_path);
  return static_cast<std::int64_t>(done);
}

void RequestLog::start() {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  writer_ = std::thread([this] {
    core::nameThisThread("katara-store");
    writerLoop();
  });
  journal_ = std::thread([this] {
    core::nameThisThread("katara-journal");
    journalLoop();
  });
}

void RequestLog::append(core::RequestTrace trace) {
  std::lock_guard lock(mutex_);
  ++counters_.appended;
  if (queue_.size() < settings_.queue_rows && !stopping_) {
    queue_.push_back(std::move(trace));
    counters_.queued = static_cast<std::int64_t>(queue_.size());
    if (queue_.size() >= settings_.batch_rows) wake_writer_.notify_one();
    return;
  }
  // The store is behind: the journal keeps the row (or, after close(), nothing writes it).
  overflow_.push_back(std::move(trace));
  ++counters_.spilled;
  wake_journal_.notify_one();
}

namespace {

// One JSON line per row, flushed and synced: journaled rows must survive the crash an overload
// may end in. False when any of it failed to reach the file.
bool appendLines(std::FILE* file, const std::vector<core::RequestTrace>& rows) {
  for (const auto& r : rows) {
    const auto line = boost::json::serialize(toJson(r));
    if (std::fwrite(line.data(), 1, line.size(), file) != line.size() || std::fputc('\n', file) == EOF) return false;
  }
  return std::fflush(file) == 0 && ::fdatasync(fileno(file)) == 0;
}

}  // namespace

void RequestLog::spill(std::vector<core::RequestTrace>& rows) {
  counters_.spilled += static_cast<std::int64_t>(rows.size());
  for (auto& r : rows) overflow_.push_back(std::move(r));
  rows.clear();
  wake_journal_.notify_one();
}

void RequestLog::writerLoop() {
  auto next_prune = std::chrono::steady_clock::now();
  std::vector<core::RequestTrace> taken;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_writer_.wait_for(lock, settings_.flush_interval,
                          [&] { return stopping_ || queue_.size() >= settings_.batch_rows; });
    if (!queue_.empty()) {
      taken.clear();
      taken.swap(queue_);
      queue_.reserve(settings_.batch_rows);
      counters_.queued = 0;
      lock.unlock();
      // Up to batch_rows per transaction; what a failed one held goes to the journal.
      std::vector<core::RequestTrace> failed;
      for (std::size_t at = 0; at < taken.size(); at += settings_.batch_rows) {
        const auto end = std::min(taken.size(), at + settings_.batch_rows);
        const std::vector<core::RequestTrace> batch(std::make_move_iterator(taken.begin() + static_cast<std::ptrdiff_t>(at)),
                                                    std::make_move_iterator(taken.begin() + static_cast<std::ptrdiff_t>(end)));
        std::string error;
        if (store_.write(batch, error)) {
          counters_.written += static_cast<std::int64_t>(batch.size());
          store_healthy_ = true;
          continue;
        }
        store_healthy_ = false;
        ++counters_.write_errors;
        spdlog::error("request log: writing {} rows failed ({}): they go to {}", batch.size(), error, settings_.journal_path);
        failed.insert(failed.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
      }
      lock.lock();
      if (!failed.empty()) spill(failed);
      continue;  // more may be waiting
    }
    if (stopping_) break;
    const auto now = std::chrono::steady_clock::now();
    const bool retention = settings_.retention.max_age_ms > 0 || settings_.retention.max_bytes > 0;
    if (retention && now >= next_prune) {
      next_prune = now + settings_.prune_interval;
      lock.unlock();
      const auto pruned = store_.prune(settings_.retention, unixMsNow());
      lock.lock();
      counters_.pruned += pruned;
    }
  }
}

void RequestLog::journalLoop() {
  std::FILE* file = nullptr;
  auto next_replay = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_journal_.wait_for(lock, kReplayCheck, [&] { return journal_stopping_ || !overflow_.empty(); });
    if (overflow_.empty()) {
      if (journal_stopping_) break;  // and nothing left
      // Idle, with rows in the journal, and the store taking writes again with room to spare:
      // the journal goes back into the store now, not only at the next start.
      const auto now = std::chrono::steady_clock::now();
      if (counters_.journaled > 0 && store_healthy_ && queue_.size() < settings_.queue_rows / 2 && now >= next_replay) {
        lock.unlock();
        if (file) std::fclose(file);
        file = nullptr;  // reopened (created anew) by the next spill
        replayJournal();
        lock.lock();
        if (counters_.journaled > 0) next_replay = now + kReplayBackoff;
      }
      continue;
    }
    std::vector<core::RequestTrace> rows;
    rows.swap(overflow_);
    lock.unlock();
    if (!file) file = std::fopen(settings_.journal_path.c_str(), "a");
    if (!file || !appendLines(file, rows)) {
      // Nowhere left to keep them (the disk is full, the directory unwritable): said loudly and
      // counted, never silently.
      spdlog::critical("request log: cannot write {}: {}: {} rows lost", settings_.journal_path, std::strerror(errno),
                       rows.size());
      counters_.lost += static_cast<std::int64_t>(rows.size());
      if (file) std::fclose(file);
      file = nullptr;  // opened anew for the next rows
    } else {
      counters_.journaled += static_cast<std::int64_t>(rows.size());
    }
    lock.lock();
  }
  if (file) std::fclose(file);
}

void RequestLog::close() {
  {
    std::lock_guard lock(mutex_);
    const bool running = started_ && !stopping_;
    stopping_ = true;
    if (!running) return;
    wake_writer_.notify_one();
  }
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard lock(mutex_);
    journal_stopping_ = true;
    wake_journal_.notify_one();
  }
  if (journal_.joinable()) journal_.join();
}

}  // namespace katara::store
