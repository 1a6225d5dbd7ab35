#include "katara/providers/ollama/chat_decode.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"
#include "katara/core/request_id.h"

namespace katara::providers::ollama {

namespace json = boost::json;
using core::ChatEvent;
using core::intOr;
using core::strOr;

namespace {

// "2026-01-02T03:04:05.123648Z" → "20260102030405123648": ids made from the answer's time
// (Ollama stamps to the microsecond or finer), so they differ between answers.
std::string digitsOf(std::string_view stamp) {
  std::string out;
  for (char c : stamp) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out.empty() ? core::randomHex(16) : out;
}

std::string callId(const json::object& call, const std::string& stamp, int index) {
  auto id = strOr(call, "id");
  return id.empty() ? "call_" + stamp + "_" + std::to_string(index) : id;
}

core::ToolCall toolCall(const json::object& call, const std::string& stamp, int index) {
  const auto* fn = core::objectAt(call, "function");
  core::ToolCall out;
  out.id = callId(call, stamp, index);
  if (!fn) return out;
  out.name = strOr(*fn, "name");
  const auto* args = fn->if_contains("arguments");
  // Arguments are an object; some builds send them as a JSON string already.
  if (args && args->is_string()) out.arguments_json = args->as_string();
  else out.arguments_json = args ? json::serialize(*args) : "{}";
  return out;
}

core::Usage usageOf(const json::object& o) {
  core::Usage u;
  u.input_tokens = intOr(o, "prompt_eval_count", 0);
  u.output_tokens = intOr(o, "eval_count", 0);
  return u;
}

core::FinishReason finishOf(const json::object& o, bool called_tools) {
  if (strOr(o, "done_reason") == "length") return core::FinishReason::Length;
  return called_tools ? core::FinishReason::ToolCalls : core::FinishReason::Stop;
}

}  // namespace

core::Result<core::ChatResponse> decodeOllamaChat(std::string_view body) {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto& o = v.as_object();
  const auto* message = core::objectAt(o, "message");
  if (!message) return bad("the answer has no message");
  core::ChatResponse r;
  const std::string stamp = digitsOf(strOr(o, "created_at"));
  r.id = "ollama-" + stamp;
  r.model = strOr(o, "model");
  r.text = strOr(*message, "content");
  if (const auto* calls = core::arrayAt(*message, "tool_calls")) {
    for (const auto& c : *calls) {
      if (c.is_object()) r.tool_calls.push_back(toolCall(c.as_object(), stamp, static_cast<int>(r.tool_calls.size())));
    }
  }
  r.finish = finishOf(o, !r.tool_calls.empty());
  r.usage = usageOf(o);
  return r;
}

bool ChatNdjsonDecoder::onLine(std::string_view line, std::vector<ChatEvent>& out, std::string& error) {
  boost::system::error_code ec;
  auto v = json::parse(line, ec);
  if (ec || !v.is_object()) {
    error = "a line is not a JSON object";
    return false;
  }
  const auto& o = v.as_object();
  if (const auto* e = o.if_contains("error")) {
    ChatEvent err;
    err.kind = ChatEvent::Kind::Error;
    err.error.status = 502;
    err.error.type = "api_error";
    err.error.message = e->is_string() ? std::string(e->as_string()) : json::serialize(*e);
    out.push_back(std::move(err));
    finished_ = true;
    return true;
  }
  if (!started_) {
    started_ = true;
    stamp_ = digitsOf(strOr(o, "created_at"));
    ChatEvent start;
    start.kind = ChatEvent::Kind::Start;
    start.id = "ollama-" + stamp_;
    start.model = strOr(o, "model");
    out.push_back(std::move(start));
  }
  if (const auto* message = core::objectAt(o, "message")) {
    if (auto text = strOr(*message, "content"); !text.empty()) {
      ChatEvent delta;
      delta.kind = ChatEvent::Kind::TextDelta;
      delta.text = std::move(text);
      out.push_back(std::move(delta));
    }
    if (const auto* calls = core::arrayAt(*message, "tool_calls")) {
      for (const auto& c : *calls) {
        if (!c.is_object()) continue;
        auto call = toolCall(c.as_object(), stamp_, next_tool_index_);
        ChatEvent start;
        start.kind = ChatEvent::Kind::ToolCallStart;
        start.tool_index = next_tool_index_++;
        start.tool_id = std::move(call.id);
        start.tool_name = std::move(call.name);
        ChatEvent args;
        args.kind = ChatEvent::Kind::ToolCallDelta;
        args.tool_index = start.tool_index;
        args.text = std::move(call.arguments_json);
        out.push_back(std::move(start));
        out.push_back(std::move(args));
      }
    }
  }
  if (const auto* done = o.if_contains("done"); done && done->is_bool() && done->as_bool()) {
    core::appendUsageAndFinish(out, usageOf(o), finishOf(o, next_tool_index_ > 0));
    finished_ = true;
  }
  return true;
}

bool ChatNdjsonDecoder::feed(std::string_view bytes, std::vector<ChatEvent>& out, std::string& error) {
  if (finished_) return true;
  buffer_.append(bytes);
  std::size_t from = 0;
  for (auto nl = buffer_.find('\n'); nl != std::string::npos; nl = buffer_.find('\n', from)) {
    std::string_view line(buffer_.data() + from, nl - from);
    from = nl + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (!onLine(line, out, error)) return false;
    if (finished_) {
      buffer_.clear();
      return true;
    }
  }
  buffer_.erase(0, from);
  if (buffer_.size() > kMaxLine) {
    error = "a line exceeded the size limit";
    return false;
  }
  return true;
}

bool ChatNdjsonDecoder::end(std::vector<ChatEvent>& out, std::string& error) {
  // A last line without its newline still counts.
  if (!finished_ && buffer_.find_first_not_of(" \t\r\n") != std::string::npos) {
    std::string last = std::move(buffer_);
    buffer_.clear();
    if (!onLine(last, out, error)) return false;
  }
  if (finished_) return true;
  error = started_ ? "the stream ended before its done line" : "the stream ended without a line";
  return false;
}

}  // namespace katara::providers::ollama
