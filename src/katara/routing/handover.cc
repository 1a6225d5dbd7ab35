#include "katara/routing/handover.h"

#include <boost/json/parse.hpp>

#include <vector>

#include "katara/core/json_access.h"
#include "katara/http/sse.h"
#include "katara/providers/adapter.h"

namespace katara::routing {

const std::string_view kContinueInstruction =
    "Your previous reply was cut off. Continue it exactly where it stopped: do not repeat anything "
    "already written, add no preamble or comment, and keep the same language and format.";

namespace {

bool isSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Anthropic's message_start carries the prompt's token count before any text.
std::int64_t reportedInputTokens(std::string_view sent) {
  http::SseSplitter splitter;
  splitter.feed(sent);
  while (auto ev = splitter.next()) {
    if (ev->event != "message_start") continue;
    boost::system::error_code ec;
    auto v = boost::json::parse(ev->data, ec);
    if (ec || !v.is_object()) return 0;
    const auto* message = core::objectAt(v.as_object(), "message");
    const auto* usage = message ? core::objectAt(*message, "usage") : nullptr;
    return usage ? core::intOr(*usage, "input_tokens", 0) : 0;
  }
  return 0;
}

}  // namespace

Handover readHandover(std::string_view sent, core::ApiFormat client) {
  // The client's own format, decoded as if it came from a provider of that format.
  const auto* adapter = providers::adapterFor(client == core::ApiFormat::AnthropicMessages ? "anthropic" : "openai");
  auto decoder = adapter->streamDecoder();
  std::vector<core::ChatEvent> events;
  std::string error;
  decoder->feed(sent, events, error);  // what was sent is whole events; a tail error changes nothing before it
  Handover h;
  for (const auto& e : events) {
    if (e.kind == core::ChatEvent::Kind::TextDelta) h.text += e.text;
    h.tool_call_seen |= e.kind == core::ChatEvent::Kind::ToolCallStart || e.kind == core::ChatEvent::Kind::ToolCallDelta;
  }
  h.finished = decoder->answerComplete();
  if (client == core::ApiFormat::AnthropicMessages) h.input_tokens = reportedInputTokens(sent);
  h.output_tokens = estimateTokens(h.text);
  return h;
}

ContinuationRequest continuationOf(const core::ChatRequest& original, const Handover& handover, bool prefill) {
  ContinuationRequest c{original, ContinuationMode::Restart, 0};
  std::string text = handover.text;
  if (prefill) {
    while (!text.empty() && isSpace(text.back())) text.pop_back();
  }
  if (text.empty()) return c;
  auto& messages = c.request.messages;
  // A client's own prefill already ends the conversation: the delivered text goes on from it.
  if (!messages.empty() && messages.back().role == core::Role::Assistant && messages.back().tool_calls.empty()) {
    auto& parts = messages.back().content;
    if (parts.empty() || parts.back().kind != core::ContentPart::Kind::Text) parts.push_back(core::ContentPart::makeText({}));
    parts.back().text += text;
  } else {
    core::Message partial;
    partial.role = core::Role::Assistant;
    partial.content.push_back(core::ContentPart::makeText(text));
    messages.push_back(std::move(partial));
  }
  c.added_tokens = estimateTokens(text);
  if (prefill) {
    c.mode = ContinuationMode::Prefill;
    c.request.continues_final_message = true;
  } else {
    c.mode = ContinuationMode::Instruction;
    core::Message ask;
    ask.role = core::Role::User;
    ask.content.push_back(core::ContentPart::makeText(std::string(kContinueInstruction)));
    messages.push_back(std::move(ask));
    c.added_tokens += estimateTokens(kContinueInstruction);
  }
  if (c.request.max_tokens) c.request.max_tokens = std::max<std::int64_t>(1, *c.request.max_tokens - handover.output_tokens);
  return c;
}

}  // namespace katara::routing
