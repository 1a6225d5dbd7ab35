#include "katara/store/sqlite_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "store/test_rows.h"

namespace katara::store {
namespace {

using testing::traceOf;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::tempPathFor("katara-store-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::string error;
    store_ = SqliteStore::open((dir_ / "log.db").string(), error);
    ASSERT_TRUE(store_) << error;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void write(const std::vector<core::RequestTrace>& rows) {
    std::string error;
    ASSERT_TRUE(store_->write(rows, error)) << error;
  }
  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, KeepsEveryFieldOfARowAndItsAttempts) {
  auto t = traceOf("req-1", 1'700'000'000'000);
  core::AttemptTrace failed;
  failed.provider = "flaky";
  failed.model = "m";
  failed.kind = core::UpstreamErrorKind::RateLimited;
  failed.status = 429;
  failed.message = "slow down";
  t.attempts.insert(t.attempts.begin(), failed);
  t.served_attempt = 1;
  t.failovers = 1;
  t.request_body = R"({"model":"fast"})";
  write({t});
  const auto found = store_->find("req-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->unix_ms, t.unix_ms);
  EXPECT_EQ(found->alias, "fast");
  EXPECT_EQ(found->first_token_us, t.first_token_us);
  EXPECT_EQ(found->usage, t.usage);
  EXPECT_DOUBLE_EQ(found->cost_usd, t.cost_usd);
  EXPECT_EQ(found->failovers, 1);
  EXPECT_EQ(found->served_attempt, 1);
  EXPECT_EQ(found->request_body, t.request_body);
  ASSERT_EQ(found->attempts.size(), 2u);
  EXPECT_EQ(found->attempts[0].kind, core::UpstreamErrorKind::RateLimited);
  EXPECT_EQ(found->attempts[0].status, 429);
  EXPECT_EQ(found->attempts[0].message, "slow down");
  EXPECT_FALSE(found->attempts[0].usage);
  EXPECT_EQ(found->attempts[1].usage, t.usage);
  EXPECT_EQ(found->attempts[1].first_token_us, 39000);
  EXPECT_FALSE(store_->find("req-2"));
}

// One write of more rows than one statement inserts (several multi-row statements), with 0, 1
// or 2 attempts a row, into a table that already has rows: each row gets its own attempts back.
TEST_F(SqliteStoreTest, AWriteOfManyRowsKeepsEachRowsOwnAttempts) {
  write({traceOf("before", 1'700'000'000'000)});
  std::vector<core::RequestTrace> rows;
  for (int i = 0; i < 40; ++i) {
    auto t = traceOf(fmt::format("many-{}", i), 1'700'000'000'001 + i);
    t.attempts.clear();
    for (int n = 0; n < i % 3; ++n) {
      auto& a = t.attempts.emplace_back();
      a.provider = fmt::format("p{}-{}", i, n);
    }
    t.served_attempt = static_cast<int>(t.attempts.size()) - 1;
    rows.push_back(t);
  }
  write(rows);
  for (int i = 0; i < 40; ++i) {
    const auto found = store_->find(fmt::format("many-{}", i));
    ASSERT_TRUE(found) << i;
    ASSERT_EQ(found->attempts.size(), static_cast<std::size_t>(i % 3)) << i;
    for (int n = 0; n < i % 3; ++n) EXPECT_EQ(found->attempts[static_cast<std::size_t>(n)].provider, fmt::format("p{}-{}", i, n));
  }
  EXPECT_EQ(store_->find("before")->attempts.size(), 1u);
  EXPECT_EQ(store_->rowCount(), 41);
}

TEST_F(SqliteStoreTest, ListsNewestFirstWithFiltersAndPages) {
  std::vector<core::RequestTrace> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(traceOf(fmt::format("r{}", i), 1000 + i, i % 2 ? "odd" : "even", i == 3 ? 502 : 200));
  write(rows);
  RequestFilter f;
  f.limit = 4;
  auto page = store_->list(f);
  ASSERT_EQ(page.rows.size(), 4u);
  EXPECT_EQ(page.rows[0].id, "r9");
  EXPECT_TRUE(page.more);
  f.before = page.cursors.back();
  page = store_->list(f);
  EXPECT_EQ(page.rows[0].id, "r5");
  f = {};
  f.alias = "odd";
  EXPECT_EQ(store_->list(f).rows.size(), 5u);
  f = {};
  f.status_class = 5;
  page = store_->list(f);
  ASSERT_EQ(page.rows.size(), 1u);
  EXPECT_EQ(page.rows[0].id, "r3");
  f = {};
  f.since_ms = 1005;
  f.until_ms = 1008;
  EXPECT_EQ(store_->list(f).rows.size(), 3u);
  f = {};
  f.provider = "nobody";
  EXPECT_TRUE(store_->list(f).rows.empty());
}

TEST_F(SqliteStoreTest, StatsPerTargetWithPercentilesAndSeries) {
  std::vector<core::RequestTrace> rows;
  for (int i = 0; i < 20; ++i) {
    auto t = traceOf(fmt::format("s{}", i), 10'000 + i * 1000, "fast", i < 2 ? 503 : 200);
    t.attempts[0].duration_us = (i + 1) * 1000;  // 1 ms .. 20 ms
    rows.push_back(t);
  }
  write(rows);
  const StatsQuery q{10'000, 30'000, 10'000};
  const auto stats = store_->stats(q);
  ASSERT_EQ(stats.targets.size(), 1u);
  const auto& t = stats.targets[0];
  EXPECT_EQ(t.attempts, 20);
  EXPECT_EQ(t.errors, 2);
  EXPECT_EQ(t.served, 18);
  ASSERT_TRUE(t.latency_p50_ms);
  EXPECT_NEAR(*t.latency_p50_ms, 11.5, 1.0);  // the answered ones: 3 .. 20 ms
  EXPECT_NEAR(*t.latency_p95_ms, 19.5, 1.0);
  ASSERT_EQ(t.series.size(), 2u);
  EXPECT_EQ(t.series[0].unix_ms, 10'000);
  EXPECT_EQ(t.series[0].attempts + t.series[1].attempts, 20);
  EXPECT_EQ(stats.totals.requests, 20);
  EXPECT_EQ(stats.totals.errors, 2);
  EXPECT_EQ(stats.traffic.size(), 2u);
}

TEST_F(SqliteStoreTest, PrunesByAgeAndBySize) {
  std::vector<core::RequestTrace> rows;
  for (int i = 0; i < 100; ++i) rows.push_back(traceOf(fmt::format("p{}", i), i * 1000));
  write(rows);
  Retention by_age;
  by_age.max_age_ms = 50'000;
  EXPECT_EQ(store_->prune(by_age, 100'000), 50);
  EXPECT_EQ(store_->rowCount(), 50);
  EXPECT_FALSE(store_->find("p49"));
  EXPECT_TRUE(store_->find("p50"));

  std::vector<core::RequestTrace> big;
  for (int i = 0; i < 400; ++i) {
    auto t = traceOf(fmt::format("b{}", i), 200'000 + i);
    t.response_body.assign(4000, 'x');
    big.push_back(t);
  }
  write(big);
  Retention by_size;
  by_size.max_bytes = 512 * 1024;
  EXPECT_GT(store_->prune(by_size, 300'000), 0);
  EXPECT_LT(store_->rowCount(), 450);
  EXPECT_TRUE(store_->find("b399")) << "the newest rows stay";
  EXPECT_LE(std::filesystem::file_size(dir_ / "log.db"), 2u * 1024 * 1024);
}

TEST_F(SqliteStoreTest, RetentionGoesByArrivalNotByWriteOrder) {
  std::vector<core::RequestTrace> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(traceOf(fmt::format("w{}", i), 1000 + i));
  write(rows);
  write({traceOf("replayed-late", 500)});  // from the journal: written last, arrived first
  Retention by_age;
  by_age.max_age_ms = 1000;
  EXPECT_EQ(store_->prune(by_age, 2005), 6);
  EXPECT_FALSE(store_->find("replayed-late"));
  EXPECT_TRUE(store_->find("w5"));
  EXPECT_EQ(store_->rowCount(), 5);
}

}  // namespace
}  // namespace katara::store
