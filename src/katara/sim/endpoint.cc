#include "katara/sim/endpoint.h"

namespace katara::sim {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string_view queryValue(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    if (startsWith(pair, name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

}  // namespace

std::optional<SimEndpoint> matchEndpoint(const http::Request& request) {
  const std::string_view path = request.path();
  SimEndpoint e;
  if (path == "/v1/chat/completions" || path == "/v1/completions" || path == "/v1/embeddings") {
    e.label = "openai";
    if (path == "/v1/completions") e.op = SimOperation::Completion;
    if (path == "/v1/embeddings") e.op = SimOperation::Embedding;
    return e;
  }
  if (path == "/v1/messages" || path == "/v1/messages/count_tokens") {
    e.format = SimFormat::Anthropic;
    e.label = "anthropic";
    if (path == "/v1/messages/count_tokens") e.op = SimOperation::CountTokens;
    return e;
  }
  if (path == "/api/chat" || path == "/api/embed") {
    e.format = SimFormat::Ollama;
    e.label = "ollama";
    if (path == "/api/embed") e.op = SimOperation::Embedding;
    return e;
  }
  constexpr std::string_view kAzurePrefix = "/openai/deployments/";
  if (startsWith(path, kAzurePrefix)) {
    auto rest = path.substr(kAzurePrefix.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0) return std::nullopt;
    auto operation = rest.substr(slash);
    if (operation == "/completions") e.op = SimOperation::Completion;
    else if (operation == "/embeddings") e.op = SimOperation::Embedding;
    else if (operation != "/chat/completions") return std::nullopt;
    e.label = "azure";
    e.model = rest.substr(0, slash);
    return e;
  }
  constexpr std::string_view kGeminiPrefix = "/v1beta/models/";
  if (startsWith(path, kGeminiPrefix)) {
    auto rest = path.substr(kGeminiPrefix.size());
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    auto method = rest.substr(colon + 1);
    if (method == "batchEmbedContents") e.op = SimOperation::Embedding;
    else if (method != "generateContent" && method != "streamGenerateContent") return std::nullopt;
    e.format = SimFormat::Gemini;
    e.label = "gemini";
    e.model = rest.substr(0, colon);
    if (e.op == SimOperation::Chat) e.stream = method == "streamGenerateContent";
    e.sse = queryValue(request.target, "alt") == "sse";
    return e;
  }
  return std::nullopt;
}

std::string presentedKey(const SimEndpoint& endpoint, const http::Request& request) {
  if (endpoint.format == SimFormat::Anthropic) return std::string(request.header("x-api-key"));
  if (endpoint.format == SimFormat::Gemini) {
    auto key = request.header("x-goog-api-key");
    return std::string(key.empty() ? queryValue(request.target, "key") : key);
  }
  if (endpoint.label == "azure") return std::string(request.header("api-key"));
  std::string_view bearer = request.header("authorization");
  if (startsWith(bearer, "Bearer ")) bearer.remove_prefix(7);
  return std::string(bearer);
}

std::string_view authStyle(const http::Request& request) {
  if (!request.header("x-api-key").empty()) return "x-api-key";
  if (!request.header("api-key").empty()) return "api-key";
  if (!request.header("x-goog-api-key").empty()) return "x-goog-api-key";
  if (!request.header("authorization").empty()) return "bearer";
  return "none";
}

}  // namespace katara::sim
