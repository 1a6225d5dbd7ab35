#include "katara/providers/gemini/generate_decode.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"
#include "katara/core/request_id.h"
#include "katara/providers/gemini/thought_signatures.h"

namespace katara::providers::gemini {

namespace json = boost::json;
using core::ChatEvent;
using core::intOr;
using core::strOr;

core::FinishReason finishReasonOf(std::string_view r, bool called_tools) {
  if (r == "MAX_TOKENS") return core::FinishReason::Length;
  if (r == "SAFETY" || r == "RECITATION" || r == "BLOCKLIST" || r == "PROHIBITED_CONTENT" || r == "SPII" ||
      r == "IMAGE_SAFETY")
    return core::FinishReason::ContentFilter;
  if (r == "MALFORMED_FUNCTION_CALL") return core::FinishReason::Error;
  return called_tools ? core::FinishReason::ToolCalls : core::FinishReason::Stop;
}

namespace {

void readUsage(const json::object& u, core::Usage& usage) {
  const auto cached = intOr(u, "cachedContentTokenCount", 0);
  const auto thoughts = intOr(u, "thoughtsTokenCount", 0);
  if (u.contains("promptTokenCount")) usage.input_tokens = intOr(u, "promptTokenCount", 0) - cached;
  if (u.contains("candidatesTokenCount") || thoughts) usage.output_tokens = intOr(u, "candidatesTokenCount", 0) + thoughts;
  usage.cache_read_tokens = cached;
  usage.reasoning_tokens = thoughts;
}

// The call's id: Gemini's own when it gives one, else made from the response id and the
// call's position. A thoughtSignature on the part is remembered under that id.
std::string callId(const json::object& part, const json::object& call, std::string_view response_id, int index) {
  auto id = strOr(call, "id");
  if (id.empty()) {
    id = "call_" + (response_id.empty() ? core::randomHex(16) : std::string(response_id)) + "_" + std::to_string(index);
  }
  if (auto signature = strOr(part, "thoughtSignature"); !signature.empty()) rememberThoughtSignature(id, signature);
  return id;
}

// The first candidate's parts, or nullptr.
const json::array* partsOf(const json::object& candidate) {
  const auto* content = core::objectAt(candidate, "content");
  return content ? core::arrayAt(*content, "parts") : nullptr;
}

bool isThought(const json::object& part) {
  const auto* t = part.if_contains("thought");
  return t && t->is_bool() && t->as_bool();
}

const json::object* firstCandidate(const json::object& o) {
  const auto* candidates = core::arrayAt(o, "candidates");
  if (!candidates || candidates->empty() || !(*candidates)[0].is_object()) return nullptr;
  return &(*candidates)[0].as_object();
}

// A prompt blocked before generation has promptFeedback.blockReason and no candidates.
bool promptBlocked(const json::object& o) {
  const auto* feedback = core::objectAt(o, "promptFeedback");
  return feedback && !strOr(*feedback, "blockReason").empty();
}

}  // namespace

core::Result<core::ChatResponse> decodeGenerateResponse(std::string_view body) {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto& o = v.as_object();
  core::ChatResponse r;
  r.id = strOr(o, "responseId");
  if (r.id.empty()) r.id = "gen-" + core::randomHex(24);
  r.model = strOr(o, "modelVersion");
  if (const auto* u = core::objectAt(o, "usageMetadata")) readUsage(*u, r.usage);
  const auto* candidate = firstCandidate(o);
  if (!candidate) {
    if (!promptBlocked(o)) return bad("the answer has no candidates");
    r.finish = core::FinishReason::ContentFilter;
    return r;
  }
  if (const auto* parts = partsOf(*candidate)) {
    for (const auto& p : *parts) {
      if (!p.is_object() || isThought(p.as_object())) continue;
      const auto& part = p.as_object();
      if (const auto* call = core::objectAt(part, "functionCall")) {
        const auto* args = call->if_contains("args");
        r.tool_calls.push_back({callId(part, *call, r.id, static_cast<int>(r.tool_calls.size())), strOr(*call, "name"),
                                args ? json::serialize(*args) : "{}"});
      } else {
        r.text += strOr(part, "text");
      }
    }
  }
  r.finish = finishReasonOf(strOr(*candidate, "finishReason", "STOP"), !r.tool_calls.empty());
  return r;
}

bool GenerateStreamDecoder::onData(std::string_view data, std::vector<ChatEvent>& out, std::string& error) {
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object()) {
    error = "an event is not a JSON object";
    return false;
  }
  const auto& o = v.as_object();
  if (const auto* e = core::objectAt(o, "error")) {
    ChatEvent err;
    err.kind = ChatEvent::Kind::Error;
    err.error.status = 502;
    err.error.type = "api_error";
    err.error.message = strOr(*e, "message", "upstream error");
    out.push_back(std::move(err));
    failed_ = true;
    return true;
  }
  if (!started_) {
    started_ = true;
    response_id_ = strOr(o, "responseId");
    ChatEvent start;
    start.kind = ChatEvent::Kind::Start;
    start.id = response_id_.empty() ? "gen-" + core::randomHex(24) : response_id_;
    start.model = strOr(o, "modelVersion");
    out.push_back(std::move(start));
  }
  if (const auto* u = core::objectAt(o, "usageMetadata")) readUsage(*u, usage_);
  const auto* candidate = firstCandidate(o);
  if (!candidate) {
    if (promptBlocked(o)) {
      finish_ = core::FinishReason::ContentFilter;
      finish_seen_ = true;
    }
    return true;  // a usage-only event
  }
  if (const auto* parts = partsOf(*candidate)) {
    for (const auto& p : *parts) {
      if (!p.is_object() || isThought(p.as_object())) continue;
      const auto& part = p.as_object();
      if (const auto* call = core::objectAt(part, "functionCall")) {
        ChatEvent startCall;
        startCall.kind = ChatEvent::Kind::ToolCallStart;
        startCall.tool_index = next_tool_index_++;
        startCall.tool_id = callId(part, *call, response_id_, startCall.tool_index);
        startCall.tool_name = strOr(*call, "name");
        ChatEvent args;
        args.kind = ChatEvent::Kind::ToolCallDelta;
        args.tool_index = startCall.tool_index;
        const auto* a = call->if_contains("args");
        args.text = a ? json::serialize(*a) : "{}";
        out.push_back(std::move(startCall));
        out.push_back(std::move(args));
      } else if (const auto* t = part.if_contains("text"); t && t->is_string() && !t->as_string().empty()) {
        ChatEvent text;
        text.kind = ChatEvent::Kind::TextDelta;
        text.text = t->as_string();
        out.push_back(std::move(text));
      }
    }
  }
  if (const auto* r = candidate->if_contains("finishReason"); r && r->is_string()) {
    finish_ = finishReasonOf(r->as_string(), next_tool_index_ > 0);
    finish_seen_ = true;
  }
  return true;
}

bool GenerateStreamDecoder::feed(std::string_view bytes, std::vector<ChatEvent>& out, std::string& error) {
  splitter_.feed(bytes);
  while (auto ev = splitter_.next()) {
    if (failed_ || ev->data.empty()) continue;  // comments and keep-alives
    if (!onData(ev->data, out, error)) return false;
  }
  if (splitter_.overflowed()) {
    error = "an event exceeded the size limit";
    return false;
  }
  return true;
}

bool GenerateStreamDecoder::end(std::vector<ChatEvent>& out, std::string& error) {
  if (failed_) return true;
  // Bytes after the last blank line are a cut event (js-genai: "Incomplete JSON segment").
  if (splitter_.pending().find_first_not_of(" \t\r\n") != std::string_view::npos) {
    error = "the stream ended inside an event";
    return false;
  }
  if (!finish_seen_) {
    error = started_ ? "the stream ended before a finishReason" : "the stream ended without an event";
    return false;
  }
  core::appendUsageAndFinish(out, usage_, finish_);
  return true;
}

}  // namespace katara::providers::gemini
