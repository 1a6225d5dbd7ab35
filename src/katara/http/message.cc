#include "katara/http/message.h"

namespace katara::http {

namespace {

// ASCII only, as HTTP field names are; std::locale-based comparisons cost a facet lookup each.
bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

void toLowerAscii(std::string& text) {
  for (auto& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

std::string_view findHeader(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (equalsIgnoreCase(h.name, name)) return h.value;
  }
  return {};
}

std::string_view presentedApiKey(const Request& request) {
  std::string_view presented = request.header("authorization");
  if (presented.size() > 7 && (presented.substr(0, 7) == "Bearer " || presented.substr(0, 7) == "bearer ")) {
    return presented.substr(7);
  }
  return request.header("x-api-key");
}

}  // namespace katara::http
