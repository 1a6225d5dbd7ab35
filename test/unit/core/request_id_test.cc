#include "katara/core/request_id.h"

#include <gtest/gtest.h>

#include <thread>

namespace katara::core {
namespace {

TEST(RequestId, HasItsShapeAndSortsByTime) {
  const auto first = newRequestId();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const auto second = newRequestId();
  ASSERT_EQ(first.size(), 28u);
  EXPECT_EQ(first.rfind("req_", 0), 0u);
  EXPECT_EQ(first.find_first_not_of("0123456789abcdef", 4), std::string::npos);
  EXPECT_LT(first, second) << "a later id sorts after: the log's id index grows at its end";
  EXPECT_NE(newRequestId(), newRequestId());
}

}  // namespace
}  // namespace katara::core
