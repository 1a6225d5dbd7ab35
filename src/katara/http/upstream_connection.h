#pragma once
#include <atomic>
// Internal to http/: one upstream connection, plain or TLS, behind one small interface so the
// pool and the exchange need not be templates.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <chrono>
#include <string>

namespace katara::http {

using ResponseParser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;

class UpstreamConnection {
 public:
  virtual ~UpstreamConnection() {
    if (open_count) open_count->fetch_sub(1, std::memory_order_relaxed);
  }
  virtual boost::beast::tcp_stream& tcp() = 0;
  virtual bool isTls() const = 0;
  virtual boost::asio::awaitable<boost::system::error_code> handshake() = 0;
  // Writes a request: its head (see wire_format.h) and body, in one gather write.
  virtual boost::asio::awaitable<boost::system::error_code> write(std::string_view head, std::string_view body) = 0;
  virtual boost::asio::awaitable<boost::system::error_code> readHeader(ResponseParser& parser) = 0;
  virtual boost::asio::awaitable<boost::system::error_code> readSome(ResponseParser& parser) = 0;

  // False when an idle connection is known to be unusable (checked without blocking).
  bool looksAlive();

  boost::beast::flat_buffer buffer;  // bytes read past one response stay with the connection
  // Where response bodies are read into: one per connection, not one per exchange.
  std::array<char, 16384> body_buf;
  std::chrono::steady_clock::time_point idle_since;
  // Its origin's open-connection count (ConnectionCounts), taken back when it closes.
  std::atomic<std::int64_t>* open_count = nullptr;
};

std::unique_ptr<UpstreamConnection> makePlainConnection(boost::asio::io_context& io);
std::unique_ptr<UpstreamConnection> makeTlsConnection(boost::asio::io_context& io,
                                                      boost::asio::ssl::context& ctx,
                                                      const std::string& host);

}  // namespace katara::http
