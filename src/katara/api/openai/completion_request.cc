#include "katara/api/openai/completion_request.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"

namespace katara::api {

namespace json = boost::json;

namespace {

bool isTokenArray(const json::array& a) {
  for (const auto& t : a) {
    if (!t.is_int64() && !t.is_uint64()) return false;
  }
  return true;
}

bool validPrompt(const json::value& prompt) {
  if (prompt.is_string()) return true;
  if (!prompt.is_array()) return false;
  const auto& a = prompt.as_array();
  if (isTokenArray(a)) return true;
  bool strings = true, token_arrays = true;
  for (const auto& p : a) {
    strings &= p.is_string();
    token_arrays &= p.is_array() && isTokenArray(p.as_array());
  }
  return strings || token_arrays;
}

}  // namespace

std::variant<CompletionRequestInfo, OpenAiError> inspectCompletionRequest(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return invalidJson();
  CompletionRequestInfo info;
  info.json = std::move(v.as_object());
  const auto* model = info.json.if_contains("model");
  if (!model) return missingModel();
  if (!model->is_string()) return invalidType("model", "a string", core::jsonTypeName(*model));
  info.model = model->as_string();
  if (info.model.empty()) return missingModel();
  const auto* prompt = info.json.if_contains("prompt");
  if (!prompt) return missingParameter("prompt");
  if (!validPrompt(*prompt)) {
    return invalidType("prompt", "a string, an array of strings, an array of tokens or an array of token arrays",
                       core::jsonTypeName(*prompt));
  }
  if (const auto* stream = info.json.if_contains("stream"); stream && !stream->is_null()) {
    if (!stream->is_bool()) return invalidType("stream", "a boolean", core::jsonTypeName(*stream));
    info.stream = stream->as_bool();
  }
  return info;
}

std::string completionBodyFor(const CompletionRequestInfo& info, std::string_view model) {
  json::object copy = info.json;
  copy["model"] = model;
  return json::serialize(copy);
}

}  // namespace katara::api
