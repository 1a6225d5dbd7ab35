#include "katara/providers/gemini/embeddings.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"
#include "katara/providers/gemini/gemini_adapter.h"
#include "katara/providers/openai/embeddings.h"

namespace katara::providers::gemini {

namespace json = boost::json;

std::optional<std::string> GeminiEmbedder::encode(const core::EmbeddingRequest& r, std::string& why) const {
  if (r.texts.empty()) {
    why = "Gemini embeds text, not token ids";
    return std::nullopt;
  }
  std::string model = r.model.rfind("models/", 0) == 0 ? r.model : "models/" + r.model;
  json::array requests;
  for (const auto& text : r.texts) {
    json::object one{{"model", model}, {"content", {{"parts", json::array{json::object{{"text", text}}}}}}};
    if (r.dimensions) one["outputDimensionality"] = *r.dimensions;
    requests.push_back(std::move(one));
  }
  return json::serialize(json::object{{"requests", std::move(requests)}});
}

http::OutgoingRequest GeminiEmbedder::request(const ProviderAccess& provider, const ChatTarget& target,
                                              std::string_view body) const {
  static const GeminiAdapter kAdapter;
  return kAdapter.request(provider, target.model, "batchEmbedContents", body, target.request_id);
}

core::Result<core::EmbeddingResponse> GeminiEmbedder::decode(std::string_view body, std::size_t inputs) const {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto* embeddings = core::arrayAt(v.as_object(), "embeddings");
  if (!embeddings || embeddings->size() != inputs) return bad("the answer does not hold one embedding per input");
  core::EmbeddingResponse r;
  for (const auto& e : *embeddings) {
    const auto* values = e.is_object() ? e.as_object().if_contains("values") : nullptr;
    auto vec = values && values->is_array() ? openai::readVector(*values) : std::nullopt;
    if (!vec) return bad("an embedding has no numeric values");
    r.vectors.push_back(std::move(*vec));
  }
  return r;
}

}  // namespace katara::providers::gemini
