#include "katara/providers/openai/openai_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace katara::providers::openai {

using core::UpstreamError;
using core::UpstreamErrorKind;

http::OutgoingRequest OpenAiAdapter::chatRequest(const ProviderAccess& provider, std::string_view body,
                                                 std::string_view request_id) const {
  http::OutgoingRequest req;
  req.method = "POST";
  req.target = provider.endpoint.base_path + "/chat/completions";
  req.headers.reserve(5);
  req.headers.push_back({"content-type", "application/json"});
  req.headers.push_back({"accept", "application/json"});
  req.headers.push_back({"user-agent", "katara/" KATARA_VERSION});
  if (!provider.api_key.empty()) req.headers.push_back({"authorization", "Bearer " + provider.api_key});
  if (!request_id.empty()) req.headers.push_back({"x-request-id", std::string(request_id)});
  req.body = body;
  return req;
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
  return out;
}

UpstreamError OpenAiAdapter::classifyError(int status, const http::Headers&, std::string_view body) const {
  auto fields = parseErrorBody(body);
  std::string reason = "HTTP " + std::to_string(status);
  if (!fields.message.empty()) reason += ": " + fields.message.substr(0, 300);
  auto mentions = [&](std::string_view needle) {
    return fields.code.find(needle) != std::string::npos || fields.type.find(needle) != std::string::npos;
  };
  UpstreamErrorKind kind;
  if (status == 429) kind = UpstreamErrorKind::RateLimited;
  else if (status == 503 || status == 529) kind = UpstreamErrorKind::Overloaded;
  else if (status >= 500) kind = UpstreamErrorKind::Server;
  else if (status == 401 || status == 403) kind = UpstreamErrorKind::Auth;
  else if (status == 404) kind = UpstreamErrorKind::NotFound;
  else if (status == 408) kind = UpstreamErrorKind::Timeout;
  else if (status == 409) kind = UpstreamErrorKind::Server;  // a conflict on their side: transient
  else if (mentions("context_length") || mentions("exceed_context")) kind = UpstreamErrorKind::ContextLength;
  else if (mentions("content_filter") || mentions("content_policy")) kind = UpstreamErrorKind::ContentFilter;
  else kind = UpstreamErrorKind::ClientError;
  return {kind, reason};
}

}  // namespace katara::providers::openai
