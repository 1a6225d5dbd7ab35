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

  // What was sent, for the request log: the response head's status (0 before it), and whether
  // the response reached its end. Implementations keep it with the note* helpers below.
  int sentStatus() const { return sent_status_; }
  bool sentComplete() const { return sent_complete_; }
  // Keeps up to `limit` bytes of the body written from now on in `sink` (which must outlive
  // the writer's use): the request log's optional body capture.
  void captureBody(std::string* sink, std::size_t limit) {
    capture_ = sink;
    capture_limit_ = limit;
  }

 protected:
  void noteHead(int status) { sent_status_ = status; }
  void noteBody(std::string_view data) {
    if (capture_ && capture_->size() < capture_limit_) capture_->append(data.substr(0, capture_limit_ - capture_->size()));
  }
  void noteComplete() { sent_complete_ = true; }

 private:
  int sent_status_ = 0;
  bool sent_complete_ = false;
  std::string* capture_ = nullptr;
  std::size_t capture_limit_ = 0;
};

}  // namespace katara::http
