#pragma once
#include <map>

#include "katara/core/client_dialect.h"

namespace katara::api::anthropic {

// The Messages API front door's format.
class AnthropicDialect final : public core::ClientDialect {
 public:
  core::ApiFormat format() const override { return core::ApiFormat::AnthropicMessages; }
  std::string errorBody(const core::ApiError& error) const override;
  // `event: error` with the error body: the SDK throws APIError on it.
  std::string streamError(const core::ApiError& error) const override;
  std::string_view streamEnd() const override { return ""; }  // an error event is the end
  std::string encodeResponse(const core::ChatResponse& response, const core::ChatRequest& request) const override;
  std::unique_ptr<core::StreamEncoder> streamEncoder(const core::ChatRequest& request) const override;
};

const char* stopReason(core::FinishReason reason);

// Canonical events → Messages API SSE, with Anthropic's block bookkeeping: message_start
// first (whatever event comes first), a text or tool_use block opened when its first delta
// arrives and stopped before the next opens, one ping after the first block starts,
// input_json_delta for argument fragments, and at the end message_delta (stop reason, usage
// with input and output counts, since an OpenAI-format upstream only reports them at the end)
// then message_stop.
class MessagesStreamEncoder final : public core::StreamEncoder {
 public:
  std::string encode(const core::ChatEvent& event) override;
  bool complete() const override { return complete_; }
  void resumeAfter(std::string_view sent) override;

 private:
  void start(std::string& out, const core::ChatEvent* event);
  void closeBlock(std::string& out);
  void openBlock(std::string& out, const std::string& block_json);

  bool started_ = false, complete_ = false, pinged_ = false;
  bool finish_sent_ = false;  // resumed after message_delta: only message_stop remains
  int next_block_ = 0;
  int open_block_ = -1;         // the block index open now
  bool open_is_text_ = false;
  std::map<int, int> block_of_tool_;  // canonical tool index → block index
  core::Usage usage_;
};

}  // namespace katara::api::anthropic
