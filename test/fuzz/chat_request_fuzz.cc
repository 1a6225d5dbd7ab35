// Client bytes: the body of POST /v1/chat/completions (inspected and rewritten, parsed into the
// canonical form and encoded for every adapter) and of the legacy POST /v1/completions.
#include <cstdint>
#include <string>

#include "katara/api/openai/chat_request.h"
#include "katara/api/openai/completion_request.h"
#include "katara/api/openai/openai_chat_parse.h"
#include "katara/providers/adapter.h"
#include "katara/providers/openai/chat_encode.h"

#include <boost/json/parse.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto r = katara::api::inspectChatRequest(body);
  if (auto* info = std::get_if<katara::api::ChatRequestInfo>(&r)) {
    if (info->model_begin > info->model_end || info->model_end > body.size()) __builtin_trap();
    auto rewritten = katara::api::withModel(body, *info, "m");
    (void)rewritten;
  }
  // The canonical parse: whatever it accepts must encode to a body it accepts again, and to
  // well-formed JSON for every other format.
  auto canonical = katara::api::parseOpenAiChat(std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* req = std::get_if<katara::core::ChatRequest>(&canonical)) {
    auto again = katara::api::parseOpenAiChat(katara::providers::openai::encodeChatRequest(*req).body);
    if (!std::holds_alternative<katara::core::ChatRequest>(again)) __builtin_trap();
    for (const auto* adapter : katara::providers::allAdapters()) {
      boost::system::error_code ec;
      boost::json::parse(adapter->encodeChat(*req).body, ec);
      if (ec) __builtin_trap();
    }
  }
  auto legacy = katara::api::inspectCompletionRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  if (auto* info = std::get_if<katara::api::CompletionRequestInfo>(&legacy)) {
    boost::system::error_code ec;
    boost::json::parse(katara::api::completionBodyFor(*info, "m"), ec);
    if (ec) __builtin_trap();
  }
  return 0;
}
