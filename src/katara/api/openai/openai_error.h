#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "katara/core/api_error.h"

namespace katara::api {

// Errors as OpenAI returns them: {"error":{"message","type","param","code"}}.
using OpenAiError = core::ApiError;

// {"error":{"message","type","param","code"}}
std::string openAiErrorBody(const core::ApiError& error);

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
