#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::anthropic {

// Anthropic's Messages API. Paths are appended to the base URL as the Anthropic SDK appends
// them ("/v1/messages"), so `base_url` is the API root, e.g. https://api.anthropic.com.
class AnthropicAdapter final : public Adapter {
 public:
  std::string_view kind() const override { return "anthropic"; }
  core::ApiFormat format() const override { return core::ApiFormat::AnthropicMessages; }
  http::OutgoingRequest chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                    std::string_view body) const override;
  core::EncodedBody encodeChat(const core::ChatRequest& request) const override;
  core::Result<core::ChatResponse> decodeChat(std::string_view body) const override;
  std::unique_ptr<core::StreamDecoder> streamDecoder() const override;
  core::UpstreamError classifyError(int status, const http::Headers& headers,
                                    std::string_view body) const override;
  core::ApiError clientError(int status, std::string_view body) const override;

  // The same headers for any Messages API path (messages, count_tokens).
  http::OutgoingRequest request(const ProviderAccess& provider, const ChatTarget& target, std::string_view body,
                                std::string_view path) const;
};

// {"type":"error","error":{"type","message"}}; empty strings when the body is not that.
struct ErrorFields {
  std::string type;
  std::string message;
};
ErrorFields parseErrorBody(std::string_view body);

}  // namespace katara::providers::anthropic
