#include "katara/api/openai/openai_stream_encode.h"

#include "katara/api/openai/openai_dialect.h"
#include "katara/core/json_text.h"

namespace katara::api {

using core::ChatEvent;

const char* openAiFinishReason(core::FinishReason reason) {
  switch (reason) {
    case core::FinishReason::Stop: return "stop";
    case core::FinishReason::Length: return "length";
    case core::FinishReason::ToolCalls: return "tool_calls";
    case core::FinishReason::ContentFilter: return "content_filter";
    case core::FinishReason::Error: return "stop";
  }
  return "stop";
}

std::string OpenAiChunkEncoder::chunk(const std::string& delta_json, const char* finish_reason) {
  std::string out = R"(data: {"id":)";
  core::appendJsonString(out, id_);
  out += R"(,"object":"chat.completion.chunk","created":)" + std::to_string(created_) + R"(,"model":)";
  core::appendJsonString(out, model_);
  out += R"(,"choices":[{"index":0,"delta":)" + delta_json + R"(,"logprobs":null,"finish_reason":)";
  if (finish_reason) core::appendJsonString(out, finish_reason); else out += "null";
  out += "}]";
  if (include_usage_) out += R"(,"usage":null)";
  out += "}\n\n";
  return out;
}

std::string OpenAiChunkEncoder::encode(const ChatEvent& e) {
  if (complete_) return {};
  // The first delta carries the role, whatever event comes first.
  std::string role = role_sent_ ? "" : R"("role":"assistant",)";
  auto withRole = [&](std::string fields) {
    role_sent_ = true;
    return "{" + role + fields + "}";
  };
  switch (e.kind) {
    case ChatEvent::Kind::Start:
      if (!e.id.empty()) id_ = e.id;
      model_ = e.model;
      role_sent_ = true;
      return chunk(R"({"role":"assistant","content":""})", nullptr);
    case ChatEvent::Kind::TextDelta: {
      std::string fields = R"("content":)";
      core::appendJsonString(fields, e.text);
      return chunk(withRole(fields), nullptr);
    }
    case ChatEvent::Kind::ToolCallStart: {
      std::string call = R"({"index":)" + std::to_string(e.tool_index) + R"(,"id":)";
      core::appendJsonString(call, e.tool_id);
      call += R"(,"type":"function","function":{"name":)";
      core::appendJsonString(call, e.tool_name);
      call += R"(,"arguments":""}})";
      return chunk(withRole(R"("tool_calls":[)" + call + "]"), nullptr);
    }
    case ChatEvent::Kind::ToolCallDelta: {
      std::string call = R"({"index":)" + std::to_string(e.tool_index) + R"(,"function":{"arguments":)";
      core::appendJsonString(call, e.text);
      call += "}}";
      return chunk(withRole(R"("tool_calls":[)" + call + "]"), nullptr);
    }
    case ChatEvent::Kind::Usage:
      usage_ = e.usage;
      return {};
    case ChatEvent::Kind::Finish: {
      complete_ = true;
      std::string out = chunk("{}", openAiFinishReason(e.finish));
      if (include_usage_) {
        out += R"(data: {"id":)";
        core::appendJsonString(out, id_);
        out += R"(,"object":"chat.completion.chunk","created":)" + std::to_string(created_) + R"(,"model":)";
        core::appendJsonString(out, model_);
        out += R"(,"choices":[],"usage":)" + openAiUsageJson(usage_) + "}\n\n";
      }
      return out + "data: [DONE]\n\n";
    }
    case ChatEvent::Kind::Error: {
      complete_ = true;
      OpenAiDialect dialect;
      core::ApiError err = e.error;
      if (err.type.empty()) err.type = "server_error";
      return dialect.streamError(err) + std::string(dialect.streamEnd());
    }
  }
  return {};
}

}  // namespace katara::api
