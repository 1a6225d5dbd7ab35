#pragma once
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <variant>

#include "katara/api/openai/openai_error.h"

namespace katara::api {

// A legacy POST /v1/completions request, checked: it is passed through to OpenAI-compatible
// targets only, so the gateway checks what routing needs and what OpenAI would reject first.
struct CompletionRequestInfo {
  std::string model;
  bool stream = false;
  boost::json::object json;
};

// `model` a non-empty string; `prompt` a string, an array of strings, an array of token ids
// or an array of such arrays; `stream` a boolean (or null).
std::variant<CompletionRequestInfo, OpenAiError> inspectCompletionRequest(std::string_view body);

// The request aimed at a provider's model id.
std::string completionBodyFor(const CompletionRequestInfo& info, std::string_view model);

}  // namespace katara::api
