#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace katara::http {

struct Header {
  std::string name;   // lower-case for received headers
  std::string value;
};
using Headers = std::vector<Header>;

// Lower-cases ASCII letters in place (HTTP field names are ASCII).
void toLowerAscii(std::string& text);

// Case-insensitive lookup; empty when absent.
std::string_view findHeader(const Headers& headers, std::string_view name);

// A request as the gateway's handlers see it: no Beast types, so api/ and routing/ compile fast.
struct Request {
  std::string method;
  std::string target;  // path and query, as sent
  Headers headers;
  std::string body;
  bool keep_alive = true;

  std::string_view header(std::string_view name) const { return findHeader(headers, name); }
  std::string_view path() const {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
  }
};

// The API key a client presented: `Authorization: Bearer <key>` (OpenAI's SDKs) or `x-api-key`
// (Anthropic's); "" when neither.
std::string_view presentedApiKey(const Request& request);

}  // namespace katara::http
