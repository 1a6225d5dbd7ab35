#include "katara/core/json_text.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace katara::core {

void appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string jsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

std::string replaceWithJsonString(const std::string& body, std::size_t begin, std::size_t end, std::string_view value) {
  std::string out;
  out.reserve(body.size() + value.size() + 8);
  out.append(body, 0, begin);
  appendJsonString(out, value);
  out.append(body, end, std::string::npos);
  return out;
}

std::string withoutModels(const std::string& body, std::string_view model) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return body;  // inspected already: cannot happen
  auto& o = v.as_object();
  o.erase("models");
  o["model"] = model;
  return boost::json::serialize(v);
}

}  // namespace katara::core
