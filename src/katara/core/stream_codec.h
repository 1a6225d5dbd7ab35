#pragma once
// The two halves of a translated stream: an upstream format's bytes become canonical events,
// and canonical events become the client format's bytes. Both are stateful, one per stream.
#include <string>
#include <string_view>
#include <vector>

#include "katara/core/chat.h"

namespace katara::core {

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Decodes the next bytes of the upstream body (any split), appending whole events. False,
  // with `error` set, when the bytes are not what the format allows: the stream is malformed.
  virtual bool feed(std::string_view bytes, std::vector<ChatEvent>& out, std::string& error) = 0;
  // The upstream body ended. False, with `error` set, when the format's end was not reached;
  // formats that end at EOF append their Finish here.
  virtual bool end(std::vector<ChatEvent>& out, std::string& error) = 0;
  // True once the answer is complete though the format's end has not come (OpenAI: the
  // finish_reason arrived, [DONE] not yet): end() would succeed now. A server that then says
  // nothing more is ended without waiting for it.
  virtual bool answerComplete() const { return false; }
};

class StreamEncoder {
 public:
  virtual ~StreamEncoder() = default;
  // The client-format bytes for one event (possibly none).
  virtual std::string encode(const ChatEvent& event) = 0;
  // True once Finish or Error was encoded: the client has seen the stream's end.
  virtual bool complete() const = 0;
  // Picks up a stream whose first part the client already has (`sent`: bytes of this format,
  // whoever wrote them): later events carry it on as one stream — the same id, no second
  // start or role, block numbering continued, and a finish already sent not sent again.
  virtual void resumeAfter(std::string_view sent) = 0;
};

// A finished answer's last two events: its usage totals, then its finish.
inline void appendUsageAndFinish(std::vector<ChatEvent>& out, const Usage& usage, FinishReason reason) {
  ChatEvent u;
  u.kind = ChatEvent::Kind::Usage;
  u.usage = usage;
  out.push_back(std::move(u));
  ChatEvent f;
  f.kind = ChatEvent::Kind::Finish;
  f.finish = reason;
  out.push_back(std::move(f));
}

}  // namespace katara::core
