#pragma once
#include <string>
#include <string_view>

#include "katara/core/chat.h"
#include "katara/core/result.h"
#include "katara/core/stream_codec.h"

namespace katara::providers::ollama {

// A non-streamed /api/chat answer → the canonical answer. Tool calls' `arguments` objects are
// serialized; a call without an id gets one made from the answer's created_at and its position
// (the answer's id is made from created_at too: Ollama gives none)
// (unique across turns, as OpenAI clients need). done_reason length → Length, a message with
// tool calls → ToolCalls, otherwise Stop. prompt_eval_count / eval_count are the usage.
// `thinking` is not part of the answer.
core::Result<core::ChatResponse> decodeOllamaChat(std::string_view body);

// /api/chat NDJSON → canonical events: the first line gives Start, `content` TextDelta, each
// tool call (Ollama sends them whole) ToolCallStart plus one ToolCallDelta, the `done: true`
// line Usage then Finish. {"error": "..."} gives Error. The body must reach `done: true` (or
// an error line): an earlier end is a cut stream.
class ChatNdjsonDecoder final : public core::StreamDecoder {
 public:
  bool feed(std::string_view bytes, std::vector<core::ChatEvent>& out, std::string& error) override;
  bool end(std::vector<core::ChatEvent>& out, std::string& error) override;

 private:
  bool onLine(std::string_view line, std::vector<core::ChatEvent>& out, std::string& error);

  static constexpr std::size_t kMaxLine = 8u << 20;
  std::string buffer_;
  bool started_ = false, finished_ = false;
  std::string stamp_;  // created_at of the first line, for call ids
  int next_tool_index_ = 0;
};

}  // namespace katara::providers::ollama
