#include "katara/providers/anthropic/anthropic_adapter.h"

#include <boost/json/parse.hpp>

#include "katara/core/json_access.h"
#include "katara/providers/anthropic/messages_decode.h"
#include "katara/providers/anthropic/messages_encode.h"
#include "katara/providers/anthropic/stream_decode.h"
#include "katara/providers/classify.h"

namespace katara::providers::anthropic {

using core::UpstreamErrorKind;

http::OutgoingRequest AnthropicAdapter::request(const ProviderAccess& provider, const ChatTarget& target,
                                                std::string_view body, std::string_view path) const {
  http::OutgoingRequest req;
  req.method = "POST";
  req.target = provider.endpoint.base_path + std::string(path);
  req.headers.reserve(7);
  req.headers.push_back({"content-type", "application/json"});
  req.headers.push_back({"accept", target.stream ? "text/event-stream" : "application/json"});
  req.headers.push_back({"user-agent", "katara/" KATARA_VERSION});
  if (!provider.api_key.empty()) req.headers.push_back({"x-api-key", provider.api_key});
  // A same-format client's body is written for the version it named; ours for kApiVersion.
  std::string_view version = target.forwarded ? http::findHeader(*target.forwarded, "anthropic-version") : "";
  req.headers.push_back({"anthropic-version", version.empty() ? std::string(kApiVersion) : std::string(version)});
  if (target.forwarded) {
    if (auto beta = http::findHeader(*target.forwarded, "anthropic-beta"); !beta.empty()) {
      req.headers.push_back({"anthropic-beta", std::string(beta)});
    }
  }
  if (!target.request_id.empty()) req.headers.push_back({"x-request-id", std::string(target.request_id)});
  req.body = body;
  return req;
}

http::OutgoingRequest AnthropicAdapter::chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                    std::string_view body) const {
  return request(provider, target, body, "/v1/messages");
}

core::EncodedBody AnthropicAdapter::encodeChat(const core::ChatRequest& request) const {
  return encodeMessagesRequest(request);
}

core::Result<core::ChatResponse> AnthropicAdapter::decodeChat(std::string_view body) const {
  return decodeMessagesResponse(body);
}

std::unique_ptr<core::StreamDecoder> AnthropicAdapter::streamDecoder() const {
  return std::make_unique<MessagesSseDecoder>();
}

ErrorFields parseErrorBody(std::string_view body) {
  ErrorFields out;
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return out;
  if (const auto* err = core::objectAt(v.as_object(), "error")) {
    out.type = core::strOr(*err, "type");
    out.message = core::strOr(*err, "message");
  }
  return out;
}

core::UpstreamError AnthropicAdapter::classifyError(int status, const http::Headers& headers,
                                                    std::string_view body) const {
  auto fields = parseErrorBody(body);
  UpstreamErrorKind kind = kindForStatus(status);
  if (fields.type == "overloaded_error") kind = UpstreamErrorKind::Overloaded;
  else if (fields.type == "rate_limit_error") kind = UpstreamErrorKind::RateLimited;
  else if (fields.type == "billing_error" || status == 402) kind = UpstreamErrorKind::Auth;  // our account, not the caller
  else if (kind == UpstreamErrorKind::ClientError && fields.message.find("prompt is too long") != std::string::npos)
    kind = UpstreamErrorKind::ContextLength;
  else if (kind == UpstreamErrorKind::ClientError && fields.message.find("content filtering") != std::string::npos)
    kind = UpstreamErrorKind::ContentFilter;
  auto error = upstreamError(kind, status, fields.message, headers);
  // How much of the limit is left says why a 429 came; shown in the attempt's reason.
  if (kind == UpstreamErrorKind::RateLimited) {
    struct Limit {
      const char* header;
      const char* label;
    };
    for (const Limit& l : {Limit{"anthropic-ratelimit-requests-remaining", " requests-remaining="},
                           Limit{"anthropic-ratelimit-tokens-remaining", " tokens-remaining="}}) {
      auto value = http::findHeader(headers, l.header);
      if (value.empty()) continue;
      error.message.append(l.label);
      error.message.append(value);
    }
  }
  return error;
}

core::ApiError AnthropicAdapter::clientError(int status, std::string_view body) const {
  return restatedClientError(status, parseErrorBody(body).message);
}

}  // namespace katara::providers::anthropic
