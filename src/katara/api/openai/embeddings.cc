#include "katara/api/openai/embeddings.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"

#include <charconv>
#include <cmath>

#include "katara/core/base64.h"
#include "katara/core/json_text.h"

namespace katara::api {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxInputs = 2048;

std::optional<std::vector<std::int64_t>> tokenArray(const json::array& a) {
  std::vector<std::int64_t> out;
  out.reserve(a.size());
  for (const auto& t : a) {
    if (t.is_int64() && t.as_int64() >= 0) out.push_back(t.as_int64());
    else if (t.is_uint64() && t.as_uint64() <= INT64_MAX) out.push_back(static_cast<std::int64_t>(t.as_uint64()));
    else return std::nullopt;
  }
  return out;
}

// Fills the request's texts or tokens from `input`, or returns the 400.
std::optional<OpenAiError> readInput(const json::value& input, core::EmbeddingRequest& r) {
  const char* expected = "a string, an array of strings, an array of tokens or an array of token arrays";
  if (input.is_string()) {
    if (input.as_string().empty()) return unsupportedValue("input", "'input' cannot be an empty string.");
    r.texts.emplace_back(input.as_string());
    r.single_input = true;
    return std::nullopt;
  }
  if (!input.is_array()) return invalidType("input", expected, core::jsonTypeName(input));
  const auto& a = input.as_array();
  if (a.empty()) return unsupportedValue("input", "'input' cannot be an empty array.");
  if (a.size() > kMaxInputs) {
    return unsupportedValue("input", "'input' holds " + std::to_string(a.size()) + " items; at most 2048 are allowed.");
  }
  if (a[0].is_number()) {
    auto tokens = tokenArray(a);
    if (!tokens) return invalidType("input", expected, "an array of mixed values");
    r.tokens.push_back(std::move(*tokens));
    r.single_input = true;
    return std::nullopt;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& item = a[i];
    const std::string param = "input[" + std::to_string(i) + "]";
    if (item.is_string() && r.tokens.empty()) {
      if (item.as_string().empty()) return unsupportedValue(param, "'" + param + "' cannot be an empty string.");
      r.texts.emplace_back(item.as_string());
    } else if (item.is_array() && r.texts.empty()) {
      auto tokens = tokenArray(item.as_array());
      if (!tokens || tokens->empty()) return invalidType(param, "a non-empty array of tokens", core::jsonTypeName(item));
      r.tokens.push_back(std::move(*tokens));
    } else {
      return invalidType("input", expected, "an array of mixed values");
    }
  }
  return std::nullopt;
}

void appendFloat(std::string& out, float f) {
  if (!std::isfinite(f)) {  // adapters reject such answers; JSON has no NaN
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
  (void)ec;  // 32 bytes hold any float
  out.append(buf, end);
}

}  // namespace

std::variant<EmbeddingsCall, OpenAiError> parseEmbeddingsRequest(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return invalidJson();
  const auto& o = v.as_object();
  EmbeddingsCall call;
  auto& r = call.request;
  const auto* model = o.if_contains("model");
  if (!model) return missingModel();
  if (!model->is_string()) return invalidType("model", "a string", core::jsonTypeName(*model));
  r.model = model->as_string();
  if (r.model.empty()) return missingModel();
  const auto* input = o.if_contains("input");
  if (!input) return missingParameter("input");
  if (auto err = readInput(*input, r)) return *err;
  if (const auto* f = o.if_contains("encoding_format"); f && !f->is_null()) {
    if (!f->is_string() || (f->as_string() != "float" && f->as_string() != "base64")) {
      return unsupportedValue("encoding_format", "'encoding_format' must be 'float' or 'base64'.");
    }
    call.base64 = f->as_string() == "base64";
  }
  if (const auto* d = o.if_contains("dimensions"); d && !d->is_null()) {
    if (!d->is_int64() || d->as_int64() < 1) return invalidType("dimensions", "a positive integer", core::jsonTypeName(*d));
    r.dimensions = d->as_int64();
  }
  if (const auto* u = o.if_contains("user"); u && !u->is_null()) {
    if (!u->is_string()) return invalidType("user", "a string", core::jsonTypeName(*u));
    r.user = u->as_string();
  }
  return call;
}

std::string encodeEmbeddingsResponse(const core::EmbeddingResponse& response, bool base64, std::string_view model) {
  std::string out = R"({"object":"list","data":[)";
  for (std::size_t i = 0; i < response.vectors.size(); ++i) {
    if (i) out += ',';
    out += R"({"object":"embedding","index":)" + std::to_string(i) + R"(,"embedding":)";
    const auto& v = response.vectors[i];
    if (base64) {
      out += '"';
      out += core::floatsToBase64(v);
      out += '"';
    } else {
      out += '[';
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (k) out += ',';
        appendFloat(out, v[k]);
      }
      out += ']';
    }
    out += '}';
  }
  out += R"(],"model":)";
  core::appendJsonString(out, response.model.empty() ? model : std::string_view(response.model));
  const auto tokens = std::to_string(response.prompt_tokens);
  out += R"(,"usage":{"prompt_tokens":)" + tokens + R"(,"total_tokens":)" + tokens + "}}";
  return out;
}

}  // namespace katara::api
