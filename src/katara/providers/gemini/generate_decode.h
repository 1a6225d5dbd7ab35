#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "katara/core/chat.h"
#include "katara/core/result.h"
#include "katara/core/stream_codec.h"
#include "katara/http/sse.h"

namespace katara::providers::gemini {

// A GenerateContentResponse → the canonical answer (first candidate). Text parts are joined
// (thought parts skipped); each functionCall part becomes a tool call whose arguments are the
// serialized `args` object and whose id is the part's own id when Gemini gives one, otherwise
// made from the response id and the call's position (ids must be unique for OpenAI clients);
// a call's thoughtSignature is remembered under its id for the next turn.
// A prompt blocked before any candidate is a content-filter finish with no text.
// Usage: input = promptTokenCount − cachedContentTokenCount (canonical input excludes cached
// tokens), output = candidatesTokenCount + thoughtsTokenCount (as OpenAI counts reasoning).
core::Result<core::ChatResponse> decodeGenerateResponse(std::string_view body);

// streamGenerateContent?alt=sse → canonical events. Every SSE event is a whole
// GenerateContentResponse with the next parts: the first gives Start, text parts TextDelta, a
// functionCall part ToolCallStart plus one ToolCallDelta with all its arguments (Gemini sends
// calls whole). usageMetadata and finishReason are kept from the latest event; the stream ends
// at EOF, which gives Usage then Finish — but only after a finishReason arrived, since a body
// that stops earlier was cut. An event {"error":{...}} gives Error.
class GenerateStreamDecoder final : public core::StreamDecoder {
 public:
  bool feed(std::string_view bytes, std::vector<core::ChatEvent>& out, std::string& error) override;
  bool end(std::vector<core::ChatEvent>& out, std::string& error) override;

 private:
  bool onData(std::string_view data, std::vector<core::ChatEvent>& out, std::string& error);

  http::SseSplitter splitter_;
  bool started_ = false, finish_seen_ = false, failed_ = false;
  std::string response_id_;
  int next_tool_index_ = 0;
  core::FinishReason finish_ = core::FinishReason::Stop;
  core::Usage usage_;
};

// STOP → Stop (ToolCalls when the answer called a function), MAX_TOKENS → Length, the safety
// family (SAFETY, RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, IMAGE_SAFETY) →
// ContentFilter, MALFORMED_FUNCTION_CALL → Error, anything else → Stop.
core::FinishReason finishReasonOf(std::string_view finish_reason, bool called_tools);

}  // namespace katara::providers::gemini
