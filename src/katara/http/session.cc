// One coroutine per client connection: read a request within the limits, hand it to the
// handler, repeat while keep-alive. The coroutine frame owns the stream and buffers.
#include "katara/http/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "katara/core/log_escaped.h"
#include "katara/core/json_text.h"
#include "katara/http/beast_headers.h"
#include "katara/http/beast_response_writer.h"
#include "katara/http/wire_format.h"

namespace katara::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

void SessionControl::closeIfIdle() {
  if (idle_) {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }
}

namespace {

std::string tooLargeMessage(std::size_t limit) {
  return "Request body is larger than the limit of " + std::to_string(limit) + " bytes.";
}

asio::awaitable<void> lingeringClose(beast::tcp_stream& stream);

// Answers `status` with the error in the shape the handler gives for the request's path, then
// closes the connection (lingering: see below).
asio::awaitable<void> refuse(beast::tcp_stream& stream, Handler& handler, std::string_view method, std::string_view target,
                             int status, std::string message, std::string code, std::chrono::milliseconds write_timeout) {
  const std::string body = handler.refusalBody(target, status, message, code);
  Headers headers;
  headers.push_back({"content-type", "application/json"});
  const std::string head = responseHead(status, headers, false, false, body.size());
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
  stream.expires_after(write_timeout);
  co_await asio::async_write(stream, buffers, kTuple);
  handler.noteRefusal(method, target, status, message);
  co_await lingeringClose(stream);
}

// After refusing a request whose body is still arriving, closing at once would make the kernel
// reset the connection (unread data) and the client could lose our error response. So: stop
// sending, then read and discard for a bounded time and size before closing (nginx's
// "lingering close").
asio::awaitable<void> lingeringClose(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  static char sink[16384];
  std::size_t discarded = 0;
  stream.expires_after(std::chrono::seconds(2));
  while (discarded < (8u << 20)) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    discarded += n;
  }
  stream.socket().close(ec);
}

Request toRequest(bhttp::request<bhttp::string_body>&& req) {
  Request out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  out.keep_alive = req.keep_alive();
  out.headers = headersOf(req);
  out.body = std::move(req.body());
  return out;
}

struct SessionRegistration {
  Listener::State& state;
  SessionControl* control;
  SessionRegistration(Listener::State& s, SessionControl* c) : state(s), control(c) { s.sessions.insert(c); }
  ~SessionRegistration() { state.sessions.erase(control); }
};

asio::awaitable<void> runSession(std::shared_ptr<Listener::State> state, tcp::socket socket) {
  const auto& cfg = state->config;
  beast::tcp_stream stream(std::move(socket));
  stream.socket().set_option(tcp::no_delay(true));
  SessionControl control(stream);
  SessionRegistration registration(*state, &control);
  beast::flat_buffer buffer;

  while (!state->draining) {
    control.setIdle(true);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(cfg.max_header_bytes));
    parser.body_limit(cfg.max_body_bytes);
    stream.expires_after(cfg.header_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
    control.setIdle(false);
    if (hec == bhttp::error::header_limit) {
      // The start line may have been read before the limit was hit.
      const std::string target(parser.get().target());
      const std::string method(parser.get().method_string());
      co_await refuse(stream, state->handler, method, target, 431, "Request headers exceed the limit.", "headers_too_large", cfg.write_timeout);
      co_return;
    }
    if (hec == bhttp::error::body_limit) {  // Beast checks Content-Length against the limit here
      const std::string target(parser.get().target());
      const std::string method(parser.get().method_string());
      co_await refuse(stream, state->handler, method, target, 413, tooLargeMessage(cfg.max_body_bytes), "request_too_large", cfg.write_timeout);
      co_return;
    }
    // Bytes that are not HTTP get a 400 (a peer that closed, went idle or sent half a request
    // gets nothing: there is nobody or nothing to answer).
    static const auto& http_category = bhttp::make_error_code(bhttp::error::bad_method).category();
    if (hec && hec.category() == http_category && hec != bhttp::error::end_of_stream &&
        hec != bhttp::error::partial_message) {
      co_await refuse(stream, state->handler, "", "", 400, "The request is not valid HTTP/1.1: " + hec.message() + ".", "bad_request", cfg.write_timeout);
      co_return;
    }
    if (hec) break;
    auto& head = parser.get();
    if (auto len = parser.content_length(); len && *len > cfg.max_body_bytes) {
      co_await refuse(stream, state->handler, head.method_string(), head.target(), 413, tooLargeMessage(cfg.max_body_bytes), "request_too_large", cfg.write_timeout);
      co_return;
    }
    if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream.expires_after(cfg.write_timeout);
      auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(kContinue), kTuple);
      if (cec) break;
    }
    stream.expires_after(cfg.body_timeout);
    auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (bec == bhttp::error::body_limit) {
      co_await refuse(stream, state->handler, head.method_string(), head.target(), 413, tooLargeMessage(cfg.max_body_bytes), "request_too_large", cfg.write_timeout);
      co_return;
    }
    if (bec) break;
    stream.expires_never();

    Request request = toRequest(parser.release());
    BeastResponseWriter writer(stream, request.keep_alive && !state->draining, request.method == "HEAD",
                               cfg.write_timeout);
    writer.watchClient();
    co_await state->handler.handle(request, writer);
    writer.stopWatching();
    if (!writer.finished() && !writer.clientGone()) {
      if (!writer.committed()) {
        // (A named local: GCC 12 cannot keep an initializer_list alive across co_await.)
        Headers headers{{"content-type", "application/json"}};
        co_await writer.send(500, std::move(headers), R"({"error":{"message":"The gateway produced no response.","type":"server_error","param":null,"code":"internal_error"}})");
      } else {
        writer.abortConnection();
      }
    }
    if (!writer.keepAlive() || writer.clientGone() || !writer.finished()) break;
  }
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace

asio::awaitable<void> acceptLoop(std::shared_ptr<Listener::State> state) {
  while (state->acceptor.is_open()) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) co_return;
      spdlog::warn("accept: {}", ec.message());  // e.g. EMFILE: keep serving open sessions
      continue;
    }
    asio::co_spawn(state->io, runSession(state, std::move(socket)), core::logEscapedException("session ended by exception"));
  }
}

}  // namespace katara::http
