#include "katara/providers/openai/embeddings.h"

#include <boost/json.hpp>

#include <cmath>

#include "katara/core/base64.h"
#include "katara/core/json_access.h"
#include "katara/providers/openai/openai_adapter.h"

namespace katara::providers::openai {

namespace json = boost::json;

std::optional<std::vector<float>> readVector(const json::value& v) {
  std::vector<float> out;
  if (v.is_string()) {
    auto decoded = core::floatsFromBase64(v.as_string());
    if (!decoded) return std::nullopt;
    out = std::move(*decoded);
  } else if (v.is_array()) {
    out.reserve(v.as_array().size());
    for (const auto& x : v.as_array()) {
      if (!x.is_number()) return std::nullopt;
      out.push_back(static_cast<float>(x.to_number<double>()));
    }
  } else {
    return std::nullopt;
  }
  for (float f : out) {
    if (!std::isfinite(f)) return std::nullopt;
  }
  return out;
}

std::optional<std::string> OpenAiEmbedder::encode(const core::EmbeddingRequest& r, std::string&) const {
  json::object body{{"model", r.model}, {"encoding_format", "float"}};
  if (!r.texts.empty()) {
    if (r.single_input) {
      body["input"] = r.texts[0];
    } else {
      json::array a;
      for (const auto& t : r.texts) a.push_back(json::string(t));
      body["input"] = std::move(a);
    }
  } else {
    json::array a;
    for (const auto& tokens : r.tokens) a.push_back(json::value_from(tokens));
    body["input"] = r.single_input && !a.empty() ? a[0] : json::value(std::move(a));
  }
  if (r.dimensions) body["dimensions"] = *r.dimensions;
  if (!r.user.empty()) body["user"] = r.user;
  return json::serialize(body);
}

http::OutgoingRequest OpenAiEmbedder::request(const ProviderAccess& provider, const ChatTarget& target,
                                              std::string_view body) const {
  return apiRequest(provider, target, body, provider.endpoint.base_path + "/embeddings", true);
}

core::Result<core::EmbeddingResponse> OpenAiEmbedder::decode(std::string_view body, std::size_t inputs) const {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto& o = v.as_object();
  const auto* data = core::arrayAt(o, "data");
  if (!data || data->size() != inputs) return bad("the answer does not hold one embedding per input");
  core::EmbeddingResponse r;
  r.model = core::strOr(o, "model");
  r.vectors.resize(inputs);
  std::vector<bool> seen(inputs, false);
  for (std::size_t i = 0; i < data->size(); ++i) {
    const auto& item = (*data)[i];
    if (!item.is_object()) return bad("an embedding is not an object");
    // Items carry their input's index; servers may list them in another order.
    const auto index = core::intOr(item.as_object(), "index", static_cast<std::int64_t>(i));
    if (index < 0 || static_cast<std::size_t>(index) >= inputs || seen[index]) return bad("an embedding has a wrong index");
    const auto* e = item.as_object().if_contains("embedding");
    auto vec = e ? readVector(*e) : std::nullopt;
    if (!vec) return bad("an embedding is neither numbers nor base64 float32");
    r.vectors[index] = std::move(*vec);
    seen[index] = true;
  }
  if (const auto* u = core::objectAt(o, "usage")) r.prompt_tokens = core::intOr(*u, "prompt_tokens", 0);
  return r;
}

}  // namespace katara::providers::openai
