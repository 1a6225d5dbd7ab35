#pragma once
// The request log in SQLite (WAL mode): the single-node default, one file beside the config.
// One connection writes (the log's store thread), another serves queries; WAL lets them run
// at once.
#include <memory>
#include <mutex>
#include <string>

#include "katara/store/request_store.h"

struct sqlite3;

namespace katara::store {

class SqliteInserts;

class SqliteStore final : public RequestStore {
 public:
  // Opens (creating when absent) the database at `path`; nullptr with `error` on failure.
  static std::unique_ptr<SqliteStore> open(const std::string& path, std::string& error);
  ~SqliteStore() override;

  bool write(const std::vector<core::RequestTrace>& rows, std::string& error) override;
  RequestPage list(const RequestFilter& filter) override;
  std::optional<core::RequestTrace> find(const std::string& id) override;
  Stats stats(const StatsQuery& query) override;
  std::int64_t prune(const Retention& retention, std::int64_t now_ms) override;
  std::int64_t rowCount() override;

 private:
  SqliteStore(sqlite3* writer, sqlite3* reader);
  // Adds each row's attempts, read with the reader connection.
  void loadAttempts(std::vector<core::RequestTrace>& rows, const std::vector<std::int64_t>& seqs);
  std::int64_t usedBytes();

  sqlite3* writer_;
  sqlite3* reader_;
  std::unique_ptr<SqliteInserts> inserts_;  // on the writer
  std::mutex read_mutex_;   // the reader connection serves one query at a time
  std::mutex write_mutex_;  // write() and prune() (both from the store thread; held for safety)
};

}  // namespace katara::store
