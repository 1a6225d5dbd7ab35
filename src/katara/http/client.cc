#include "katara/http/client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <unordered_map>

#include "katara/http/beast_headers.h"
#include "katara/http/upstream_connection.h"
#include "katara/http/wire_format.h"

namespace katara::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using core::Result;
using core::UpstreamError;
using core::UpstreamErrorKind;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

constexpr std::size_t kMaxIdlePerHost = 256;
constexpr auto kMaxIdleAge = std::chrono::seconds(50);
constexpr auto kDnsTtl = std::chrono::seconds(30);

struct Expiry {
  std::chrono::milliseconds limit;
  bool by_deadline;  // the request's total deadline, not the phase timeout, ends this phase
};

Expiry phaseExpiry(std::chrono::milliseconds phase, Clock::time_point deadline) {
  auto now = Clock::now();
  if (deadline == Clock::time_point::max()) return {phase, false};
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
  if (left < std::chrono::milliseconds(1)) left = std::chrono::milliseconds(1);
  return left < phase ? Expiry{left, true} : Expiry{phase, false};
}

UpstreamError classify(const boost::system::error_code& ec, const char* phase, const Expiry& expiry,
                       bool cancelled) {
  if (cancelled) return {UpstreamErrorKind::Cancelled, std::string(phase) + ": cancelled"};
  if (ec == beast::error::timeout) {
    return {UpstreamErrorKind::Timeout,
            std::string(phase) + " timed out after " + std::to_string(expiry.limit.count()) + " ms" +
                (expiry.by_deadline ? " (total deadline)" : "")};
  }
  if (ec.category() == asio::error::get_ssl_category() || ec == asio::ssl::error::stream_truncated) {
    return {UpstreamErrorKind::Tls, std::string(phase) + ": TLS: " + ec.message()};
  }
  static const auto& http_category = bhttp::make_error_code(bhttp::error::partial_message).category();
  if (ec.category() == http_category && ec != bhttp::error::end_of_stream) {
    return {UpstreamErrorKind::BadResponse, std::string(phase) + ": " + ec.message()};
  }
  return {UpstreamErrorKind::Connect, std::string(phase) + ": " + ec.message()};
}

std::function<void()> closer(UpstreamConnection& conn) {
  return [c = &conn] {
    boost::system::error_code ec;
    c->tcp().socket().cancel(ec);
    c->tcp().socket().close(ec);
  };
}

}  // namespace

struct UpstreamPool::Impl {
  Impl(asio::io_context& io_, ClientTlsContext& tls_, ConnectionCounts* counts_)
      : io(io_), tls(tls_.native()), resolver(io_), counts(counts_) {}

  struct DnsEntry {
    tcp::resolver::results_type results;
    Clock::time_point expires;
  };

  asio::io_context& io;
  asio::ssl::context& tls;
  tcp::resolver resolver;
  std::unordered_map<std::string, std::vector<std::unique_ptr<UpstreamConnection>>> idle;
  std::unordered_map<std::string, DnsEntry> dns;
  ConnectionCounts* counts;
  std::unordered_map<std::string, std::atomic<std::int64_t>*> count_slots;  // this worker's lookups of `counts`
  PoolStats stats;

  std::unique_ptr<UpstreamConnection> lease(const std::string& key) {
    auto it = idle.find(key);
    if (it == idle.end()) return nullptr;
    auto& list = it->second;
    while (!list.empty()) {
      auto conn = std::move(list.back());
      list.pop_back();
      --stats.idle;
      if (Clock::now() - conn->idle_since < kMaxIdleAge && conn->looksAlive()) return conn;
    }
    return nullptr;
  }

  void release(const std::string& key, std::unique_ptr<UpstreamConnection> conn) {
    auto& list = idle[key];
    if (list.size() >= kMaxIdlePerHost) return;
    conn->idle_since = Clock::now();
    conn->tcp().expires_never();
    list.push_back(std::move(conn));
    ++stats.idle;
  }

  asio::awaitable<Result<tcp::resolver::results_type>> resolve(const Endpoint& ep) {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(ep.host, ec);
    if (!ec) {
      co_return tcp::resolver::results_type::create(tcp::endpoint(addr, ep.port), ep.host,
                                                     std::to_string(ep.port));
    }
    auto key = ep.host + ":" + std::to_string(ep.port);
    if (auto it = dns.find(key); it != dns.end() && it->second.expires > Clock::now()) {
      co_return it->second.results;
    }
    auto [rec, results] = co_await resolver.async_resolve(ep.host, std::to_string(ep.port), kTuple);
    if (rec) co_return UpstreamError{UpstreamErrorKind::Connect, "DNS lookup of " + ep.host + ": " + rec.message()};
    dns[key] = {results, Clock::now() + kDnsTtl};
    co_return results;
  }

  asio::awaitable<Result<std::unique_ptr<UpstreamConnection>>> connect(const Endpoint& ep,
                                                                       const ExchangeTimeouts& t,
                                                                       Cancellation* cancel) {
    auto expiry = phaseExpiry(t.connect, t.deadline);
    auto results = co_await resolve(ep);
    if (!results) co_return results.error();
    auto conn = ep.tls ? makeTlsConnection(io, tls, ep.host) : makePlainConnection(io);
    if (cancel) cancel->abort = closer(*conn);
    conn->tcp().expires_after(expiry.limit);
    auto [ec, endpoint] = co_await conn->tcp().async_connect(*results, kTuple);
    bool cancelled = cancel && cancel->cancelled;
    if (ec || cancelled) co_return classify(ec, ("connect to " + ep.hostHeader()).c_str(), expiry, cancelled);
    conn->tcp().socket().set_option(tcp::no_delay(true));
    if (ep.tls) {
      if (auto hec = co_await conn->handshake()) {
        auto err = classify(hec, ("TLS handshake with " + ep.hostHeader()).c_str(), expiry,
                            cancel && cancel->cancelled);
        if (err.kind != UpstreamErrorKind::Timeout && err.kind != UpstreamErrorKind::Cancelled)
          err.kind = UpstreamErrorKind::Tls;
        co_return err;
      }
    }
    ++stats.connects;
    if (counts) {
      auto origin = ep.host + ":" + std::to_string(ep.port);
      auto& slot = count_slots[origin];
      if (!slot) slot = counts->slot(origin);
      conn->open_count = slot;
      slot->fetch_add(1, std::memory_order_relaxed);
    }
    co_return std::move(conn);
  }
};

namespace {

class PooledExchange final : public Exchange {
 public:
  PooledExchange(UpstreamPool::Impl& pool, std::string key, std::unique_ptr<UpstreamConnection> conn,
                 std::unique_ptr<ResponseParser> parser, ExchangeTimeouts timeouts)
      : pool_(pool), key_(std::move(key)), conn_(std::move(conn)), parser_(std::move(parser)),
        timeouts_(timeouts) {
    auto& res = parser_->get();
    status_ = res.result_int();
    headers_ = headersOf(res);
  }

  ~PooledExchange() override {
    if (conn_ && !cancelled_ && parser_->is_done() && parser_->keep_alive()) {
      pool_.release(key_, std::move(conn_));
    }
  }

  int status() const override { return status_; }
  const Headers& headers() const override { return headers_; }
  bool done() const override { return parser_->is_done(); }
  void setReadDeadline(Clock::time_point until, std::string why) override {
    read_deadline_ = until;
    read_deadline_why_ = std::move(why);
  }

  void cancel() override {
    cancelled_ = true;
    if (conn_) {
      boost::system::error_code ec;
      conn_->tcp().socket().cancel(ec);
      conn_->tcp().socket().close(ec);
    }
  }

  asio::awaitable<void> finish() override {
    while (conn_ && !cancelled_ && !parser_->is_done() && conn_->buffer.size() > 0) {
      auto& body = parser_->get().body();
      body.data = conn_->body_buf.data();
      body.size = conn_->body_buf.size();
      auto ec = co_await conn_->readSome(*parser_);
      if (ec && ec != bhttp::error::need_buffer) break;
    }
    if (!parser_->is_done()) cancel();
  }

  asio::awaitable<Result<std::string_view>> read() override {
    for (;;) {
      if (cancelled_) co_return UpstreamError{UpstreamErrorKind::Cancelled, "cancelled"};
      if (parser_->is_done()) co_return std::string_view{};
      auto& body = parser_->get().body();
      body.data = conn_->body_buf.data();
      body.size = conn_->body_buf.size();
      const bool read_deadline_first = read_deadline_ < timeouts_.deadline;
      auto expiry = phaseExpiry(timeouts_.idle, read_deadline_first ? read_deadline_ : timeouts_.deadline);
      conn_->tcp().expires_after(expiry.limit);
      auto ec = co_await conn_->readSome(*parser_);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        auto err = classify(ec, "reading the response body", expiry, cancelled_);
        if (err.kind == UpstreamErrorKind::Timeout && expiry.by_deadline && read_deadline_first) err.message = read_deadline_why_;
        co_return err;
      }
      std::size_t n = conn_->body_buf.size() - body.size;
      if (n > 0) co_return std::string_view(conn_->body_buf.data(), n);
    }
  }

 private:
  UpstreamPool::Impl& pool_;
  std::string key_;
  std::unique_ptr<UpstreamConnection> conn_;
  std::unique_ptr<ResponseParser> parser_;
  ExchangeTimeouts timeouts_;
  Clock::time_point read_deadline_ = Clock::time_point::max();
  std::string read_deadline_why_;
  int status_ = 0;
  Headers headers_;
  bool cancelled_ = false;
};

}  // namespace

UpstreamPool::UpstreamPool(asio::io_context& io, ClientTlsContext& tls, ConnectionCounts* counts)
    : impl_(std::make_unique<Impl>(io, tls, counts)) {}
UpstreamPool::~UpstreamPool() = default;
PoolStats UpstreamPool::stats() const { return impl_->stats; }

asio::awaitable<Result<std::unique_ptr<Exchange>>> UpstreamPool::send(const Endpoint& ep,
                                                                       const OutgoingRequest& request,
                                                                       const ExchangeTimeouts& t,
                                                                       Cancellation* cancel) {
  auto& impl = *impl_;
  struct ClearAbort {
    Cancellation* c;
    ~ClearAbort() { if (c) c->abort = nullptr; }
  } clear_abort{cancel};
  const auto key = ep.poolKey();
  std::string head;  // built once, kept for the stale-connection retry
  for (int attempt = 0;; ++attempt) {
    auto conn = attempt == 0 ? impl.lease(key) : nullptr;
    bool reused = conn != nullptr;
    if (!conn) {
      auto fresh = co_await impl.connect(ep, t, cancel);
      if (!fresh) co_return fresh.error();
      conn = std::move(fresh.value());
    } else {
      ++impl.stats.reuses;
      if (cancel) cancel->abort = closer(*conn);
    }
    auto was_cancelled = [&] { return cancel && cancel->cancelled; };
    if (head.empty()) head = requestHead(request.method, request.target, ep.hostHeader(), request.headers, request.body.size());

    auto expiry = phaseExpiry(t.first_byte, t.deadline);
    conn->tcp().expires_after(expiry.limit);
    auto wec = co_await conn->write(head, request.body);
    if (wec && reused && !was_cancelled()) continue;  // a stale pooled connection: once more, fresh
    if (wec) co_return classify(wec, "sending the request", expiry, was_cancelled());

    auto parser = std::make_unique<ResponseParser>();
    parser->body_limit(boost::none);
    parser->header_limit(64 * 1024);
    auto hec = co_await conn->readHeader(*parser);
    // A server closing an idle keep-alive connection sends FIN: a clean EOF before any byte means
    // the request was never processed, so it is safe to send again. A reset is a real failure.
    bool closed_idle = hec == bhttp::error::end_of_stream || hec == asio::error::eof;
    if (hec && reused && closed_idle && !parser->got_some() && !was_cancelled()) continue;
    if (hec) co_return classify(hec, "waiting for the response headers", expiry, was_cancelled());
    co_return std::unique_ptr<Exchange>(
        std::make_unique<PooledExchange>(impl, key, std::move(conn), std::move(parser), t));
  }
}

}  // namespace katara::http
