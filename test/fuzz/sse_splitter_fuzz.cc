// Upstream bytes: an SSE stream fed in arbitrary pieces. Events' raw bytes must be the input
// itself, in order (the relay forwards them unchanged), with only blank lines between them.
#include <cstdint>
#include <string>

#include "katara/http/sse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t step = (data[0] % 31) + 1;
  katara::http::SseSplitter splitter(4096);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < input.size(); i += step) {
    splitter.feed(input.substr(i, step));
    while (auto ev = splitter.next()) {
      // Only stray blank lines may stand between two events' bytes.
      auto at = input.find(ev->raw, pos);
      if (at == std::string_view::npos || input.substr(pos, at - pos).find_first_not_of("\r\n") != std::string_view::npos)
        __builtin_trap();
      pos = at + ev->raw.size();
    }
  }
  return 0;
}
