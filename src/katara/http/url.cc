#include "katara/http/url.h"

#include <boost/url/parse.hpp>

namespace katara::http {

std::optional<Endpoint> parseEndpoint(const std::string& url) {
  auto r = boost::urls::parse_uri(url);
  if (!r) return std::nullopt;
  auto u = *r;
  Endpoint e;
  if (u.scheme() == "https") e.tls = true;
  else if (u.scheme() != "http") return std::nullopt;
  e.host = u.host_address();
  if (e.host.empty()) return std::nullopt;
  if (u.has_port()) {
    if (u.port_number() == 0) return std::nullopt;
    e.port = u.port_number();
  } else {
    e.port = e.tls ? 443 : 80;
  }
  e.base_path = u.encoded_path();
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  return e;
}

std::string Endpoint::hostHeader() const {
  bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  if ((tls && port == 443) || (!tls && port == 80)) return h;
  return h + ":" + std::to_string(port);
}

std::string Endpoint::poolKey() const {
  return (tls ? "https://" : "http://") + host + ":" + std::to_string(port);
}

}  // namespace katara::http
