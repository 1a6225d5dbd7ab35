#include "katara/config/price_catalogue.h"

#include <gtest/gtest.h>

using namespace katara::config;

TEST(PriceCatalogue, TheShippedCatalogueParsesAndCoversEveryPricedKind) {
  std::vector<std::string> errors;
  const auto catalogue = parsePriceCatalogue(priceCatalogueText(), errors);
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front());
  std::map<std::string, int> per_kind;
  int with_context = 0;
  for (const auto& [key, entry] : catalogue) {
    ++per_kind[key.first];
    EXPECT_GT(entry.price.input_per_mtok, 0) << key.second;
    if (entry.price.cached_input_per_mtok) {
      EXPECT_LT(*entry.price.cached_input_per_mtok, entry.price.input_per_mtok) << key.second;
    }
    EXPECT_GE(entry.context_tokens, 0) << key.second;
    with_context += entry.context_tokens > 0;
  }
  EXPECT_GE(per_kind["anthropic"], 5);
  EXPECT_GE(per_kind["openai"], 5);
  EXPECT_GE(per_kind["gemini"], 3);
  EXPECT_GE(with_context, 15) << "most entries know their window";
}

TEST(PriceCatalogue, LooksUpByKindAndModel) {
  ASSERT_TRUE(catalogueEntry("anthropic", "claude-haiku-4-5"));
  EXPECT_EQ(catalogueEntry("anthropic", "claude-haiku-4-5")->price.output_per_mtok, 5);
  EXPECT_FALSE(catalogueEntry("openai", "claude-haiku-4-5"));
  EXPECT_FALSE(catalogueEntry("azure", "gpt-4.1"));
}

TEST(PriceCatalogue, ABrokenEntryIsReportedAndTheRestKept) {
  std::vector<std::string> errors;
  const auto c = parsePriceCatalogue("openai:\n  good: { input: 1, output: 2 }\n  bad: { input: cheap, output: 2 }\n  half: { input: 1 }\n", errors);
  EXPECT_EQ(c.size(), 1u);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].find("openai/bad"), std::string::npos) << errors[0];
}
