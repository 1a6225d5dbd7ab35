#include "katara/providers/gemini/embeddings.h"
#include "katara/providers/gemini/gemini_adapter.h"

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <charconv>

#include "katara/core/json_access.h"
#include "katara/providers/classify.h"
#include "katara/providers/retry_after.h"
#include "katara/providers/gemini/generate_decode.h"
#include "katara/providers/gemini/generate_encode.h"

namespace katara::providers::gemini {

using core::UpstreamErrorKind;

http::OutgoingRequest GeminiAdapter::request(const ProviderAccess& provider, std::string_view model,
                                             std::string_view method, std::string_view body,
                                             std::string_view request_id) const {
  // Model ids are written either bare or as the API names them ("models/gemini-…").
  if (model.rfind("models/", 0) == 0) model.remove_prefix(7);
  http::OutgoingRequest req;
  req.method = "POST";
  req.target = provider.endpoint.base_path + "/v1beta/models/" +
               boost::urls::encode(model, boost::urls::unreserved_chars) + ":" + std::string(method);
  req.headers.reserve(5);
  req.headers.push_back({"content-type", "application/json"});
  const bool sse = method.find("alt=sse") != std::string_view::npos;
  req.headers.push_back({"accept", sse ? "text/event-stream" : "application/json"});
  req.headers.push_back({"user-agent", "katara/" KATARA_VERSION});
  if (!provider.api_key.empty()) req.headers.push_back({"x-goog-api-key", provider.api_key});
  if (!request_id.empty()) req.headers.push_back({"x-request-id", std::string(request_id)});
  req.body = body;
  return req;
}

http::OutgoingRequest GeminiAdapter::chatRequest(const ProviderAccess& provider, const ChatTarget& target,
                                                 std::string_view body) const {
  return request(provider, target.model, target.stream ? "streamGenerateContent?alt=sse" : "generateContent", body,
                 target.request_id);
}

core::EncodedBody GeminiAdapter::encodeChat(const core::ChatRequest& request) const {
  return encodeGenerateRequest(request);
}

core::Result<core::ChatResponse> GeminiAdapter::decodeChat(std::string_view body) const {
  return decodeGenerateResponse(body);
}

std::unique_ptr<core::StreamDecoder> GeminiAdapter::streamDecoder() const {
  return std::make_unique<GenerateStreamDecoder>();
}

ErrorFields parseErrorBody(std::string_view body) {
  ErrorFields out;
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  // Some Google front ends wrap the error in a one-element array.
  if (!ec && v.is_array() && !v.as_array().empty()) v = v.as_array()[0];
  if (ec || !v.is_object()) return out;
  const auto* err = core::objectAt(v.as_object(), "error");
  if (!err) return out;
  out.message = core::strOr(*err, "message");
  out.status = core::strOr(*err, "status");
  if (const auto* details = core::arrayAt(*err, "details")) {
    for (const auto& d : *details) {
      if (!d.is_object()) continue;
      if (auto reason = core::strOr(d.as_object(), "reason"); !reason.empty()) out.reason = reason;
      if (auto delay = core::strOr(d.as_object(), "retryDelay"); !delay.empty()) out.retry_delay = delay;
    }
  }
  return out;
}

namespace {

// "37s" or "1.5s" → milliseconds; zero when unreadable.
std::chrono::milliseconds parseDelay(std::string_view text) {
  if (text.empty() || text.back() != 's') return std::chrono::milliseconds{0};
  text.remove_suffix(1);
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc{} || ptr != text.data() + text.size() || seconds < 0 || seconds > 3600)
    return std::chrono::milliseconds{0};
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace

core::UpstreamError GeminiAdapter::classifyError(int status, const http::Headers& headers,
                                                 std::string_view body) const {
  auto fields = parseErrorBody(body);
  UpstreamErrorKind kind = kindForStatus(status);
  if (fields.reason == "API_KEY_INVALID" || fields.message.find("API key not valid") != std::string::npos ||
      fields.status == "PERMISSION_DENIED" || fields.status == "UNAUTHENTICATED" ||
      fields.status == "FAILED_PRECONDITION")
    kind = UpstreamErrorKind::Auth;
  else if (fields.status == "RESOURCE_EXHAUSTED") kind = UpstreamErrorKind::RateLimited;
  else if (kind == UpstreamErrorKind::ClientError &&
           fields.message.find("exceeds the maximum number of tokens") != std::string::npos)
    kind = UpstreamErrorKind::ContextLength;
  std::string message = fields.message;
  if (!fields.reason.empty()) message = fields.reason + ": " + message;
  auto error = upstreamError(kind, status, message, headers);
  if (error.retry_after.count() == 0) {
    if (auto delay = parseDelay(fields.retry_delay); delay.count() > 0) {
      error.retry_after = delay;
      error.message += describeRetryAfter(delay);
    }
  }
  return error;
}

core::ApiError GeminiAdapter::clientError(int status, std::string_view body) const {
  return restatedClientError(status, parseErrorBody(body).message);
}

const Embedder* GeminiAdapter::embedder() const {
  static const GeminiEmbedder kEmbedder;
  return &kEmbedder;
}

}  // namespace katara::providers::gemini
