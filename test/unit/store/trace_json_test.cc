#include "katara/store/trace_json.h"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "store/test_rows.h"

namespace katara::store {
namespace {

TEST(TraceJson, RoundTripsAJournalLine) {
  auto t = testing::traceOf("rt-1", 1'796'000'000'123);
  t.attempts[0].hedge = true;
  t.attempts[0].tokens_per_second = 88.5;
  t.retries = 2;
  t.stream_broken = true;
  t.error = "none";
  const auto line = boost::json::serialize(toJson(t));
  const auto back = traceFromJson(line);
  ASSERT_TRUE(back);
  EXPECT_EQ(boost::json::serialize(toJson(*back)), line);
  EXPECT_EQ(back->attempts[0].tokens_per_second, 88.5);
  EXPECT_TRUE(back->attempts[0].hedge);
}

TEST(TraceJson, RefusesWhatIsNotATrace) {
  EXPECT_FALSE(traceFromJson(""));
  EXPECT_FALSE(traceFromJson("[1,2]"));
  EXPECT_FALSE(traceFromJson(R"({"unix_ms":1})")) << "no id";
  EXPECT_FALSE(traceFromJson(R"({"id":"x","attem)"));
  const auto odd = traceFromJson(R"({"id":"x","served_attempt":7,"attempts":[{"outcome":"martian"}],"status":"200"})");
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->served_attempt, -1) << "an index past the attempts is dropped";
  EXPECT_EQ(odd->attempts[0].kind, core::UpstreamErrorKind::Ok);
  EXPECT_EQ(odd->status, 0);
}

TEST(TraceJson, IsoTimeHasMilliseconds) { EXPECT_EQ(isoTime(1'796'147'654'007), "2026-12-01T17:54:14.007Z"); }

}  // namespace
}  // namespace katara::store
