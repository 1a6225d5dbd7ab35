#include "katara/providers/anthropic/messages_decode.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "katara/core/json_access.h"
#include "katara/providers/anthropic/stream_decode.h"

namespace katara::providers::anthropic {

namespace json = boost::json;
using core::intOr;
using core::strOr;

void readUsage(const json::object& u, core::Usage& usage) {
  usage.input_tokens = intOr(u, "input_tokens", usage.input_tokens);
  usage.output_tokens = intOr(u, "output_tokens", usage.output_tokens);
  usage.cache_read_tokens = intOr(u, "cache_read_input_tokens", usage.cache_read_tokens);
  usage.cache_write_tokens = intOr(u, "cache_creation_input_tokens", usage.cache_write_tokens);
}

core::Result<core::ChatResponse> decodeMessagesResponse(std::string_view body) {
  auto bad = [](std::string why) { return core::UpstreamError{core::UpstreamErrorKind::BadResponse, std::move(why)}; };
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return bad("the answer is not a JSON object");
  const auto& o = v.as_object();
  const auto* content = core::arrayAt(o, "content");
  if (strOr(o, "type") != "message" || !content) return bad("the answer is not a Messages API message");
  core::ChatResponse r;
  r.id = strOr(o, "id");
  r.model = strOr(o, "model");
  for (const auto& block : *content) {
    if (!block.is_object()) continue;
    const auto& b = block.as_object();
    const auto type = strOr(b, "type");
    if (type == "text") {
      r.text += strOr(b, "text");
    } else if (type == "tool_use") {
      const auto* input = b.if_contains("input");
      r.tool_calls.push_back({strOr(b, "id"), strOr(b, "name"), input ? json::serialize(*input) : "{}"});
    }
  }
  r.finish = finishReasonOf(strOr(o, "stop_reason", "end_turn"));
  if (const auto* u = core::objectAt(o, "usage")) readUsage(*u, r.usage);
  return r;
}

}  // namespace katara::providers::anthropic
