#include "katara/http/beast_response_writer.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

#include <cerrno>

namespace katara::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Shared with the pending async_wait: the wait's handler may run after the writer is gone
// (1) when stopWatching cancelled it, (2) when the session closed the socket. `active` false
// means the handler must not touch the socket or the writer.
struct BeastResponseWriter::Watch {
  bool active = false;
  bool gone = false;
  std::function<void()> hook;
};

BeastResponseWriter::BeastResponseWriter(beast::tcp_stream& stream, bool keep_alive,
                                         std::chrono::milliseconds write_timeout)
    : stream_(stream), keep_alive_(keep_alive), write_timeout_(write_timeout),
      watch_(std::make_shared<Watch>()) {}

BeastResponseWriter::~BeastResponseWriter() { stopWatching(); }

bool BeastResponseWriter::clientGone() const { return watch_->gone; }

void BeastResponseWriter::onClientGone(std::function<void()> hook) { watch_->hook = std::move(hook); }

void BeastResponseWriter::markGone() {
  auto w = watch_;
  if (w->gone) return;
  w->gone = true;
  keep_alive_ = false;
  if (w->hook) {
    auto hook = std::move(w->hook);
    w->hook = nullptr;
    hook();
  }
}

void BeastResponseWriter::watchClient() {
  watch_->active = true;
  arm();
}

void BeastResponseWriter::arm() {
  auto w = watch_;
  auto& socket = stream_.socket();
  socket.async_wait(asio::socket_base::wait_read, [this, w, &socket](boost::system::error_code ec) {
    if (!w->active) return;
    if (ec) {
      markGone();
      return;
    }
    char c;
    auto n = ::recv(socket.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      markGone();
    } else if (n > 0) {
      w->active = false;  // a pipelined request: the session reads it after this response
    } else {
      arm();
    }
  });
}

void BeastResponseWriter::stopWatching() {
  if (!watch_->active) return;
  watch_->active = false;
  watch_->hook = nullptr;
  boost::system::error_code ec;
  stream_.socket().cancel(ec);
}

template <class Message>
static void setHeaders(Message& m, Headers& headers) {
  for (auto& h : headers) m.insert(h.name, h.value);
}

asio::awaitable<bool> BeastResponseWriter::send(int status, Headers headers, std::string body) {
  if (watch_->gone) co_return false;
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
  setHeaders(res, headers);
  res.keep_alive(keep_alive_);
  res.body() = std::move(body);
  res.prepare_payload();
  committed_ = true;
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await bhttp::async_write(stream_, res, kTuple);
  stream_.expires_never();
  if (ec) {
    markGone();
    co_return false;
  }
  finished_ = true;
  co_return true;
}

asio::awaitable<bool> BeastResponseWriter::beginStream(int status, Headers headers) {
  if (watch_->gone) co_return false;
  bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(status), 11};
  setHeaders(res, headers);
  res.keep_alive(keep_alive_);
  res.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{res};
  committed_ = true;
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await bhttp::async_write_header(stream_, sr, kTuple);
  stream_.expires_never();
  if (ec) markGone();
  co_return !ec;
}

asio::awaitable<bool> BeastResponseWriter::writeChunk(std::string_view data) {
  if (watch_->gone) co_return false;
  if (data.empty()) co_return true;  // an empty chunk would end the body
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await asio::async_write(
      stream_, bhttp::make_chunk(asio::const_buffer(data.data(), data.size())), kTuple);
  stream_.expires_never();
  if (ec) markGone();
  co_return !ec;
}

asio::awaitable<bool> BeastResponseWriter::endStream() {
  if (watch_->gone) co_return false;
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await asio::async_write(stream_, bhttp::make_chunk_last(), kTuple);
  stream_.expires_never();
  if (ec) {
    markGone();
    co_return false;
  }
  finished_ = true;
  co_return true;
}

void BeastResponseWriter::abortConnection() {
  auto& socket = stream_.socket();
  boost::system::error_code ec;
  socket.set_option(asio::socket_base::linger(true, 0), ec);
  socket.close(ec);
  watch_->active = false;
  watch_->gone = true;
  keep_alive_ = false;
}

}  // namespace katara::http
