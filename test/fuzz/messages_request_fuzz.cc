// Client bytes: the body of POST /v1/messages, inspected, parsed into the canonical form, and
// encoded for OpenAI and back for Anthropic.
#include <cstdint>
#include <string>

#include <boost/json/parse.hpp>

#include "katara/api/anthropic/messages_parse.h"
#include "katara/api/openai/openai_chat_parse.h"
#include "katara/providers/anthropic/messages_encode.h"
#include "katara/providers/openai/chat_encode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto inspected = katara::api::anthropic::inspectMessagesRequest(body);
  auto* info = std::get_if<katara::api::anthropic::MessagesRequestInfo>(&inspected);
  if (!info) return 0;
  if (info->model_begin > info->model_end || info->model_end > body.size()) __builtin_trap();
  auto parsed = katara::api::anthropic::parseMessagesRequest(info->json);
  auto* request = std::get_if<katara::core::ChatRequest>(&parsed);
  if (!request) return 0;
  // Whatever is accepted must encode to a body OpenAI's parse accepts.
  auto openai = katara::providers::openai::encodeChatRequest(*request);
  if (!std::holds_alternative<katara::core::ChatRequest>(katara::api::parseOpenAiChat(openai.body))) __builtin_trap();
  // Back to Anthropic the body may be refused (turns with only empty text are skipped, which
  // can leave none), but it is always JSON.
  boost::system::error_code ec;
  boost::json::parse(katara::providers::anthropic::encodeMessagesRequest(*request).body, ec);
  if (ec) __builtin_trap();
  return 0;
}
