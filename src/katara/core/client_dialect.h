#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "katara/core/api_error.h"
#include "katara/core/api_format.h"
#include "katara/core/chat.h"
#include "katara/core/stream_codec.h"

namespace katara::core {

// A front door's wire format, as routing needs it without knowing the format: how the gateway
// itself says an error (a response, or in-band once a stream has started, plus the stream's end
// marker), and how an answer from a target of another format is written for this client.
// Implemented per front door in api/<format>/; stateless and shared.
class ClientDialect {
 public:
  virtual ~ClientDialect() = default;
  virtual ApiFormat format() const = 0;
  virtual std::string errorBody(const ApiError& error) const = 0;
  virtual std::string streamError(const ApiError& error) const = 0;
  virtual std::string_view streamEnd() const = 0;

  // A complete answer translated from another format. `request` is the client's own request.
  virtual std::string encodeResponse(const ChatResponse& response, const ChatRequest& request) const = 0;
  // A stream encoder for one translated answer.
  virtual std::unique_ptr<StreamEncoder> streamEncoder(const ChatRequest& request) const = 0;
};

}  // namespace katara::core
