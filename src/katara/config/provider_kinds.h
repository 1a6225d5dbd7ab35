#pragma once
#include <string>
#include <string_view>

namespace katara::config {

// A provider kind the configuration accepts (each has its adapter in providers/<kind>/), and
// where an entry without `base_url` points: empty when the kind requires one.
struct ProviderKind {
  std::string_view name;
  std::string_view default_base_url;
  // The kind's API continues a final assistant message (a prefill) rather than answering anew:
  // how a stream broken mid-way is best carried on. Models that refuse one are learned.
  bool prefill = false;
};

// nullptr when the kind is unknown.
const ProviderKind* findProviderKind(std::string_view name);
// "openai, anthropic", for error messages.
std::string providerKindNames();

}  // namespace katara::config
