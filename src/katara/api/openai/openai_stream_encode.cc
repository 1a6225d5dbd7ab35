#include "katara/api/openai/openai_stream_encode.h"

#include <boost/json/parse.hpp>

#include "katara/api/openai/openai_dialect.h"
#include "katara/core/json_access.h"
#include "katara/core/json_text.h"
#include "katara/http/sse.h"

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
      if (role_sent_) return {};  // a resumed stream has had its start
      if (!e.id.empty()) id_ = e.id;
      if (e.created != 0) created_ = e.created;
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
      std::string out = finish_sent_ ? std::string() : chunk("{}", openAiFinishReason(e.finish));
      if (include_usage_ && !usage_sent_) {
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

void OpenAiChunkEncoder::resumeAfter(std::string_view sent) {
  namespace json = boost::json;
  http::SseSplitter splitter;
  splitter.feed(sent);
  bool first = true;
  while (auto ev = splitter.next()) {
    if (ev->data.empty() || ev->isDone()) continue;
    boost::system::error_code ec;
    auto v = json::parse(ev->data, ec);
    if (ec || !v.is_object()) continue;
    const auto& o = v.as_object();
    if (first && o.contains("id")) {
      // The client's chunks so far name the answer: every later one names it alike.
      first = false;
      id_ = core::strOr(o, "id", id_);
      created_ = core::intOr(o, "created", created_);
      model_ = core::strOr(o, "model", model_);
    }
    role_sent_ = true;
    usage_sent_ |= core::objectAt(o, "usage") != nullptr;
    if (const auto* choices = core::arrayAt(o, "choices"); choices && !choices->empty() && (*choices)[0].is_object()) {
      const auto* reason = (*choices)[0].as_object().if_contains("finish_reason");
      finish_sent_ |= reason && reason->is_string();
    }
  }
}

}  // namespace katara::api
