#include "katara/admin/admin_query.h"

#include <gtest/gtest.h>

namespace katara::admin {
namespace {

constexpr std::int64_t kNow = 1'796'000'000'000;

TEST(AdminQuery, ReadsEveryFilter) {
  auto parsed = requestFilterOf("/admin/requests?since=1h&until=1796000000000&alias=fast&provider=openai&status=5xx&limit=20&cursor=99", kNow);
  ASSERT_TRUE(std::holds_alternative<store::RequestFilter>(parsed)) << std::get<std::string>(parsed);
  const auto& f = std::get<store::RequestFilter>(parsed);
  EXPECT_EQ(f.since_ms, kNow - 3'600'000);
  EXPECT_EQ(f.until_ms, kNow);
  EXPECT_EQ(f.alias, "fast");
  EXPECT_EQ(f.provider, "openai");
  EXPECT_EQ(f.status_class, 5);
  EXPECT_FALSE(f.status);
  EXPECT_EQ(f.limit, 20);
  EXPECT_EQ(f.before, 99);
}

TEST(AdminQuery, AKeyIsHashedAsTheLogKeepsIt) {
  const auto raw = std::get<store::RequestFilter>(requestFilterOf("/admin/requests?key=sk-secret", kNow));
  EXPECT_EQ(raw.key_hash.rfind("sha256:", 0), 0u);
  EXPECT_EQ(raw.key_hash.size(), 7u + 16u);
  const auto hashed = std::get<store::RequestFilter>(requestFilterOf("/admin/requests?key=" + raw.key_hash, kNow));
  EXPECT_EQ(hashed.key_hash, raw.key_hash);
}

TEST(AdminQuery, SaysWhatIsWrong) {
  for (const char* q : {"status=5x", "status=600", "limit=501", "limit=-1", "cursor=abc", "since=tomorrow", "since=0m", "what=ever"}) {
    auto parsed = requestFilterOf(std::string("/admin/requests?") + q, kNow);
    ASSERT_TRUE(std::holds_alternative<std::string>(parsed)) << q;
    EXPECT_FALSE(std::get<std::string>(parsed).empty());
  }
}

TEST(AdminQuery, StatsWindowsAndSteps) {
  auto q = std::get<store::StatsQuery>(statsQueryOf("/admin/stats", kNow));
  EXPECT_EQ(q.until_ms - q.since_ms, 3'600'000) << "an hour by default";
  q = std::get<store::StatsQuery>(statsQueryOf("/admin/stats?window=15m&step=30s", kNow));
  EXPECT_EQ(q.until_ms - q.since_ms, 900'000);
  EXPECT_EQ(q.step_ms, 30'000);
  EXPECT_TRUE(std::holds_alternative<std::string>(statsQueryOf("/admin/stats?window=1d&step=1s", kNow))) << "too many points";
  EXPECT_TRUE(std::holds_alternative<std::string>(statsQueryOf("/admin/stats?window=1h&since=2h", kNow)));
  EXPECT_TRUE(std::holds_alternative<std::string>(statsQueryOf("/admin/stats?since=1796000000000&until=1795000000000", kNow)));
}

TEST(AdminQuery, Spans) {
  EXPECT_EQ(parseSpan("90s"), 90'000);
  EXPECT_EQ(parseSpan("7d"), 7LL * 24 * 3600 * 1000);
  EXPECT_EQ(parseSpan("250"), 250);
  EXPECT_FALSE(parseSpan("m"));
  EXPECT_FALSE(parseSpan("1.5h"));
  EXPECT_FALSE(parseSpan("99999999999999999d"));
}

}  // namespace
}  // namespace katara::admin
