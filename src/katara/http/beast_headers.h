#pragma once
// Internal to http/: a Beast message's fields as our Headers, names lower-cased.
#include <iterator>
#include <string>

#include "katara/http/message.h"

namespace katara::http {

template <class BeastMessage>
Headers headersOf(const BeastMessage& message) {
  Headers out;
  out.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));  // one allocation, fitted
  for (const auto& field : message) {
    std::string name(field.name_string());
    toLowerAscii(name);
    out.push_back({std::move(name), std::string(field.value())});
  }
  return out;
}

}  // namespace katara::http
