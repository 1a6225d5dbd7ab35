#include "katara/providers/ollama/embeddings.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"
#include "katara/providers/ollama/ollama_adapter.h"
#include "katara/providers/openai/embeddings.h"

namespace katara::providers::ollama {

namespace json = boost::json;

std::optional<std::string> OllamaEmbedder::encode(const core::EmbeddingRequest& r, std::string& why) const {
  if (r.texts.empty()) {
    why = "Ollama embeds text, not token ids";
    return std::nullopt;
  }
  json::array input;
  for (const auto& t : r.texts) input.push_back(json::string(t));
  json::object body{{"model", r.model}, {"input", std::move(input)}};
  if (r.dimensions) body["dimensions"] = *r.dimensions;
  return json::serialize(body);
}

http::OutgoingRequest OllamaEmbedder::request(const ProviderAccess& provider, const ChatTarget& target,
                                              std::string_view body) const {
  static const OllamaAdapter kAdapter;
  return kAdapter.request(provider, "/api/embed", false, body, target.request_id);
}

core::Result<core::EmbeddingResponse> OllamaEmbedder::decode(std::string_view body, std::size_t inputs) const {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto& o = v.as_object();
  const auto* embeddings = core::arrayAt(o, "embeddings");
  if (!embeddings || embeddings->size() != inputs) return bad("the answer does not hold one embedding per input");
  core::EmbeddingResponse r;
  r.model = core::strOr(o, "model");
  for (const auto& e : *embeddings) {
    auto vec = e.is_array() ? openai::readVector(e) : std::nullopt;
    if (!vec) return bad("an embedding is not an array of numbers");
    r.vectors.push_back(std::move(*vec));
  }
  r.prompt_tokens = core::intOr(o, "prompt_eval_count", 0);
  return r;
}

}  // namespace katara::providers::ollama
