// Bytes on disk: a line of the request log's journal, replayed at start-up (a crash can leave
// any prefix of a line; a disk can hand back anything). Nothing may crash, and a line read
// back must write out to the same row again: every field the same, floating-point figures to
// within 1e-12 of themselves (Boost.JSON 1.81 parses long mantissas to a neighbouring double).
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "katara/store/trace_json.h"

namespace {

bool close(double a, double b) { return a == b || std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b)); }
bool close(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || close(*a, *b));
}

// The row with its floating-point figures set aside, for an exact comparison of the rest.
std::string exactPart(katara::core::RequestTrace t) {
  t.cost_usd = 0;
  for (auto& a : t.attempts) {
    a.tokens_per_second.reset();
    a.cost_usd.reset();
  }
  return boost::json::serialize(katara::store::toJson(t));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace katara;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto trace = store::traceFromJson(line);
  if (!trace) return 0;
  const auto again = store::traceFromJson(boost::json::serialize(store::toJson(*trace)));
  if (!again || exactPart(*again) != exactPart(*trace) || !close(again->cost_usd, trace->cost_usd)) __builtin_trap();
  for (std::size_t i = 0; i < trace->attempts.size(); ++i) {
    const auto& a = trace->attempts[i];
    const auto& b = again->attempts[i];
    if (!close(a.tokens_per_second, b.tokens_per_second) || !close(a.cost_usd, b.cost_usd)) __builtin_trap();
  }
  return 0;
}
