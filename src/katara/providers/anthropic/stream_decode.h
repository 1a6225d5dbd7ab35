#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "katara/core/chat.h"
#include "katara/core/stream_codec.h"
#include "katara/http/sse.h"

namespace katara::providers::anthropic {

// Turns Anthropic's streamed Messages events (SSE `event:` name + `data:` JSON) into canonical
// events, one upstream event at a time. Not thread-safe; one per stream.
//
// Mapping: message_start → Start (id, model; input usage kept); a tool_use block start →
// ToolCallStart with tool indexes counted 0, 1, ... as OpenAI numbers calls; text_delta →
// TextDelta; input_json_delta → ToolCallDelta; message_delta keeps the stop reason and the
// cumulative output usage; message_stop → Usage then Finish; `error` → Error. ping,
// content_block_stop, thinking and signature deltas carry nothing canonical and are skipped.
class MessagesStreamDecoder {
 public:
  // False (with `error` set) when the event is not what the API sends: the stream is malformed.
  bool onEvent(std::string_view event, std::string_view data, std::vector<core::ChatEvent>& out, std::string& error);
  bool finished() const { return finished_; }
  // message_delta brought the stop reason: only message_stop is missing.
  bool stopped() const { return stopped_; }
  // Ends the answer without its message_stop (usage, then finish).
  void finishNow(std::vector<core::ChatEvent>& out);

 private:
  std::map<std::int64_t, int> tool_index_of_block_;
  int next_tool_index_ = 0;
  core::Usage usage_;
  core::FinishReason finish_ = core::FinishReason::Stop;
  bool finished_ = false;
  bool stopped_ = false;
};

// The whole upstream body: SSE framing, then MessagesStreamDecoder per event. Events without
// an `event:` line are skipped, as the SDK skips them. The stream must end at message_stop
// (or an in-band error): Anthropic has no other end marker, so EOF before it is a cut stream.
class MessagesSseDecoder final : public core::StreamDecoder {
 public:
  bool feed(std::string_view bytes, std::vector<core::ChatEvent>& out, std::string& error) override;
  bool end(std::vector<core::ChatEvent>& out, std::string& error) override;
  bool answerComplete() const override { return events_.stopped(); }

 private:
  http::SseSplitter splitter_;
  MessagesStreamDecoder events_;
};

core::FinishReason finishReasonOf(std::string_view stop_reason);

}  // namespace katara::providers::anthropic
