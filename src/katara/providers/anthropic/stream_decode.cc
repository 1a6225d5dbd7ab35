#include "katara/providers/anthropic/stream_decode.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"
#include "katara/providers/anthropic/messages_decode.h"

namespace katara::providers::anthropic {

namespace json = boost::json;
using core::ChatEvent;
using core::intOr;
using core::strOr;

core::FinishReason finishReasonOf(std::string_view r) {
  if (r == "max_tokens" || r == "model_context_window_exceeded") return core::FinishReason::Length;
  if (r == "tool_use") return core::FinishReason::ToolCalls;
  if (r == "refusal") return core::FinishReason::ContentFilter;
  return core::FinishReason::Stop;  // end_turn, stop_sequence, pause_turn
}


bool MessagesStreamDecoder::onEvent(std::string_view event, std::string_view data, std::vector<ChatEvent>& out,
                                    std::string& error) {
  if (event == "ping") return true;
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object()) {
    error = "event '" + std::string(event) + "' is not a JSON object";
    return false;
  }
  const auto& o = v.as_object();
  const std::string type = strOr(o, "type");
  if (type == "message_start") {
    const auto* m = o.if_contains("message");
    if (!m || !m->is_object()) {
      error = "message_start without a message";
      return false;
    }
    ChatEvent start;
    start.kind = ChatEvent::Kind::Start;
    start.id = strOr(m->as_object(), "id");
    start.model = strOr(m->as_object(), "model");
    if (const auto* u = m->as_object().if_contains("usage"); u && u->is_object()) readUsage(u->as_object(), usage_);
    out.push_back(std::move(start));
  } else if (type == "content_block_start") {
    const auto* block = o.if_contains("content_block");
    if (!block || !block->is_object()) {
      error = "content_block_start without a content_block";
      return false;
    }
    if (strOr(block->as_object(), "type") == "tool_use") {
      ChatEvent call;
      call.kind = ChatEvent::Kind::ToolCallStart;
      call.tool_index = next_tool_index_++;
      call.tool_id = strOr(block->as_object(), "id");
      call.tool_name = strOr(block->as_object(), "name");
      tool_index_of_block_[intOr(o, "index", -1)] = call.tool_index;
      out.push_back(std::move(call));
    }
  } else if (type == "content_block_delta") {
    const auto* delta = o.if_contains("delta");
    if (!delta || !delta->is_object()) {
      error = "content_block_delta without a delta";
      return false;
    }
    const auto& d = delta->as_object();
    const std::string dtype = strOr(d, "type");
    if (dtype == "text_delta") {
      ChatEvent text;
      text.kind = ChatEvent::Kind::TextDelta;
      text.text = strOr(d, "text");
      out.push_back(std::move(text));
    } else if (dtype == "input_json_delta") {
      auto it = tool_index_of_block_.find(intOr(o, "index", -1));
      if (it == tool_index_of_block_.end()) {
        error = "input_json_delta for a block that is not a tool_use";
        return false;
      }
      ChatEvent args;
      args.kind = ChatEvent::Kind::ToolCallDelta;
      args.tool_index = it->second;
      args.text = strOr(d, "partial_json");
      out.push_back(std::move(args));
    }
  } else if (type == "message_delta") {
    if (const auto* d = o.if_contains("delta"); d && d->is_object()) {
      if (const auto* r = d->as_object().if_contains("stop_reason"); r && r->is_string()) {
        finish_ = finishReasonOf(r->as_string());
        stopped_ = true;
      }
    }
    if (const auto* u = o.if_contains("usage"); u && u->is_object()) readUsage(u->as_object(), usage_);
  } else if (type == "message_stop") {
    finishNow(out);
  } else if (type == "error") {
    ChatEvent err;
    err.kind = ChatEvent::Kind::Error;
    const auto* e = o.if_contains("error");
    err.error.status = 502;
    err.error.type = e && e->is_object() ? strOr(e->as_object(), "type") : "api_error";
    err.error.message = e && e->is_object() ? strOr(e->as_object(), "message") : "upstream error";
    out.push_back(std::move(err));
    finished_ = true;
  }
  return true;  // content_block_stop and unknown event types carry nothing canonical
}

void MessagesStreamDecoder::finishNow(std::vector<ChatEvent>& out) {
  if (finished_) return;
  core::appendUsageAndFinish(out, usage_, finish_);
  finished_ = true;
}

bool MessagesSseDecoder::feed(std::string_view bytes, std::vector<ChatEvent>& out, std::string& error) {
  splitter_.feed(bytes);
  while (auto ev = splitter_.next()) {
    if (events_.finished() || ev->event.empty()) continue;
    if (!events_.onEvent(ev->event, ev->data, out, error)) return false;
  }
  if (splitter_.overflowed()) {
    error = "an event exceeded the size limit";
    return false;
  }
  return true;
}

bool MessagesSseDecoder::end(std::vector<ChatEvent>& out, std::string& error) {
  if (events_.finished()) return true;
  if (events_.stopped()) {  // complete but for its message_stop
    events_.finishNow(out);
    return true;
  }
  error = "the stream ended before message_stop";
  return false;
}

}  // namespace katara::providers::anthropic
