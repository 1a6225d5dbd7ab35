#pragma once
#include "katara/providers/openai/embeddings.h"
#include "katara/providers/openai/openai_adapter.h"

namespace katara::providers::azure {

// Azure OpenAI: OpenAI's chat format on a per-resource host, where a target's model is the
// deployment name: POST <base_url>/openai/deployments/<deployment>/chat/completions
// ?api-version=<api_version>, with the key in `api-key`. Everything else is OpenAI's.
class AzureAdapter final : public openai::OpenAiAdapter {
 public:
  std::string_view kind() const override { return "azure"; }
  http::OutgoingRequest chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                    std::string_view body) const override;
  std::optional<http::OutgoingRequest> completionRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                         std::string_view body) const override;
  const Embedder* embedder() const override;
};

// <base>/openai/deployments/<deployment>/<operation>?api-version=<version>
std::string deploymentPath(const ProviderAccess& provider, std::string_view deployment, std::string_view operation);

}  // namespace katara::providers::azure
