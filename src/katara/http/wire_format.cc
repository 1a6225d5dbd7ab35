#include "katara/http/wire_format.h"

#include <boost/beast/http/status.hpp>

#include <charconv>

namespace katara::http {

bool isSafeHeader(const Header& h) {
  // One pass per string (this runs for every header of every message).
  auto bad = [](std::string_view s, bool is_name) {
    for (char c : s) {
      if (c == '\r' || c == '\n' || c == '\0' || (is_name && c == ':')) return true;
    }
    return false;
  };
  return !h.name.empty() && !bad(h.name, true) && !bad(h.value, false);
}

namespace {

void appendHeaders(std::string& out, const Headers& headers) {
  for (const auto& h : headers) {
    if (!isSafeHeader(h)) continue;
    out += h.name;
    out += ": ";
    out += h.value;
    out += "\r\n";
  }
}

void appendNumber(std::string& out, std::size_t n, int base = 10) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), n, base);
  out.append(buf, end);
}

}  // namespace

std::string requestHead(std::string_view method, std::string_view target, std::string_view host,
                        const Headers& headers, std::size_t content_length) {
  std::string out;
  out.reserve(256);
  out += method;
  out += ' ';
  out += target;
  out += " HTTP/1.1\r\nHost: ";
  out += host;
  out += "\r\n";
  appendHeaders(out, headers);
  out += "Content-Length: ";
  appendNumber(out, content_length);
  out += "\r\n\r\n";
  return out;
}

std::string responseHead(int status, const Headers& headers, bool keep_alive, bool chunked,
                         std::size_t content_length) {
  std::string out;
  out.reserve(256);
  out += "HTTP/1.1 ";
  appendNumber(out, static_cast<std::size_t>(status));
  out += ' ';
  out += boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out += "\r\n";
  appendHeaders(out, headers);
  if (chunked) {
    out += "Transfer-Encoding: chunked\r\n";
  } else {
    out += "Content-Length: ";
    appendNumber(out, content_length);
    out += "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

std::string chunkSizeLine(std::size_t size) {
  std::string out;
  appendNumber(out, size, 16);
  out += "\r\n";
  return out;
}

}  // namespace katara::http
