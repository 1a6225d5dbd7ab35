#pragma once
// Internal to http/: the ResponseWriter over a Beast tcp_stream.
#include <boost/beast/core/tcp_stream.hpp>

#include <array>
#include <chrono>
#include <memory>

#include "katara/http/response_writer.h"

namespace katara::http {

class BeastResponseWriter final : public ResponseWriter {
 public:
  // `head_only`: the request was HEAD, so responses carry no body.
  BeastResponseWriter(boost::beast::tcp_stream& stream, bool keep_alive, bool head_only,
                      std::chrono::milliseconds write_timeout);
  ~BeastResponseWriter() override;

  boost::asio::awaitable<bool> send(int status, Headers headers, std::string body) override;
  boost::asio::awaitable<bool> beginStream(int status, Headers headers) override;
  boost::asio::awaitable<bool> writeChunk(std::string_view data) override;
  boost::asio::awaitable<bool> endStream() override;
  void abortConnection() override;
  bool committed() const override { return committed_; }
  bool clientGone() const override;
  void onClientGone(std::function<void()> hook) override;

  // Watches the socket for the client closing while the handler runs (no read is consumed:
  // pipelined bytes stay in the kernel for the next request).
  void watchClient();
  void stopWatching();
  bool finished() const { return finished_; }
  bool keepAlive() const { return keep_alive_; }

 private:
  struct Watch;
  void arm();
  void markGone();
  // One gather write (empty buffers are fine) under the write timeout; false if the client is gone.
  boost::asio::awaitable<bool> writeBuffers(const std::array<boost::asio::const_buffer, 3>& buffers);

  boost::beast::tcp_stream& stream_;
  bool keep_alive_;
  bool head_only_;
  std::chrono::milliseconds write_timeout_;
  bool committed_ = false;
  bool finished_ = false;
  std::shared_ptr<Watch> watch_;
};

}  // namespace katara::http
