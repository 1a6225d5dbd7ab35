// Client bytes: the query string of an admin API request. Nothing may crash; what is accepted
// is within its documented bounds.
#include <cstdint>
#include <string>

#include "katara/admin/admin_query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace katara;
  const std::string query(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t kNow = 1'796'000'000'000;
  const auto filter = admin::requestFilterOf("/admin/requests?" + query, kNow);
  if (const auto* f = std::get_if<store::RequestFilter>(&filter)) {
    if (f->limit < 1 || f->limit > 500) __builtin_trap();
    if (f->status && (*f->status < 100 || *f->status > 599)) __builtin_trap();
  }
  const auto stats = admin::statsQueryOf("/admin/stats?" + query, kNow);
  if (const auto* q = std::get_if<store::StatsQuery>(&stats)) {
    if (q->since_ms >= q->until_ms || q->step_ms < 0) __builtin_trap();
  }
  return 0;
}
