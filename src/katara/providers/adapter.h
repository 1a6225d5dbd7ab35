#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "katara/core/api_format.h"
#include "katara/core/chat.h"
#include "katara/core/embedding.h"
#include "katara/core/result.h"
#include "katara/core/stream_codec.h"
#include "katara/http/client.h"

namespace katara::providers {

// What an adapter needs to know about the provider it talks to.
struct ProviderAccess {
  http::Endpoint endpoint;
  std::string api_key;  // empty: send no credentials
  std::string api_version;  // azure's api-version
};

// One chat request on its way to a provider.
struct ChatTarget {
  std::string_view model;       // the provider's model id
  bool stream = false;
  std::string_view request_id;
  // Client headers a same-format request carries on (e.g. anthropic-version, anthropic-beta).
  const http::Headers* forwarded = nullptr;
};

// A provider's embeddings API, behind the OpenAI-format /v1/embeddings front door.
class Embedder {
 public:
  virtual ~Embedder() = default;
  // The upstream body for a canonical request (its `model` set for the target), or nullopt with
  // `why` when the API cannot carry it (token ids to an API that takes text).
  virtual std::optional<std::string> encode(const core::EmbeddingRequest& request, std::string& why) const = 0;
  // The HTTP request for that body. `body` must outlive the returned request.
  virtual http::OutgoingRequest request(const ProviderAccess& provider, const ChatTarget& target,
                                        std::string_view body) const = 0;
  // The vectors of a 2xx answer, in input order; `inputs` is how many were asked.
  virtual core::Result<core::EmbeddingResponse> decode(std::string_view body, std::size_t inputs) const = 0;
};

// One upstream wire format. Adapters are stateless and shared by all workers.
class Adapter {
 public:
  virtual ~Adapter() = default;
  virtual std::string_view kind() const = 0;
  // The chat format the provider speaks: a client of this format passes through unchanged.
  virtual core::ApiFormat format() const = 0;

  // The HTTP request for a chat body already in format() and aimed at the target's model.
  // `body` must outlive the returned request.
  virtual http::OutgoingRequest chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                            std::string_view body) const = 0;

  // Legacy POST /v1/completions, which only OpenAI-compatible APIs have (body passed through
  // with its model aimed at the target); nullopt for every other kind.
  virtual std::optional<http::OutgoingRequest> completionRequest(const ProviderAccess&, const ChatTarget&,
                                                                 std::string_view /*body*/) const {
    return std::nullopt;
  }

  // The provider's embeddings API, or nullptr when its kind has none (errors are classified by
  // classifyError and clientError like chat's).
  virtual const Embedder* embedder() const { return nullptr; }

  // Translation from another client format: the body for a canonical request (its `model` and
  // `stream` already set for this target), the canonical form of a complete answer, and a
  // decoder for a streamed one.
  virtual core::EncodedBody encodeChat(const core::ChatRequest& request) const = 0;
  virtual core::Result<core::ChatResponse> decodeChat(std::string_view body) const = 0;
  virtual std::unique_ptr<core::StreamDecoder> streamDecoder() const = 0;

  // Classifies a non-2xx answer: whether it is the caller's fault (returned to the client) or
  // the provider's (failed over), with a short reason for the error summary.
  virtual core::UpstreamError classifyError(int status, const http::Headers& headers,
                                            std::string_view body) const = 0;
  // The caller's error as neutral fields, for a client of another format.
  virtual core::ApiError clientError(int status, std::string_view body) const = 0;
};

// The adapter for a provider kind, or nullptr when the kind is unknown.
const Adapter* adapterFor(std::string_view kind);
// Every adapter, one per kind.
const std::vector<const Adapter*>& allAdapters();
// The known kinds, for error messages: "openai, anthropic".
std::string knownKinds();

}  // namespace katara::providers
