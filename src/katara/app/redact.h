#pragma once
// Secrets out of captured bodies: the configured keys wherever they appear, and anything shaped
// like a provider's API key (sk-..., sk-ant-..., AIza...) or a bearer token.
#include <string>
#include <string_view>
#include <vector>

namespace katara::app {

std::string redactSecrets(std::string_view text, const std::vector<std::string>& known);

}  // namespace katara::app
