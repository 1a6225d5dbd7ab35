#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "katara/core/result.h"
#include "katara/http/message.h"
#include "katara/http/connection_counts.h"
#include "katara/http/tls_context.h"
#include "katara/http/url.h"

namespace katara::http {

struct OutgoingRequest {
  std::string method = "POST";
  std::string target;      // path and query
  Headers headers;         // Host, Content-Length and Connection are set by the client
  std::string_view body;   // must stay alive until send() returns
};

// Per-phase limits of one exchange; each phase also ends at `deadline`.
struct ExchangeTimeouts {
  std::chrono::milliseconds connect{2000};     // DNS + TCP + TLS handshake
  std::chrono::milliseconds first_byte{30000}; // request written until response headers
  std::chrono::milliseconds idle{30000};       // gap between two reads of the body
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Lets the owner of a request abort it from a callback (e.g. "the client went away") while the
// request waits on a socket. Lives in the caller's frame; the client sets `abort` while an
// operation is pending and clears it before returning.
struct Cancellation {
  bool cancelled = false;
  std::function<void()> abort;
  void cancel() {
    cancelled = true;
    if (abort) {
      auto run = abort;
      run();
    }
  }
};

// One request/response on a leased connection. Reading the body to its end hands the
// connection back to its pool (if the upstream allows keep-alive); destroying the exchange
// earlier closes it.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual int status() const = 0;
  virtual const Headers& headers() const = 0;
  std::string_view header(std::string_view name) const { return findHeader(headers(), name); }
  // The next bytes of the (de-chunked) body, valid until the next call; an empty view once the
  // body is complete.
  virtual boost::asio::awaitable<core::Result<std::string_view>> read() = 0;
  virtual bool done() const = 0;
  // Reads also end at `until` (as a Timeout with `why` as its reason) until this is called
  // again: a phase the caller measures in content, not bytes (a stream's first token).
  // time_point::max() lifts it.
  virtual void setReadDeadline(std::chrono::steady_clock::time_point until, std::string why) = 0;
  // Closes the connection now; a pending read completes with UpstreamErrorKind::Cancelled.
  // Safe to call from any handler on the same worker, at any time.
  virtual void cancel() = 0;
  // Ends the exchange without waiting: consumes what is already buffered so the connection can
  // go back to the pool, and closes it if the body is not complete by then.
  virtual boost::asio::awaitable<void> finish() = 0;
};

struct PoolStats {
  std::size_t connects = 0;   // new connections opened
  std::size_t reuses = 0;     // requests sent on a pooled connection
  std::size_t idle = 0;       // connections waiting in the pool now
};

// A worker's keep-alive connection pool to every upstream host, with DNS caching and TLS
// (see ClientTlsContext; SNI and host-name verification per connection). Not thread-safe: one pool per worker, used on its thread only,
// and it must outlive every Exchange it returned.
class UpstreamPool {
 public:
  // `tls` is shared by all workers and must outlive the pool, as must `counts` (when given: it
  // counts the pool's open connections per origin).
  UpstreamPool(boost::asio::io_context& io, ClientTlsContext& tls, ConnectionCounts* counts = nullptr);
  ~UpstreamPool();
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  // Sends the request and waits for the response headers. A pooled connection that turns out
  // to be stale (closed before answering) is replaced once, transparently.
  boost::asio::awaitable<core::Result<std::unique_ptr<Exchange>>> send(
      const Endpoint& endpoint, const OutgoingRequest& request, const ExchangeTimeouts& timeouts,
      Cancellation* cancellation = nullptr);

  PoolStats stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace katara::http
