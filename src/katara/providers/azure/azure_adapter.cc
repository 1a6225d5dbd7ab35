#include "katara/providers/azure/azure_adapter.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace katara::providers::azure {

std::string deploymentPath(const ProviderAccess& provider, std::string_view deployment,
                                         std::string_view operation) {
  // A deployment name is one path segment; the version one query value.
  return provider.endpoint.base_path + "/openai/deployments/" +
         boost::urls::encode(deployment, boost::urls::unreserved_chars) + "/" + std::string(operation) +
         "?api-version=" + boost::urls::encode(provider.api_version, boost::urls::unreserved_chars);
}

http::OutgoingRequest AzureAdapter::chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                std::string_view body) const {
  return openai::apiRequest(provider, target, body, deploymentPath(provider, target.model, "chat/completions"), false);
}

std::optional<http::OutgoingRequest> AzureAdapter::completionRequest(const ProviderAccess& provider,
                                                                    const ChatTarget& target,
                                                                    std::string_view body) const {
  return openai::apiRequest(provider, target, body, deploymentPath(provider, target.model, "completions"), false);
}

namespace {

// Azure's embeddings: a deployment path like chat's.
class AzureEmbedder final : public openai::OpenAiEmbedder {
 public:
  http::OutgoingRequest request(const ProviderAccess& provider, const ChatTarget& target,
                                std::string_view body) const override {
    return openai::apiRequest(provider, target, body, deploymentPath(provider, target.model, "embeddings"), false);
  }
};

}  // namespace

const Embedder* AzureAdapter::embedder() const {
  static const AzureEmbedder kEmbedder;
  return &kEmbedder;
}

}  // namespace katara::providers::azure
