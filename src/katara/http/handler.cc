#include "katara/http/handler.h"

#include "katara/core/json_text.h"

namespace katara::http {

std::string Handler::refusalBody(std::string_view, int, std::string_view message, std::string_view code) const {
  std::string out = R"({"error":{"message":)";
  core::appendJsonString(out, message);
  out += R"(,"type":"invalid_request_error","param":null,"code":)";
  core::appendJsonString(out, code);
  out += "}}";
  return out;
}

}  // namespace katara::http
