#include "katara/api/openai/openai_error.h"

#include "katara/core/json_text.h"

namespace katara::api {

std::string openAiErrorBody(const core::ApiError& e) {
  std::string out = R"({"error":{"message":)";
  core::appendJsonString(out, e.message);
  out += R"(,"type":)";
  core::appendJsonString(out, e.type);
  out += R"(,"param":)";
  if (e.param) core::appendJsonString(out, *e.param); else out += "null";
  out += R"(,"code":)";
  if (e.code) core::appendJsonString(out, *e.code); else out += "null";
  out += "}}";
  return out;
}


OpenAiError invalidJson() {
  return {400,
          "We could not parse the JSON body of your request. The API expects a JSON payload, but "
          "what was sent was not valid JSON.",
          "invalid_request_error", std::nullopt, std::nullopt};
}

OpenAiError invalidType(const std::string& param, std::string_view expected, std::string_view got) {
  return {400,
          "Invalid type for '" + param + "': expected " + std::string(expected) + ", but got " + std::string(got) +
              " instead.",
          "invalid_request_error", param, "invalid_type"};
}

OpenAiError missingParameter(const std::string& param) {
  return {400, "Missing required parameter: '" + param + "'.", "invalid_request_error", param,
          "missing_required_parameter"};
}

OpenAiError unsupportedValue(const std::string& param, std::string_view message) {
  return {400, std::string(message), "invalid_request_error", param, "unsupported_value"};
}

OpenAiError missingModel() {
  return {400, "you must provide a model parameter", "invalid_request_error", std::nullopt, std::nullopt};
}

OpenAiError emptyMessages() {
  return {400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
          "invalid_request_error", "messages", "empty_array"};
}

OpenAiError invalidRole(const std::string& param, std::string_view role) {
  return {400,
          "Invalid value: '" + std::string(role) +
              "'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
          "invalid_request_error", param, "invalid_value"};
}

OpenAiError unknownModel(std::string_view model) {
  return {404, "The model `" + std::string(model) + "` does not exist or you do not have access to it.",
          "invalid_request_error", std::nullopt, "model_not_found"};
}

OpenAiError missingApiKey() {
  return {401,
          "You didn't provide an API key. You need to provide your API key in an Authorization "
          "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          "invalid_request_error", std::nullopt, "missing_api_key"};
}

OpenAiError wrongApiKey() {
  return {401, "Incorrect API key provided.", "invalid_request_error", std::nullopt, "invalid_api_key"};
}

OpenAiError notFound(std::string_view path) {
  return {404, "Unknown request URL: " + std::string(path) + ".", "invalid_request_error", std::nullopt,
          "unknown_url"};
}

OpenAiError methodNotAllowed(std::string_view method, std::string_view path) {
  return {405, "Method " + std::string(method) + " is not allowed for " + std::string(path) + ".",
          "invalid_request_error", std::nullopt, "method_not_allowed"};
}

}  // namespace katara::api
