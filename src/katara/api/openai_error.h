#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "katara/core/client_dialect.h"

namespace katara::api {

// Errors as OpenAI returns them: {"error":{"message","type","param","code"}}.
using OpenAiError = core::ApiError;

class OpenAiDialect final : public core::ClientDialect {
 public:
  std::string errorBody(const core::ApiError& error) const override;
  // `data: {"error":{...}}`: the OpenAI SDK throws APIError on an event with an `error` key.
  std::string streamError(const core::ApiError& error) const override;
  std::string_view streamEnd() const override { return "data: [DONE]\n\n"; }
};

OpenAiError invalidJson();
// "Invalid type for 'messages': expected an array of objects, but got a string instead."
OpenAiError invalidType(const std::string& param, std::string_view expected, std::string_view got);
OpenAiError missingParameter(const std::string& param);
// A value the gateway understands but cannot carry (e.g. an unsupported content part type).
OpenAiError unsupportedValue(const std::string& param, std::string_view message);
OpenAiError missingModel();
OpenAiError emptyMessages();
OpenAiError invalidRole(const std::string& param, std::string_view role);
OpenAiError unknownModel(std::string_view model);
OpenAiError missingApiKey();
OpenAiError wrongApiKey();
OpenAiError notFound(std::string_view path);
OpenAiError methodNotAllowed(std::string_view method, std::string_view path);

}  // namespace katara::api
