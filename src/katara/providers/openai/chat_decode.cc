#include "katara/providers/openai/chat_decode.h"

#include <boost/json/parse.hpp>

#include "katara/core/json_access.h"

namespace katara::providers::openai {

namespace json = boost::json;
using core::ChatEvent;
using core::intOr;
using core::objectAt;
using core::strOr;

core::FinishReason finishReasonOf(std::string_view r) {
  if (r == "length") return core::FinishReason::Length;
  if (r == "tool_calls" || r == "function_call") return core::FinishReason::ToolCalls;
  if (r == "content_filter") return core::FinishReason::ContentFilter;
  return core::FinishReason::Stop;
}

namespace {

core::Usage usageOf(const json::object& u) {
  core::Usage usage;
  const auto cached = [&] {
    const auto* d = objectAt(u, "prompt_tokens_details");
    return d ? intOr(*d, "cached_tokens", 0) : 0;
  }();
  usage.input_tokens = std::max<std::int64_t>(0, intOr(u, "prompt_tokens", 0) - cached);
  usage.cache_read_tokens = cached;
  usage.output_tokens = intOr(u, "completion_tokens", 0);
  if (const auto* d = objectAt(u, "completion_tokens_details")) usage.reasoning_tokens = intOr(*d, "reasoning_tokens", 0);
  return usage;
}

std::string errorMessage(const json::value& err) {
  if (err.is_string()) return std::string(err.as_string());
  if (err.is_object()) return strOr(err.as_object(), "message", "upstream error");
  return "upstream error";
}

}  // namespace

core::Result<core::ChatResponse> decodeChatResponse(std::string_view body) {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto& o = v.as_object();
  const auto* choices = core::arrayAt(o, "choices");
  if (!choices || choices->empty() || !(*choices)[0].is_object()) return bad("the answer has no choices");
  const auto& choice = (*choices)[0].as_object();
  const auto* message = objectAt(choice, "message");
  if (!message) return bad("the answer's first choice has no message");
  core::ChatResponse r;
  r.id = strOr(o, "id");
  r.model = strOr(o, "model");
  r.created = intOr(o, "created", 0);
  r.text = strOr(*message, "content");
  if (const auto* calls = core::arrayAt(*message, "tool_calls")) {
    for (const auto& c : *calls) {
      if (!c.is_object()) continue;
      const auto* fn = objectAt(c.as_object(), "function");
      if (!fn) continue;
      r.tool_calls.push_back({strOr(c.as_object(), "id"), strOr(*fn, "name"), strOr(*fn, "arguments", "{}")});
    }
  }
  r.finish = finishReasonOf(strOr(choice, "finish_reason", "stop"));
  // OpenAI ends a call forced by a named tool_choice with "stop": the answer is still a call.
  if (!r.tool_calls.empty() && r.finish == core::FinishReason::Stop) r.finish = core::FinishReason::ToolCalls;
  if (const auto* u = objectAt(o, "usage")) r.usage = usageOf(*u);
  return r;
}

bool ChatStreamDecoder::feed(std::string_view bytes, std::vector<ChatEvent>& out, std::string& error) {
  splitter_.feed(bytes);
  while (auto ev = splitter_.next()) {
    if (done_) continue;  // nothing counts after [DONE]
    if (ev->data.empty()) continue;  // comments and keep-alives
    if (ev->isDone()) {
      finish(out);
      continue;
    }
    if (!onData(ev->data, out, error)) return false;
  }
  if (splitter_.overflowed()) {
    error = "an event exceeded the size limit";
    return false;
  }
  return true;
}

bool ChatStreamDecoder::onData(std::string_view data, std::vector<ChatEvent>& out, std::string& error) {
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object()) {
    error = "malformed event in the stream";
    return false;
  }
  const auto& o = v.as_object();
  if (const auto* err = o.if_contains("error")) {
    ChatEvent e;
    e.kind = ChatEvent::Kind::Error;
    e.error = {502, errorMessage(*err), "api_error", std::nullopt, std::nullopt};
    out.push_back(std::move(e));
    done_ = true;
    return true;
  }
  if (!started_) {
    started_ = true;
    ChatEvent start;
    start.kind = ChatEvent::Kind::Start;
    start.id = strOr(o, "id");
    start.model = strOr(o, "model");
    start.created = intOr(o, "created", 0);
    out.push_back(std::move(start));
  }
  if (const auto* u = objectAt(o, "usage")) usage_ = usageOf(*u);
  const auto* choices = core::arrayAt(o, "choices");
  if (!choices || choices->empty() || !(*choices)[0].is_object()) return true;  // the usage chunk
  const auto& choice = (*choices)[0].as_object();
  if (const auto* delta = objectAt(choice, "delta")) {
    if (auto text = strOr(*delta, "content"); !text.empty()) {
      ChatEvent e;
      e.kind = ChatEvent::Kind::TextDelta;
      e.text = std::move(text);
      out.push_back(std::move(e));
    }
    if (const auto* calls = core::arrayAt(*delta, "tool_calls")) {
      for (const auto& c : *calls) {
        if (!c.is_object()) continue;
        const auto& call = c.as_object();
        const std::int64_t index = intOr(call, "index", 0);
        const auto* fn = objectAt(call, "function");
        if (index < 0 || index > 1024) {
          error = "tool call index out of range";
          return false;
        }
        if (started_calls_.insert(index).second) {
          ChatEvent e;
          e.kind = ChatEvent::Kind::ToolCallStart;
          e.tool_index = static_cast<int>(index);
          e.tool_id = strOr(call, "id");
          e.tool_name = fn ? strOr(*fn, "name") : std::string();
          out.push_back(std::move(e));
        }
        if (auto args = fn ? strOr(*fn, "arguments") : std::string(); !args.empty()) {
          ChatEvent e;
          e.kind = ChatEvent::Kind::ToolCallDelta;
          e.tool_index = static_cast<int>(index);
          e.text = std::move(args);
          out.push_back(std::move(e));
        }
      }
    }
  }
  if (const auto* reason = choice.if_contains("finish_reason"); reason && reason->is_string()) {
    finish_seen_ = true;
    finish_ = finishReasonOf(reason->as_string());
  }
  return true;
}

void ChatStreamDecoder::finish(std::vector<ChatEvent>& out) {
  done_ = true;
  // OpenAI ends a call forced by a named tool_choice with "stop": the answer is still a call.
  if (!started_calls_.empty() && finish_ == core::FinishReason::Stop) finish_ = core::FinishReason::ToolCalls;
  core::appendUsageAndFinish(out, usage_, finish_);
}

bool ChatStreamDecoder::end(std::vector<ChatEvent>& out, std::string& error) {
  if (done_) return true;
  if (finish_seen_) {
    finish(out);
    return true;
  }
  error = "the stream ended before its finish_reason";
  return false;
}

}  // namespace katara::providers::openai
