// The request log's write path on its own: SqliteStore::write of batches of typical rows (one
// attempt, answered, as the HTTP benchmark's requests are) into a fresh database in /tmp. Run
// it plain for time per row, or under callgrind for instructions per row:
//   build/katara_store_bench [--benchmark_filter=storeWrite/16]
//   valgrind --tool=callgrind build/katara_store_bench   (SqliteStore::write's inclusive count / rows)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "katara/core/request_id.h"
#include "katara/store/sqlite_store.h"

namespace {

katara::core::RequestTrace typicalRow(std::int64_t unix_ms) {
  katara::core::RequestTrace t;
  t.id = katara::core::newRequestId();
  t.unix_ms = unix_ms;
  t.method = "POST";
  t.path = "/v1/chat/completions";
  t.operation = "chat";
  t.api = "openai";
  t.alias = "bench";
  t.status = 200;
  t.duration_us = 1200;
  t.overhead_us = 80;
  t.served_attempt = 0;
  t.usage = {12, 7, 0, 0, 0};
  auto& a = t.attempts.emplace_back();
  a.provider = "up";
  a.provider_kind = "openai";
  a.model = "bench-model";
  a.target_index = 0;
  a.status = 200;
  a.start_us = 50;
  a.duration_us = 1100;
  a.usage = t.usage;
  return t;
}

void storeWrite(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / ("katara_store_bench_" + std::to_string(::getpid()) + ".db");
  std::string error;
  auto store = katara::store::SqliteStore::open(path.string(), error);
  if (!store) {
    state.SkipWithError(error.c_str());
    return;
  }
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::vector<katara::core::RequestTrace> rows;
  std::int64_t ms = 1'760'000'000'000;
  for (auto _ : state) {
    state.PauseTiming();
    rows.clear();
    for (std::size_t i = 0; i < batch; ++i) rows.push_back(typicalRow(ms++));
    state.ResumeTiming();
    if (!store->write(rows, error)) state.SkipWithError(error.c_str());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * batch));
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
// Fixed counts (32,000 and 51,200 rows), so that a run under callgrind compares like with like:
// the cost per row grows with the file (checkpoints, deeper B-trees).
BENCHMARK(storeWrite)->Arg(16)->Iterations(2000)->Unit(benchmark::kMicrosecond);
BENCHMARK(storeWrite)->Arg(256)->Iterations(200)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
