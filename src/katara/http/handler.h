#pragma once
#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>

#include "katara/http/message.h"
#include "katara/http/response_writer.h"

namespace katara::http {

// Answers requests for one worker. Called on that worker's thread only.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual boost::asio::awaitable<void> handle(Request& request, ResponseWriter& writer) = 0;
  // The body of an error the connection answers before any handler runs (headers or body over
  // the limit, bytes that are not HTTP), for the request `target` when it was read (else "").
  // By default OpenAI's shape; a handler that serves other API formats picks by path.
  virtual std::string refusalBody(std::string_view target, int status, std::string_view message,
                                  std::string_view code) const;
  // Told after such a refusal was sent (`method` and `target` as far as they were read), so
  // that it is counted and logged like any other request.
  virtual void noteRefusal(std::string_view /*method*/, std::string_view /*target*/, int /*status*/,
                           std::string_view /*message*/) {}
};

}  // namespace katara::http
