#pragma once
// The price catalogue shipped in data/pricing.yaml (compiled in): per provider kind and model
// id, the price per million tokens and the context window. `pricing:` in katara.yaml overrides it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "katara/config/config.h"

namespace katara::config {

struct CatalogueEntry {
  PriceConfig price;
  std::int64_t context_tokens = 0;  // 0: not known
};

// (kind, model) → entry; parsed once. Kinds: anthropic, openai, gemini.
const std::map<std::pair<std::string, std::string>, CatalogueEntry, std::less<>>& priceCatalogue();

// The catalogue's entry for a provider of `kind` serving `model`, if any (azure deployments
// are named by their owner: never matched).
const CatalogueEntry* catalogueEntry(std::string_view kind, std::string_view model);

// Parses catalogue text (the shipped one, or a test's); problems go to `errors`.
std::map<std::pair<std::string, std::string>, CatalogueEntry, std::less<>> parsePriceCatalogue(std::string_view text,
                                                                                               std::vector<std::string>& errors);

// The compiled-in text of data/pricing.yaml.
std::string_view priceCatalogueText();

}  // namespace katara::config
