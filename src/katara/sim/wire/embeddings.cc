// The simulator's embedding endpoints: OpenAI's /v1/embeddings (float or base64), Gemini's
// :batchEmbedContents and Ollama's /api/embed, all giving the same vector for the same text.
#include <openssl/evp.h>

#include <cstring>

#include "katara/sim/wire/formats.h"

namespace katara::sim {

namespace json = boost::json;

std::vector<float> simEmbedding(std::string_view text, std::size_t dimensions) {
  std::vector<float> out(dimensions);
  for (std::size_t i = 0; i < dimensions; ++i) {
    std::uint64_t h = 1469598103934665603ull ^ (i * 0x9e3779b97f4a7c15ull);  // FNV-1a, seeded per dimension
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    out[i] = static_cast<float>(static_cast<int>(h % 2048) - 1024) / 1024.0f;
  }
  return out;
}

namespace {

constexpr std::size_t kDefaultDimensions = 8;

json::array floats(const std::vector<float>& v) {
  json::array a;
  for (float f : v) a.push_back(static_cast<double>(f));
  return a;
}

std::string base64Floats(const std::vector<float>& v) {
  std::string bytes(v.size() * 4, '\0');
  for (std::size_t i = 0; i < v.size(); ++i) std::memcpy(&bytes[i * 4], &v[i], 4);  // x86: little-endian
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                  static_cast<int>(bytes.size()));
  return out;
}

std::size_t dimensionsOf(const json::object& o, const char* key) {
  const auto* d = o.if_contains(key);
  if (d && d->is_int64() && d->as_int64() > 0 && d->as_int64() <= 4096) return static_cast<std::size_t>(d->as_int64());
  return kDefaultDimensions;
}

// OpenAI's input: a string, strings, token ids, or token id arrays; texts to embed, or none when invalid.
std::optional<std::vector<std::string>> openAiInputs(const json::value* input) {
  if (!input) return std::nullopt;
  if (input->is_string()) return std::vector<std::string>{std::string(input->as_string())};
  if (!input->is_array() || input->as_array().empty()) return std::nullopt;
  const auto& a = input->as_array();
  std::vector<std::string> out;
  if (a[0].is_int64()) return std::vector<std::string>{json::serialize(a)};
  for (const auto& item : a) {
    if (item.is_string()) out.emplace_back(item.as_string());
    else if (item.is_array()) out.push_back(json::serialize(item));
    else return std::nullopt;
  }
  return out;
}

int tokensOf(const std::vector<std::string>& texts) {
  int n = 0;
  for (const auto& t : texts) n += static_cast<int>(t.size() / 4 + 1);
  return n;
}

SimReply openAiEmbeddings(const json::object& body) {
  auto inputs = openAiInputs(body.if_contains("input"));
  if (!inputs) return {400, wire::openAiError(400, "'input' must be a string or a non-empty array.", "invalid_input")};
  const auto* format = body.if_contains("encoding_format");
  const bool base64 = format && format->is_string() && format->as_string() == "base64";
  const auto dims = dimensionsOf(body, "dimensions");
  json::array data;
  for (std::size_t i = 0; i < inputs->size(); ++i) {
    auto v = simEmbedding((*inputs)[i], dims);
    json::value embedding = base64 ? json::value(json::string(base64Floats(v))) : json::value(floats(v));
    data.push_back(json::object{{"object", "embedding"}, {"index", i}, {"embedding", std::move(embedding)}});
  }
  const int tokens = tokensOf(*inputs);
  json::object out{{"object", "list"}, {"data", std::move(data)}, {"model", body.contains("model") ? body.at("model") : json::value("")},
                   {"usage", {{"prompt_tokens", tokens}, {"total_tokens", tokens}}}};
  return {200, json::serialize(out)};
}

SimReply geminiEmbeddings(const json::object& body) {
  const auto* requests = body.if_contains("requests");
  if (!requests || !requests->is_array() || requests->as_array().empty()) {
    return {400, wire::geminiError(400, "* BatchEmbedContentsRequest.requests: requests is not specified", "")};
  }
  json::array embeddings;
  for (const auto& r : requests->as_array()) {
    const auto* content = r.is_object() ? r.as_object().if_contains("content") : nullptr;
    const auto* parts = content && content->is_object() ? content->as_object().if_contains("parts") : nullptr;
    if (!parts || !parts->is_array()) return {400, wire::geminiError(400, "* content: parts is not specified", "")};
    std::string text;
    for (const auto& p : parts->as_array()) {
      if (const auto* t = p.is_object() ? p.as_object().if_contains("text") : nullptr; t && t->is_string()) text += t->as_string();
    }
    embeddings.push_back(json::object{{"values", floats(simEmbedding(text, dimensionsOf(r.as_object(), "outputDimensionality")))}});
  }
  return {200, json::serialize(json::object{{"embeddings", std::move(embeddings)}})};
}

SimReply ollamaEmbeddings(const json::object& body) {
  const auto* input = body.if_contains("input");
  std::vector<std::string> texts;
  if (input && input->is_string()) texts.emplace_back(input->as_string());
  else if (input && input->is_array()) {
    for (const auto& t : input->as_array()) {
      if (!t.is_string()) return {400, wire::ollamaError("invalid input type")};
      texts.emplace_back(t.as_string());
    }
  }
  if (texts.empty()) return {400, wire::ollamaError("invalid input type")};
  json::array embeddings;
  for (const auto& t : texts) embeddings.push_back(floats(simEmbedding(t, dimensionsOf(body, "dimensions"))));
  json::object out{{"model", body.contains("model") ? body.at("model") : json::value("")},
                   {"embeddings", std::move(embeddings)}, {"total_duration", 14143917}, {"load_duration", 1019500},
                   {"prompt_eval_count", tokensOf(texts)}};
  return {200, json::serialize(out)};
}

}  // namespace

SimReply embeddingAnswer(SimFormat format, const json::object& body) {
  switch (format) {
    case SimFormat::Gemini: return geminiEmbeddings(body);
    case SimFormat::Ollama: return ollamaEmbeddings(body);
    default: break;
  }
  return openAiEmbeddings(body);
}

}  // namespace katara::sim
