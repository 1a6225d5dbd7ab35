// Upstream bytes a client was sent (pass-through streams forward them unchanged), read back to
// hand the stream over: readHandover, the client encoders' resumeAfter, and the seam. Nothing
// may crash; a resumed encoder's events stay well-formed JSON; the seam only ever drops a
// prefix of the continuation.
#include <boost/json/parse.hpp>

#include <cstdint>
#include <string>

#include "katara/api/anthropic/anthropic_dialect.h"
#include "katara/api/openai/openai_stream_encode.h"
#include "katara/http/sse.h"
#include "katara/routing/continuation_seam.h"
#include "katara/routing/handover.h"

namespace {

void checkEvents(const std::string& sse) {
  katara::http::SseSplitter splitter;
  splitter.feed(sse);
  while (auto ev = splitter.next()) {
    if (ev->data.empty() || ev->isDone()) continue;
    boost::system::error_code ec;
    boost::json::parse(ev->data, ec);
    if (ec) __builtin_trap();
  }
}

template <typename Encoder>
void resume(Encoder& encoder, std::string_view sent, const std::string& text) {
  encoder.resumeAfter(sent);
  katara::core::ChatEvent delta;
  delta.kind = katara::core::ChatEvent::Kind::TextDelta;
  delta.text = text;
  katara::core::ChatEvent finish;
  finish.kind = katara::core::ChatEvent::Kind::Finish;
  checkEvents(encoder.encode(delta) + encoder.encode(finish));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  using namespace katara;
  const std::string_view sent(reinterpret_cast<const char*>(data + 2), size - 2);
  const auto format = data[0] % 2 ? core::ApiFormat::AnthropicMessages : core::ApiFormat::OpenAiChat;
  const auto handover = routing::readHandover(sent, format);
  if (handover.output_tokens < 0) __builtin_trap();

  api::OpenAiChunkEncoder openai(data[1] % 2, 1);
  resume(openai, sent, handover.text);
  api::anthropic::MessagesStreamEncoder anthropic;
  resume(anthropic, sent, handover.text);

  // The continuation is the input itself, in pieces; the delivered text what was read back.
  const auto mode = static_cast<routing::ContinuationMode>(data[1] % 3);
  routing::ContinuationSeam seam(handover.text, mode);
  const std::size_t step = (data[1] % 13) + 1;
  std::string in, out;
  for (std::size_t i = 0; i < sent.size(); i += step) {
    in += sent.substr(i, step);
    out += seam.feed(sent.substr(i, step));
  }
  out += seam.flush();
  if (out.size() + seam.dropped() != in.size() || in.compare(in.size() - out.size(), out.size(), out) != 0) __builtin_trap();
  return 0;
}
