#pragma once
#include <cstdint>
#include <string>

#include "katara/core/chat.h"
#include "katara/core/stream_codec.h"

namespace katara::api {

// Writes canonical stream events as OpenAI chat.completion.chunk SSE, keeping the rules the
// SDKs check: one id and `created` for every chunk, `role` only in the first delta, tool-call
// deltas with their `index` (id, type and name in the first one), `finish_reason` on its own
// chunk, the usage chunk (choices: []) before [DONE] only with include_usage — and then
// `usage: null` on every other chunk — and an in-band error as `data: {"error":...}` + [DONE].
class OpenAiChunkEncoder final : public core::StreamEncoder {
 public:
  OpenAiChunkEncoder(bool include_usage, std::int64_t created) : include_usage_(include_usage), created_(created) {}

  // The SSE bytes for one event (possibly empty). After Finish or Error the stream is complete.
  std::string encode(const core::ChatEvent& event) override;
  bool complete() const override { return complete_; }
  void resumeAfter(std::string_view sent) override;

 private:
  std::string chunk(const std::string& delta_json, const char* finish_reason);

  bool include_usage_;
  std::int64_t created_;
  std::string id_ = "chatcmpl-katara";
  std::string model_;
  bool role_sent_ = false;
  bool finish_sent_ = false;  // resumed after the finish_reason chunk: only usage and [DONE] remain
  bool usage_sent_ = false;   // resumed after the usage chunk too
  bool complete_ = false;
  core::Usage usage_;
};

const char* openAiFinishReason(core::FinishReason reason);

}  // namespace katara::api
