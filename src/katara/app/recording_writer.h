#pragma once
// Passes a response through to the client's writer and notes what it was, for the request's
// log row: the status, whether it reached the client whole, and (when configured) its body.
#include <string>

#include "katara/http/response_writer.h"

namespace katara::app {

class RecordingWriter final : public http::ResponseWriter {
 public:
  // `capture_limit`: how many bytes of the body to keep (0: none).
  RecordingWriter(http::ResponseWriter& inner, std::size_t capture_limit) : inner_(inner), limit_(capture_limit) {}

  boost::asio::awaitable<bool> send(int status, http::Headers headers, std::string body) override {
    status_ = status;
    keep(body);
    complete_ = co_await inner_.send(status, std::move(headers), std::move(body));
    co_return complete_;
  }
  boost::asio::awaitable<bool> beginStream(int status, http::Headers headers) override {
    status_ = status;
    co_return co_await inner_.beginStream(status, std::move(headers));
  }
  boost::asio::awaitable<bool> writeChunk(std::string_view data) override {
    keep(data);
    co_return co_await inner_.writeChunk(data);
  }
  boost::asio::awaitable<bool> endStream() override {
    complete_ = co_await inner_.endStream();
    co_return complete_;
  }
  void abortConnection() override { inner_.abortConnection(); }
  bool committed() const override { return inner_.committed(); }
  bool clientGone() const override { return inner_.clientGone(); }
  void onClientGone(std::function<void()> hook) override { inner_.onClientGone(std::move(hook)); }

  // What the client got: 499 when it went away before the whole answer.
  int status() const { return complete_ ? status_ : 499; }
  std::string& body() { return body_; }

 private:
  void keep(std::string_view data) {
    if (body_.size() < limit_) body_.append(data.substr(0, limit_ - body_.size()));
  }
  http::ResponseWriter& inner_;
  std::size_t limit_;
  int status_ = 0;
  bool complete_ = false;
  std::string body_;
};

}  // namespace katara::app
