#include "katara/http/upstream_connection.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <array>
#include <cerrno>

namespace katara::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

bool UpstreamConnection::looksAlive() {
  auto& socket = tcp().socket();
  if (!socket.is_open()) return false;
  // Plain HTTP skips the probe (one syscall per request): a connection the server closed while
  // idle answers with a clean EOF, which UpstreamPool::send retries on a fresh connection.
  // A closed TLS connection does not surface as a clean EOF, so TLS keeps the probe.
  if (!isTls()) return true;
  char c;
  auto n = ::recv(socket.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return false;                                     // the peer closed it
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;    // nothing to read: good
  return true;  // post-handshake TLS records (session tickets) are fine
}

namespace {

template <class Stream>
class StreamConnection final : public UpstreamConnection {
 public:
  template <class... Args>
  explicit StreamConnection(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream_); }
  bool isTls() const override { return !std::is_same_v<Stream, beast::tcp_stream>; }
  Stream& stream() { return stream_; }

  asio::awaitable<boost::system::error_code> handshake() override {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      co_return boost::system::error_code{};
    } else {
      auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::client, kTuple);
      co_return ec;
    }
  }
  asio::awaitable<boost::system::error_code> write(std::string_view head, std::string_view body) override {
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    auto [ec, n] = co_await asio::async_write(stream_, buffers, kTuple);
    co_return ec;
  }
  asio::awaitable<boost::system::error_code> readHeader(ResponseParser& parser) override {
    auto [ec, n] = co_await bhttp::async_read_header(stream_, buffer, parser, kTuple);
    co_return ec;
  }
  asio::awaitable<boost::system::error_code> readSome(ResponseParser& parser) override {
    auto [ec, n] = co_await bhttp::async_read_some(stream_, buffer, parser, kTuple);
    co_return ec;
  }

 private:
  Stream stream_;
};

}  // namespace

std::unique_ptr<UpstreamConnection> makePlainConnection(asio::io_context& io) {
  return std::make_unique<StreamConnection<beast::tcp_stream>>(io);
}

std::unique_ptr<UpstreamConnection> makeTlsConnection(asio::io_context& io, asio::ssl::context& ctx,
                                                      const std::string& host) {
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;
  auto conn = std::make_unique<StreamConnection<TlsStream>>(io, ctx);
  auto& s = conn->stream();
  boost::system::error_code ec;
  bool is_ip = !asio::ip::make_address(host, ec).is_unspecified() && !ec;
  if (!is_ip) SSL_set_tlsext_host_name(s.native_handle(), host.c_str());  // SNI takes names only
  s.set_verify_mode(asio::ssl::verify_peer);
  s.set_verify_callback(asio::ssl::host_name_verification(host));
  return conn;
}

}  // namespace katara::http
