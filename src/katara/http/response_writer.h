#pragma once
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "katara/http/message.h"

namespace katara::http {

// How a handler answers one request. Implemented over the client connection by the server
// session; faked in unit tests. All calls happen on the connection's worker thread.
//
// A response is either complete (send) or streamed (beginStream, writeChunk..., endStream).
// Every awaitable returns false once the client is gone; the handler should then stop work.
class ResponseWriter {
 public:
  virtual ~ResponseWriter() = default;

  virtual boost::asio::awaitable<bool> send(int status, Headers headers, std::string body) = 0;

  // Starts a chunked response. Nothing reaches the client before this call: until then a
  // handler may still choose any status (this is the "commit" point of failover).
  virtual boost::asio::awaitable<bool> beginStream(int status, Headers headers) = 0;
  virtual boost::asio::awaitable<bool> writeChunk(std::string_view data) = 0;
  virtual boost::asio::awaitable<bool> endStream() = 0;

  // Resets the connection (TCP RST), answering nothing. Used by the simulator's faults.
  virtual void abortConnection() = 0;

  // True once the response head was sent.
  virtual bool committed() const = 0;
  virtual bool clientGone() const = 0;

  // `hook` runs once, on the worker, as soon as the client closes its connection while the
  // request is in flight (even when no write is pending), so upstream work can be cancelled.
  // Replacing the hook drops the previous one; pass {} to clear it before its captures die.
  virtual void onClientGone(std::function<void()> hook) = 0;
};

}  // namespace katara::http
