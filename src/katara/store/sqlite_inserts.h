#pragma once
// Internal to store/: the request log's rows into SQLite. Multi-row INSERTs, prepared once for
// each row count used: a statement's fixed cost (its start, its cursors on the table and every
// index, its halt) is paid once for up to kRowsPerStatement rows instead of once a row.
#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "katara/core/request_trace.h"

struct sqlite3;

namespace katara::store {

class Statement;

class SqliteInserts {
 public:
  static constexpr std::size_t kRowsPerStatement = 16;

  explicit SqliteInserts(sqlite3* db);
  ~SqliteInserts();
  SqliteInserts(const SqliteInserts&) = delete;
  SqliteInserts& operator=(const SqliteInserts&) = delete;

  // Whether the statements compile against the schema (checked when the store opens).
  bool ready();
  // The rows and their attempts, inside the caller's transaction; false at the first failure
  // (sqlite3_errmsg says why), and the caller rolls back.
  bool insert(const std::vector<core::RequestTrace>& rows);

 private:
  // The statement for `n` rows (1..kRowsPerStatement), prepared on first use.
  Statement& requests(std::size_t n);
  Statement& attempts(std::size_t n);

  sqlite3* db_;
  std::array<std::unique_ptr<Statement>, kRowsPerStatement> requests_, attempts_;
};

}  // namespace katara::store
