#pragma once
#include <memory>
#include <set>
#include <string_view>

#include "katara/core/chat.h"
#include "katara/core/result.h"
#include "katara/core/stream_codec.h"
#include "katara/http/sse.h"

namespace katara::providers::openai {

// A chat.completion body → the canonical answer (first choice). Usage is normalised:
// canonical input tokens exclude the cached ones, which OpenAI counts inside prompt_tokens.
core::Result<core::ChatResponse> decodeChatResponse(std::string_view body);

// chat.completion.chunk SSE → canonical events. The first chunk gives Start; a tool call's first
// delta for an `index` gives ToolCallStart (then its argument fragments ToolCallDelta);
// `finish_reason` and the usage chunk are held until [DONE], which gives Usage then Finish.
// A stream that ends without [DONE] after a finish_reason is complete too (some
// OpenAI-compatible servers omit it); `data: {"error":...}` gives Error.
class ChatStreamDecoder final : public core::StreamDecoder {
 public:
  bool feed(std::string_view bytes, std::vector<core::ChatEvent>& out, std::string& error) override;
  bool end(std::vector<core::ChatEvent>& out, std::string& error) override;
  bool answerComplete() const override { return finish_seen_ && !done_; }

 private:
  bool onData(std::string_view data, std::vector<core::ChatEvent>& out, std::string& error);
  void finish(std::vector<core::ChatEvent>& out);

  http::SseSplitter splitter_;
  bool started_ = false, finish_seen_ = false, done_ = false;
  core::FinishReason finish_ = core::FinishReason::Stop;
  core::Usage usage_;
  std::set<std::int64_t> started_calls_;
};

core::FinishReason finishReasonOf(std::string_view finish_reason);

}  // namespace katara::providers::openai
