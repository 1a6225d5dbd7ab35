#pragma once
#include <boost/asio/awaitable.hpp>

#include "katara/http/message.h"
#include "katara/http/response_writer.h"

namespace katara::http {

// Answers requests for one worker. Called on that worker's thread only.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual boost::asio::awaitable<void> handle(Request& request, ResponseWriter& writer) = 0;
};

}  // namespace katara::http
