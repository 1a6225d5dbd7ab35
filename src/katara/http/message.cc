#include "katara/http/message.h"

#include <boost/algorithm/string/predicate.hpp>

namespace katara::http {

std::string_view findHeader(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (boost::algorithm::iequals(h.name, name)) return h.value;
  }
  return {};
}

}  // namespace katara::http
