#include "katara/http/beast_response_writer.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "katara/http/wire_format.h"

#include <cerrno>

namespace katara::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Shared with the pending async_wait: the wait's handler may run after the writer is gone
// (1) when stopWatching cancelled it, (2) when the session closed the socket. `active` false
// means the handler must not touch the socket or the writer.
struct BeastResponseWriter::Watch {
  bool active = false;
  bool gone = false;
  std::function<void()> hook;
};

BeastResponseWriter::BeastResponseWriter(beast::tcp_stream& stream, bool keep_alive, bool head_only,
                                         std::chrono::milliseconds write_timeout)
    : stream_(stream), keep_alive_(keep_alive), head_only_(head_only), write_timeout_(write_timeout),
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

asio::awaitable<bool> BeastResponseWriter::writeBuffers(const std::array<asio::const_buffer, 3>& buffers) {
  stream_.expires_after(write_timeout_);
  auto [ec, n] = co_await asio::async_write(stream_, buffers, kTuple);
  stream_.expires_never();
  if (ec) markGone();
  co_return !ec;
}

asio::awaitable<bool> BeastResponseWriter::send(int status, Headers headers, std::string body) {
  if (watch_->gone) co_return false;
  noteHead(status);
  noteBody(body);
  committed_ = true;
  const std::string head = responseHead(status, headers, keep_alive_, false, body.size());
  const std::size_t body_bytes = head_only_ ? 0 : body.size();
  // Named buffer arrays throughout: GCC 12 mishandles braced temporaries inside co_await.
  const std::array<asio::const_buffer, 3> buffers{asio::buffer(head), asio::const_buffer(body.data(), body_bytes),
                                                  asio::const_buffer()};
  if (!co_await writeBuffers(buffers)) co_return false;
  finished_ = true;
  noteComplete();
  co_return true;
}

asio::awaitable<bool> BeastResponseWriter::beginStream(int status, Headers headers) {
  if (watch_->gone) co_return false;
  noteHead(status);
  committed_ = true;
  const std::string head = responseHead(status, headers, keep_alive_, true, 0);
  const std::array<asio::const_buffer, 3> buffers{asio::buffer(head), asio::const_buffer(), asio::const_buffer()};
  co_return co_await writeBuffers(buffers);
}

asio::awaitable<bool> BeastResponseWriter::writeChunk(std::string_view data) {
  if (watch_->gone) co_return false;
  if (data.empty()) co_return true;  // an empty chunk would end the body
  noteBody(data);
  const std::string size_line = chunkSizeLine(data.size());
  const std::array<asio::const_buffer, 3> buffers{asio::buffer(size_line), asio::const_buffer(data.data(), data.size()),
                                                  asio::const_buffer("\r\n", 2)};
  co_return co_await writeBuffers(buffers);
}

asio::awaitable<bool> BeastResponseWriter::endStream() {
  if (watch_->gone) co_return false;
  const std::array<asio::const_buffer, 3> buffers{asio::const_buffer("0\r\n\r\n", 5), asio::const_buffer(),
                                                  asio::const_buffer()};
  if (!co_await writeBuffers(buffers)) co_return false;
  finished_ = true;
  noteComplete();
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
