#pragma once
#include "katara/core/client_dialect.h"

namespace katara::api {

// The OpenAI chat completions front door's format.
class OpenAiDialect final : public core::ClientDialect {
 public:
  core::ApiFormat format() const override { return core::ApiFormat::OpenAiChat; }
  std::string errorBody(const core::ApiError& error) const override;
  // `data: {"error":{...}}`: the OpenAI SDK throws APIError on an event with an `error` key.
  std::string streamError(const core::ApiError& error) const override;
  std::string_view streamEnd() const override { return "data: [DONE]\n\n"; }
  // A chat.completion whose one choice holds the text (or null with tool calls), the finish
  // reason and usage (prompt_tokens counts cached tokens, as OpenAI's does).
  std::string encodeResponse(const core::ChatResponse& response, const core::ChatRequest& request) const override;
  std::unique_ptr<core::StreamEncoder> streamEncoder(const core::ChatRequest& request) const override;
};

// OpenAI's usage object for canonical counts.
std::string openAiUsageJson(const core::Usage& usage);

}  // namespace katara::api
