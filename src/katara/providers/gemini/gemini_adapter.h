#pragma once
#include "katara/providers/adapter.h"

namespace katara::providers::gemini {

// Google's Gemini API (generativelanguage v1beta): generateContent, and
// streamGenerateContent?alt=sse for streams; the key goes in `x-goog-api-key`. `base_url` is
// the API root (https://generativelanguage.googleapis.com); paths are appended as js-genai
// appends them.
class GeminiAdapter final : public Adapter {
 public:
  std::string_view kind() const override { return "gemini"; }
  core::ApiFormat format() const override { return core::ApiFormat::GeminiGenerate; }
  http::OutgoingRequest chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                    std::string_view body) const override;
  core::EncodedBody encodeChat(const core::ChatRequest& request) const override;
  core::Result<core::ChatResponse> decodeChat(std::string_view body) const override;
  std::unique_ptr<core::StreamDecoder> streamDecoder() const override;
  // Gemini answers a bad key with 400 INVALID_ARGUMENT / API_KEY_INVALID: that is our key,
  // not the caller's request, so it fails over like a 401. FAILED_PRECONDITION (billing, region)
  // is our account's too. RetryInfo's retryDelay is read when no retry-after header came.
  core::UpstreamError classifyError(int status, const http::Headers& headers,
                                    std::string_view body) const override;
  core::ApiError clientError(int status, std::string_view body) const override;
  const Embedder* embedder() const override;

  // POST {base}/v1beta/models/{model}:{method}, with the headers every Gemini call carries.
  http::OutgoingRequest request(const ProviderAccess& provider, std::string_view model, std::string_view method,
                                std::string_view body, std::string_view request_id) const;
};

// {"error":{"code","message","status","details":[{"reason"},{"retryDelay"}]}}; empty strings
// when the body is not that.
struct ErrorFields {
  std::string message;
  std::string status;       // INVALID_ARGUMENT, RESOURCE_EXHAUSTED, ...
  std::string reason;       // ErrorInfo.reason: API_KEY_INVALID, ...
  std::string retry_delay;  // RetryInfo.retryDelay: "37s"
};
ErrorFields parseErrorBody(std::string_view body);

}  // namespace katara::providers::gemini
