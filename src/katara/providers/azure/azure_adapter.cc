#include "katara/providers/azure/azure_adapter.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace katara::providers::azure {

http::OutgoingRequest AzureAdapter::chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                std::string_view body) const {
  // A deployment name is one path segment; the version one query value.
  std::string path = provider.endpoint.base_path + "/openai/deployments/" +
                     boost::urls::encode(target.model, boost::urls::unreserved_chars) +
                     "/chat/completions?api-version=" + boost::urls::encode(provider.api_version, boost::urls::unreserved_chars);
  return baseRequest(provider, target, body, std::move(path), false);
}

}  // namespace katara::providers::azure
