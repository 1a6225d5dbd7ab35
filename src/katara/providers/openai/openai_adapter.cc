#include "katara/providers/openai/openai_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "katara/providers/classify.h"
#include "katara/providers/openai/chat_decode.h"
#include "katara/providers/openai/chat_encode.h"
#include "katara/providers/openai/embeddings.h"

namespace katara::providers::openai {

using core::UpstreamError;
using core::UpstreamErrorKind;

http::OutgoingRequest apiRequest(const ProviderAccess& provider, const ChatTarget& target, std::string_view body,
                                 std::string target_path, bool bearer) {
  http::OutgoingRequest req;
  req.method = "POST";
  req.target = std::move(target_path);
  req.headers.reserve(5);
  req.headers.push_back({"content-type", "application/json"});
  req.headers.push_back({"accept", target.stream ? "text/event-stream" : "application/json"});
  req.headers.push_back({"user-agent", "katara/" KATARA_VERSION});
  if (!provider.api_key.empty()) {
    if (bearer) req.headers.push_back({"authorization", "Bearer " + provider.api_key});
    else req.headers.push_back({"api-key", provider.api_key});
  }
  if (!target.request_id.empty()) req.headers.push_back({"x-request-id", std::string(target.request_id)});
  req.body = body;
  return req;
}

http::OutgoingRequest OpenAiAdapter::chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                 std::string_view body) const {
  return apiRequest(provider, target, body, provider.endpoint.base_path + "/chat/completions", true);
}

std::optional<http::OutgoingRequest> OpenAiAdapter::completionRequest(const ProviderAccess& provider,
                                                                      const ChatTarget& target,
                                                                      std::string_view body) const {
  return apiRequest(provider, target, body, provider.endpoint.base_path + "/completions", true);
}

const Embedder* OpenAiAdapter::embedder() const {
  static const OpenAiEmbedder kEmbedder;
  return &kEmbedder;
}

core::EncodedBody OpenAiAdapter::encodeChat(const core::ChatRequest& request) const {
  return encodeChatRequest(request);
}

core::Result<core::ChatResponse> OpenAiAdapter::decodeChat(std::string_view body) const {
  return decodeChatResponse(body);
}

std::unique_ptr<core::StreamDecoder> OpenAiAdapter::streamDecoder() const {
  return std::make_unique<ChatStreamDecoder>();
}

ErrorFields parseErrorBody(std::string_view body) {
  ErrorFields out;
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return out;
  const boost::json::value* err = v.as_object().if_contains("error");
  const boost::json::object* fields = nullptr;
  if (err && err->is_object()) fields = &err->as_object();
  else if (err && err->is_string()) out.message = err->as_string();  // Ollama: {"error":"..."}
  else fields = &v.as_object();                                        // bare llama.cpp shape
  if (!fields) return out;
  auto text = [&](const char* key) -> std::string {
    auto* f = fields->if_contains(key);
    if (!f) return {};
    if (f->is_string()) return std::string(f->as_string());
    if (f->is_int64()) return std::to_string(f->as_int64());
    return {};
  };
  if (out.message.empty()) out.message = text("message");
  out.code = text("code");
  out.type = text("type");
  out.param = text("param");
  return out;
}

UpstreamError OpenAiAdapter::classifyError(int status, const http::Headers& headers, std::string_view body) const {
  auto fields = parseErrorBody(body);
  auto mentions = [&](std::string_view needle) {
    return fields.code.find(needle) != std::string::npos || fields.type.find(needle) != std::string::npos;
  };
  UpstreamErrorKind kind = kindForStatus(status);
  if (kind == UpstreamErrorKind::ClientError) {
    if (mentions("context_length") || mentions("exceed_context")) kind = UpstreamErrorKind::ContextLength;
    else if (mentions("content_filter") || mentions("content_policy")) kind = UpstreamErrorKind::ContentFilter;
  }
  return upstreamError(kind, status, fields.message, headers);
}

core::ApiError OpenAiAdapter::clientError(int status, std::string_view body) const {
  auto fields = parseErrorBody(body);
  core::ApiError e = restatedClientError(status, fields.message);
  if (!fields.type.empty()) e.type = fields.type;
  if (!fields.param.empty()) e.param = fields.param;
  if (!fields.code.empty()) e.code = fields.code;
  return e;
}

}  // namespace katara::providers::openai
