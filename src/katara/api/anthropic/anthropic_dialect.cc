#include "katara/api/anthropic/anthropic_dialect.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "katara/api/anthropic/anthropic_error.h"
#include "katara/core/json_access.h"
#include "katara/core/json_text.h"
#include "katara/http/sse.h"
#include "katara/core/request_id.h"

namespace katara::api::anthropic {

using core::ChatEvent;

namespace {

std::string sse(std::string_view event, const std::string& data) {
  return "event: " + std::string(event) + "\ndata: " + data + "\n\n";
}

std::string usageJson(const core::Usage& u) {
  return R"({"input_tokens":)" + std::to_string(u.input_tokens) + R"(,"cache_creation_input_tokens":)" +
         std::to_string(u.cache_write_tokens) + R"(,"cache_read_input_tokens":)" + std::to_string(u.cache_read_tokens) +
         R"(,"output_tokens":)" + std::to_string(u.output_tokens) + "}";
}

// Tool arguments as the `input` object; arguments that are not a JSON object become {}.
std::string inputJson(const std::string& arguments) {
  boost::system::error_code ec;
  auto v = boost::json::parse(arguments, ec);
  return !ec && v.is_object() ? boost::json::serialize(v) : "{}";
}

std::string messageId(const std::string& id) { return id.empty() ? "msg_" + core::randomHex(24) : id; }

}  // namespace

const char* stopReason(core::FinishReason reason) {
  switch (reason) {
    case core::FinishReason::Length: return "max_tokens";
    case core::FinishReason::ToolCalls: return "tool_use";
    case core::FinishReason::ContentFilter: return "refusal";
    case core::FinishReason::Stop:
    case core::FinishReason::Error: return "end_turn";
  }
  return "end_turn";
}

std::string AnthropicDialect::errorBody(const core::ApiError& error) const { return anthropic::errorBody(error); }

std::string AnthropicDialect::streamError(const core::ApiError& error) const { return sse("error", errorBody(error)); }

std::string AnthropicDialect::encodeResponse(const core::ChatResponse& r, const core::ChatRequest&) const {
  std::string out = R"({"id":)";
  core::appendJsonString(out, messageId(r.id));
  out += R"(,"type":"message","role":"assistant","model":)";
  core::appendJsonString(out, r.model);
  out += R"(,"content":[)";
  bool first = true;
  if (!r.text.empty()) {
    out += R"({"type":"text","text":)";
    core::appendJsonString(out, r.text);
    out += "}";
    first = false;
  }
  for (const auto& c : r.tool_calls) {
    if (!first) out += ',';
    first = false;
    out += R"({"type":"tool_use","id":)";
    core::appendJsonString(out, c.id);
    out += R"(,"name":)";
    core::appendJsonString(out, c.name);
    out += R"(,"input":)" + inputJson(c.arguments_json) + "}";
  }
  out += R"(],"stop_reason":)";
  core::appendJsonString(out, stopReason(r.finish));
  out += R"(,"stop_sequence":null,"usage":)" + usageJson(r.usage) + "}";
  return out;
}

std::unique_ptr<core::StreamEncoder> AnthropicDialect::streamEncoder(const core::ChatRequest&) const {
  return std::make_unique<MessagesStreamEncoder>();
}

void MessagesStreamEncoder::start(std::string& out, const ChatEvent* e) {
  started_ = true;
  std::string message = R"({"type":"message_start","message":{"id":)";
  core::appendJsonString(message, messageId(e ? e->id : std::string()));
  message += R"(,"type":"message","role":"assistant","model":)";
  core::appendJsonString(message, e ? e->model : std::string());
  message += R"(,"content":[],"stop_reason":null,"stop_sequence":null,"usage":)" + usageJson(usage_) + "}}";
  out += sse("message_start", message);
}

void MessagesStreamEncoder::closeBlock(std::string& out) {
  if (open_block_ < 0) return;
  out += sse("content_block_stop", R"({"type":"content_block_stop","index":)" + std::to_string(open_block_) + "}");
  open_block_ = -1;
}

void MessagesStreamEncoder::openBlock(std::string& out, const std::string& block_json) {
  closeBlock(out);
  open_block_ = next_block_++;
  out += sse("content_block_start",
             R"({"type":"content_block_start","index":)" + std::to_string(open_block_) + R"(,"content_block":)" + block_json + "}");
  if (!pinged_) {
    pinged_ = true;
    out += sse("ping", R"({"type":"ping"})");
  }
}

std::string MessagesStreamEncoder::encode(const ChatEvent& e) {
  std::string out;
  if (complete_) return out;
  if (e.kind == ChatEvent::Kind::Error) {
    complete_ = true;
    return sse("error", errorBody(e.error));
  }
  if (e.kind == ChatEvent::Kind::Start) {
    if (!started_) start(out, &e);
    return out;
  }
  if (!started_) start(out, nullptr);
  switch (e.kind) {
    case ChatEvent::Kind::TextDelta: {
      if (open_block_ < 0 || !open_is_text_) {
        openBlock(out, R"({"type":"text","text":""})");
        open_is_text_ = true;
      }
      std::string delta = R"({"type":"content_block_delta","index":)" + std::to_string(open_block_) +
                          R"(,"delta":{"type":"text_delta","text":)";
      core::appendJsonString(delta, e.text);
      out += sse("content_block_delta", delta + "}}");
      break;
    }
    case ChatEvent::Kind::ToolCallStart: {
      std::string block = R"({"type":"tool_use","id":)";
      core::appendJsonString(block, e.tool_id.empty() ? "toolu_" + core::randomHex(24) : e.tool_id);
      block += R"(,"name":)";
      core::appendJsonString(block, e.tool_name);
      block += R"(,"input":{}})";
      openBlock(out, block);
      open_is_text_ = false;
      block_of_tool_[e.tool_index] = open_block_;
      break;
    }
    case ChatEvent::Kind::ToolCallDelta: {
      auto it = block_of_tool_.find(e.tool_index);
      if (it == block_of_tool_.end()) break;  // arguments of a call that never started: nowhere to put them
      std::string delta = R"({"type":"content_block_delta","index":)" + std::to_string(it->second) +
                          R"(,"delta":{"type":"input_json_delta","partial_json":)";
      core::appendJsonString(delta, e.text);
      out += sse("content_block_delta", delta + "}}");
      break;
    }
    case ChatEvent::Kind::Usage:
      usage_ = e.usage;
      break;
    case ChatEvent::Kind::Finish: {
      complete_ = true;
      if (finish_sent_) {
        out += sse("message_stop", R"({"type":"message_stop"})");
        break;
      }
      closeBlock(out);
      std::string delta = R"({"type":"message_delta","delta":{"stop_reason":)";
      core::appendJsonString(delta, stopReason(e.finish));
      delta += R"(,"stop_sequence":null},"usage":)" + usageJson(usage_) + "}";
      out += sse("message_delta", delta);
      out += sse("message_stop", R"({"type":"message_stop"})");
      break;
    }
    default:
      break;
  }
  return out;
}

void MessagesStreamEncoder::resumeAfter(std::string_view sent) {
  http::SseSplitter splitter;
  splitter.feed(sent);
  while (auto ev = splitter.next()) {
    if (ev->event == "message_start") started_ = true;
    else if (ev->event == "ping") pinged_ = true;
    else if (ev->event == "message_delta") finish_sent_ = true;
    else if (ev->event == "content_block_stop") open_block_ = -1;
    if (ev->event != "content_block_start") continue;
    // The blocks the client has (thinking ones included) keep their numbers: new ones follow.
    boost::system::error_code ec;
    auto v = boost::json::parse(ev->data, ec);
    if (ec || !v.is_object()) continue;
    const auto index = core::intOr(v.as_object(), "index", next_block_);
    const auto* block = core::objectAt(v.as_object(), "content_block");
    open_block_ = static_cast<int>(index);
    next_block_ = std::max(next_block_, open_block_ + 1);
    open_is_text_ = block && core::strOr(*block, "type") == "text";
  }
}

}  // namespace katara::api::anthropic
