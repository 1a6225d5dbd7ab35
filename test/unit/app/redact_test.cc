#include "katara/app/redact.h"

#include <gtest/gtest.h>

namespace katara::app {
namespace {

TEST(Redact, KnownKeysAndKeyShapedStringsGo) {
  const std::string text = R"({"a":"my-gateway-key","b":"sk-proj-abcdefghijklmnop1234","c":"AIzaSyA1234567890abcdefghijklmnopqrstu","d":"sk-short"})";
  const auto out = redactSecrets(text, {"my-gateway-key"});
  EXPECT_EQ(out, R"({"a":"[REDACTED]","b":"sk-[REDACTED]","c":"AIza[REDACTED]","d":"sk-short"})");
}

TEST(Redact, OrdinaryTextStays) {
  const std::string text = "Ask the model about risk-free rates and desk-top setups.";
  EXPECT_EQ(redactSecrets(text, {"ab"}), text) << "secrets shorter than 4 are not searched for";
}

}  // namespace
}  // namespace katara::app
