#include "katara/api/openai/openai_dialect.h"

#include <chrono>

#include "katara/api/openai/openai_error.h"
#include "katara/api/openai/openai_stream_encode.h"
#include "katara/core/json_text.h"
#include "katara/core/request_id.h"

namespace katara::api {

namespace {

std::int64_t unixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string OpenAiDialect::errorBody(const core::ApiError& e) const { return openAiErrorBody(e); }

std::string OpenAiDialect::streamError(const core::ApiError& e) const { return "data: " + errorBody(e) + "\n\n"; }

std::string openAiUsageJson(const core::Usage& u) {
  const auto prompt = u.input_tokens + u.cache_read_tokens + u.cache_write_tokens;
  return R"({"prompt_tokens":)" + std::to_string(prompt) + R"(,"completion_tokens":)" + std::to_string(u.output_tokens) +
         R"(,"total_tokens":)" + std::to_string(prompt + u.output_tokens) + R"(,"prompt_tokens_details":{"cached_tokens":)" +
         std::to_string(u.cache_read_tokens) + R"(},"completion_tokens_details":{"reasoning_tokens":)" +
         std::to_string(u.reasoning_tokens) + "}}";
}

std::string OpenAiDialect::encodeResponse(const core::ChatResponse& r, const core::ChatRequest&) const {
  std::string out = R"({"id":)";
  core::appendJsonString(out, r.id.empty() ? "chatcmpl-" + core::randomHex(24) : r.id);
  out += R"(,"object":"chat.completion","created":)" + std::to_string(r.created ? r.created : unixNow());
  out += R"(,"model":)";
  core::appendJsonString(out, r.model);
  out += R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)";
  if (r.text.empty() && !r.tool_calls.empty()) out += "null";
  else core::appendJsonString(out, r.text);
  out += R"(,"refusal":null)";
  if (!r.tool_calls.empty()) {
    out += R"(,"tool_calls":[)";
    for (std::size_t i = 0; i < r.tool_calls.size(); ++i) {
      const auto& c = r.tool_calls[i];
      if (i) out += ',';
      out += R"({"id":)";
      core::appendJsonString(out, c.id);
      out += R"(,"type":"function","function":{"name":)";
      core::appendJsonString(out, c.name);
      out += R"(,"arguments":)";
      core::appendJsonString(out, c.arguments_json);
      out += "}}";
    }
    out += "]";
  }
  out += R"(},"logprobs":null,"finish_reason":)";
  core::appendJsonString(out, openAiFinishReason(r.finish));
  out += R"(}],"usage":)" + openAiUsageJson(r.usage) + "}";
  return out;
}

std::unique_ptr<core::StreamEncoder> OpenAiDialect::streamEncoder(const core::ChatRequest& request) const {
  return std::make_unique<OpenAiChunkEncoder>(request.include_usage, unixNow());
}

}  // namespace katara::api
