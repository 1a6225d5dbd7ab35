#pragma once
#include <string>
#include <string_view>

#include "katara/core/result.h"
#include "katara/http/client.h"

namespace katara::providers {

// What an adapter needs to know about the provider it talks to.
struct ProviderAccess {
  http::Endpoint endpoint;
  std::string api_key;  // empty: send no credentials
};

// One upstream wire format. Adapters are stateless and shared by all workers.
class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual std::string_view kind() const = 0;

  // The upstream request for an OpenAI chat completion body already aimed at the provider's
  // model. `body` must outlive the returned request.
  virtual http::OutgoingRequest chatRequest(const ProviderAccess& provider, std::string_view body,
                                            std::string_view request_id) const = 0;

  // Classifies a non-2xx answer: whether it is the caller's fault (returned as is) or the
  // provider's (failed over), with a short reason for the error summary.
  virtual core::UpstreamError classifyError(int status, const http::Headers& headers,
                                            std::string_view body) const = 0;
};

// The adapter for a provider kind, or nullptr when the kind is unknown.
const Adapter* adapterFor(std::string_view kind);

}  // namespace katara::providers
