#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace katara::http {

// Where an upstream lives, parsed once from a provider's base_url.
struct Endpoint {
  bool tls = false;
  std::string host;       // name or address literal, without brackets
  std::uint16_t port = 0;
  std::string base_path;  // "/v1" (no trailing slash), may be empty
  std::string hostHeader() const;  // "host" or "host:port" when the port is not the default
  std::string poolKey() const;
};

// Parses http(s)://host[:port][/path]. nullopt on anything else.
std::optional<Endpoint> parseEndpoint(const std::string& url);

}  // namespace katara::http
