#include "katara/store/request_log.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/test_rows.h"

namespace katara::store {
namespace {

using testing::traceOf;

// A store in memory that can be held up (a slow disk) or made to fail (a full one).
class FakeStore final : public RequestStore {
 public:
  bool write(const std::vector<core::RequestTrace>& rows, std::string& error) override {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [&] { return !held_; });
    if (failing_) {
      error = "disk full";
      return false;
    }
    for (const auto& r : rows) ids_.push_back(r.id);
    return true;
  }
  RequestPage list(const RequestFilter&) override { return {}; }
  std::optional<core::RequestTrace> find(const std::string&) override { return std::nullopt; }
  Stats stats(const StatsQuery&) override { return {}; }
  std::int64_t prune(const Retention&, std::int64_t) override { return 0; }
  std::int64_t rowCount() override {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(ids_.size());
  }
  void hold(bool held) {
    {
      std::lock_guard lock(mutex_);
      held_ = held;
    }
    released_.notify_all();
  }
  void fail(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  std::vector<std::string> ids() {
    std::lock_guard lock(mutex_);
    return ids_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool held_ = false, failing_ = false;
  std::vector<std::string> ids_;
};

class RequestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = testing::tempPathFor("katara-journal-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove(journal_);
    settings_.journal_path = journal_;
    settings_.flush_interval = std::chrono::milliseconds(5);
    settings_.batch_rows = 10;
    settings_.queue_rows = 20;
  }
  void TearDown() override { std::filesystem::remove(journal_); }
  std::size_t journalLines() {
    std::ifstream in(journal_);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) n += !line.empty();
    return n;
  }
  std::string journal_;
  LogSettings settings_;
};

TEST_F(RequestLogTest, CloseWritesEveryQueuedRow) {
  FakeStore store;
  settings_.flush_interval = std::chrono::hours(1);  // only close() can write them
  RequestLog log(store, settings_);
  log.start();
  for (int i = 0; i < 15; ++i) log.append(traceOf(fmt::format("q{}", i), i));
  log.close();
  EXPECT_EQ(store.rowCount(), 15);
  EXPECT_EQ(log.counters().written, 15);
  EXPECT_FALSE(std::filesystem::exists(journal_));
}

TEST_F(RequestLogTest, AStalledStoreSpillsToTheJournalWhichIsReplayedAtStart) {
  FakeStore store;
  store.hold(true);  // the store thread blocks inside its first write
  {
    RequestLog log(store, settings_);
    log.start();
    for (int i = 0; i < 100; ++i) log.append(traceOf(fmt::format("s{}", i), i));  // never waits
    // The store thread holds what it took (at most the queue's 20), the queue 20 more: the
    // rest reach the journal.
    for (int i = 0; i < 200 && journalLines() < 60; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_GE(journalLines(), 60u);
    EXPECT_GE(log.counters().spilled, 60);
    store.hold(false);
    log.close();
    EXPECT_EQ(log.counters().written + log.counters().spilled, 100);
  }
  const auto written_before = store.rowCount();
  RequestLog restarted(store, settings_);
  const auto replayed = restarted.replayJournal();
  EXPECT_EQ(written_before + replayed, 100) << "every row reached the store, once";
  EXPECT_FALSE(std::filesystem::exists(journal_));
  auto ids = store.ids();
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
}

TEST_F(RequestLogTest, AFailedWriteGoesToTheJournalAndAReplayThatFailsKeepsIt) {
  FakeStore store;
  store.fail(true);
  {
    RequestLog log(store, settings_);
    log.start();
    for (int i = 0; i < 5; ++i) log.append(traceOf(fmt::format("f{}", i), i));
    log.close();
    EXPECT_GE(log.counters().write_errors, 1);
  }
  EXPECT_EQ(journalLines(), 5u);
  {
    RequestLog still_failing(store, settings_);
    EXPECT_EQ(still_failing.replayJournal(), 0);
    EXPECT_EQ(journalLines(), 5u) << "what the store refused stays for the next start";
  }
  store.fail(false);
  RequestLog healthy(store, settings_);
  EXPECT_EQ(healthy.replayJournal(), 5);
  EXPECT_EQ(store.rowCount(), 5);
}

// Neither the store nor the journal takes the rows: they are counted as lost, not dropped
// unseen. A journal that cannot be opened, and one on a full disk (/dev/full takes the open and
// refuses the write).
TEST_F(RequestLogTest, RowsNoJournalCanTakeAreCountedLost) {
  for (const std::string path : {"/nonexistent-katara-dir/requests.journal", "/dev/full"}) {
    FakeStore store;
    store.fail(true);
    LogSettings settings = settings_;
    settings.journal_path = path;
    RequestLog log(store, settings);
    log.start();
    for (int i = 0; i < 5; ++i) log.append(traceOf(fmt::format("l{}", i), i));
    log.close();
    EXPECT_EQ(log.counters().lost, 5) << path;
    EXPECT_EQ(log.counters().journaled, 0) << path;
  }
}

TEST_F(RequestLogTest, TheJournalGoesBackIntoTheStoreOnceItTakesWritesAgain) {
  FakeStore store;
  store.fail(true);
  RequestLog log(store, settings_);
  log.start();
  for (int i = 0; i < 5; ++i) log.append(traceOf(fmt::format("j{}", i), i));
  // The counter moves once the lines are synced (the file shows them a moment before).
  for (int i = 0; i < 200 && log.counters().journaled < 5; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(log.counters().journaled, 5);
  ASSERT_EQ(journalLines(), 5u);
  store.fail(false);
  log.append(traceOf("back", 9));  // written: the store is healthy again
  // The journal thread writes the rows, then removes the journal and counts it empty.
  for (int i = 0; i < 400 && (log.counters().journaled > 0 || store.rowCount() < 6); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(log.counters().journaled, 0);
  EXPECT_EQ(store.rowCount(), 6) << "without a restart";
  EXPECT_FALSE(std::filesystem::exists(journal_));
  log.close();
}

TEST_F(RequestLogTest, ATornLastLineIsSkipped) {
  {
    std::ofstream out(journal_);
    out << R"({"id":"whole","unix_ms":5,"attempts":[]})" << "\n" << R"({"id":"torn","unix_)";
  }
  FakeStore store;
  RequestLog log(store, settings_);
  EXPECT_EQ(log.replayJournal(), 1);
  EXPECT_EQ(store.ids(), std::vector<std::string>{"whole"});
}

}  // namespace
}  // namespace katara::store
