// Bytes on disk: a line of the request log's journal, replayed at start-up (a crash can leave
// any prefix of a line; a disk can hand back anything). Nothing may crash, and a line read
// back must write out to the same line again.
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <string>

#include "katara/store/trace_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace katara;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto trace = store::traceFromJson(line);
  if (!trace) return 0;
  const auto once = boost::json::serialize(store::toJson(*trace));
  const auto again = store::traceFromJson(once);
  if (!again || boost::json::serialize(store::toJson(*again)) != once) __builtin_trap();
  return 0;
}
