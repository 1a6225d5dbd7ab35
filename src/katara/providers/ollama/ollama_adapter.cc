#include "katara/providers/ollama/embeddings.h"
#include "katara/providers/ollama/ollama_adapter.h"

#include <boost/json/parse.hpp>

#include "katara/providers/classify.h"
#include "katara/providers/ollama/chat_decode.h"
#include "katara/providers/ollama/chat_encode.h"

namespace katara::providers::ollama {

using core::UpstreamErrorKind;

http::OutgoingRequest OllamaAdapter::request(const ProviderAccess& provider, std::string_view path, bool stream,
                                             std::string_view body, std::string_view request_id) const {
  http::OutgoingRequest req;
  req.method = "POST";
  req.target = provider.endpoint.base_path + std::string(path);
  req.headers.reserve(5);
  req.headers.push_back({"content-type", "application/json"});
  req.headers.push_back({"accept", stream ? "application/x-ndjson" : "application/json"});
  req.headers.push_back({"user-agent", "katara/" KATARA_VERSION});
  if (!provider.api_key.empty()) req.headers.push_back({"authorization", "Bearer " + provider.api_key});
  if (!request_id.empty()) req.headers.push_back({"x-request-id", std::string(request_id)});
  req.body = body;
  return req;
}

http::OutgoingRequest OllamaAdapter::chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                 std::string_view body) const {
  return request(provider, "/api/chat", target.stream, body, target.request_id);
}

core::EncodedBody OllamaAdapter::encodeChat(const core::ChatRequest& request) const {
  return encodeOllamaChat(request);
}

core::Result<core::ChatResponse> OllamaAdapter::decodeChat(std::string_view body) const {
  return decodeOllamaChat(body);
}

std::unique_ptr<core::StreamDecoder> OllamaAdapter::streamDecoder() const {
  return std::make_unique<ChatNdjsonDecoder>();
}

std::string parseErrorMessage(std::string_view body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto* e = v.as_object().if_contains("error");
  return e && e->is_string() ? std::string(e->as_string()) : std::string();
}

core::UpstreamError OllamaAdapter::classifyError(int status, const http::Headers& headers,
                                                 std::string_view body) const {
  const std::string message = parseErrorMessage(body);
  auto has = [&](std::string_view text) { return message.find(text) != std::string::npos; };
  UpstreamErrorKind kind = kindForStatus(status);
  if (kind == UpstreamErrorKind::ClientError && (has("not found") || has("does not support")))
    kind = UpstreamErrorKind::NotFound;
  else if (has("server busy")) kind = UpstreamErrorKind::Overloaded;
  else if (kind == UpstreamErrorKind::ClientError && (has("context length") || has("exceeds the context")))
    kind = UpstreamErrorKind::ContextLength;
  return upstreamError(kind, status, message, headers);
}

core::ApiError OllamaAdapter::clientError(int status, std::string_view body) const {
  return restatedClientError(status, parseErrorMessage(body));
}

const Embedder* OllamaAdapter::embedder() const {
  static const OllamaEmbedder kEmbedder;
  return &kEmbedder;
}

}  // namespace katara::providers::ollama
