// Open-loop load at a fixed request rate over keep-alive HTTP/1.1 connections (what wrk2 does;
// Debian has no wrk2). Request i is due at start + i/rate and goes out on connection i mod C;
// its latency is measured from when it was due, so a stalled server cannot hide its queueing
// (no coordinated omission). Prints one line: sent ok errors p50 p90 p99 p999 max (µs).
//
//   katara_fixed_rate HOST PORT PATH BODY_FILE RATE SECONDS CONNECTIONS
#include <boost/asio.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct Run {
  tcp::endpoint endpoint;
  std::string request;
  double rate = 1000;
  double seconds = 10;
  std::size_t connections = 16;
  Clock::time_point start;
  std::vector<std::uint32_t> latencies_us;
  std::size_t sent = 0, errors = 0;
};

std::size_t contentLength(std::string_view head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  auto p = lower.find("\r\ncontent-length:");
  if (p == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + p + 17, nullptr, 10);
}

asio::awaitable<void> connection(Run& run, std::size_t k) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket socket(ex);
  if (auto [ec] = co_await socket.async_connect(run.endpoint, kTuple); ec) {
    std::cerr << "connect: " << ec.message() << "\n";
    co_return;
  }
  socket.set_option(tcp::no_delay(true));
  asio::steady_timer timer(ex);
  std::string buf;
  const auto total = static_cast<std::size_t>(run.rate * run.seconds);
  for (std::size_t i = k; i < total; i += run.connections) {
    auto due = run.start + std::chrono::nanoseconds(static_cast<std::int64_t>(i * 1e9 / run.rate));
    if (Clock::now() < due) {
      timer.expires_at(due);
      co_await timer.async_wait(kTuple);
    }
    ++run.sent;
    auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(run.request), kTuple);
    if (wec) { ++run.errors; co_return; }
    auto [hec, hn] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buf), "\r\n\r\n", kTuple);
    if (hec) { ++run.errors; co_return; }
    std::size_t need = hn + contentLength(std::string_view(buf).substr(0, hn));
    if (buf.size() < need) {
      auto [bec, bn] = co_await asio::async_read(socket, asio::dynamic_buffer(buf), asio::transfer_exactly(need - buf.size()), kTuple);
      if (bec) { ++run.errors; co_return; }
    }
    if (buf.compare(0, 12, "HTTP/1.1 200") != 0) ++run.errors;
    buf.erase(0, need);
    run.latencies_us.push_back(static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - due).count()));
  }
}

int main(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "usage: katara_fixed_rate HOST PORT PATH BODY_FILE RATE SECONDS CONNECTIONS\n";
    return 2;
  }
  Run run;
  run.endpoint = tcp::endpoint(asio::ip::make_address(argv[1]), static_cast<unsigned short>(std::stoi(argv[2])));
  std::ifstream in(argv[4]);
  std::stringstream body;
  body << in.rdbuf();
  run.request = std::string("POST ") + argv[3] + " HTTP/1.1\r\nHost: " + argv[1] +
                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.str().size()) +
                "\r\n\r\n" + body.str();
  run.rate = std::stod(argv[5]);
  run.seconds = std::stod(argv[6]);
  run.connections = std::stoul(argv[7]);
  asio::io_context io{1};
  run.start = Clock::now() + std::chrono::milliseconds(200);
  for (std::size_t k = 0; k < run.connections; ++k) asio::co_spawn(io, connection(run, k), asio::detached);
  io.run();
  auto& l = run.latencies_us;
  std::sort(l.begin(), l.end());
  auto q = [&](double p) { return l.empty() ? 0u : l[std::min(l.size() - 1, static_cast<std::size_t>(p * l.size()))]; };
  std::printf("sent %zu ok %zu errors %zu p50 %u p90 %u p99 %u p999 %u max %u\n", run.sent, l.size(), run.errors,
              q(0.5), q(0.9), q(0.99), q(0.999), l.empty() ? 0u : l.back());
  return run.errors ? 1 : 0;
}
