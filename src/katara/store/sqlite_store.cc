#include "katara/store/sqlite_store.h"

#include <sqlite3.h>

#include "katara/store/sqlite_inserts.h"
#include "katara/store/sqlite_statement.h"
#include "katara/store/target_stats.h"

namespace katara::store {

namespace {

constexpr int kSchemaVersion = 1;

// auto_vacuum must be chosen before the first table exists: deleted rows' pages go back to
// the file system in prune(), so the size bound holds on disk too.
constexpr const char* kSchema = R"sql(
PRAGMA auto_vacuum = INCREMENTAL;
CREATE TABLE IF NOT EXISTS requests (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL, unix_ms INTEGER NOT NULL, key_hash TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  operation TEXT NOT NULL, api TEXT NOT NULL, alias TEXT NOT NULL, stream INTEGER NOT NULL, status INTEGER NOT NULL,
  error TEXT NOT NULL, duration_us INTEGER NOT NULL, first_token_us INTEGER, overhead_us INTEGER NOT NULL,
  provider TEXT, model TEXT, served_attempt INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cache_read_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, usage_estimated INTEGER NOT NULL,
  cost_usd REAL NOT NULL, cost_estimated INTEGER NOT NULL, unpriced INTEGER NOT NULL,
  retries INTEGER NOT NULL, failovers INTEGER NOT NULL, hedges INTEGER NOT NULL, continuations INTEGER NOT NULL,
  stream_broken INTEGER NOT NULL, request_body TEXT NOT NULL, response_body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS requests_time ON requests(unix_ms);
CREATE INDEX IF NOT EXISTS requests_id ON requests(id);
CREATE TABLE IF NOT EXISTS attempts (
  request_seq INTEGER NOT NULL, n INTEGER NOT NULL, unix_ms INTEGER NOT NULL,
  provider TEXT NOT NULL, provider_kind TEXT NOT NULL, model TEXT NOT NULL, outcome TEXT NOT NULL,
  status INTEGER NOT NULL, message TEXT NOT NULL, start_us INTEGER NOT NULL, duration_us INTEGER NOT NULL,
  first_token_us INTEGER, translated INTEGER NOT NULL, continued INTEGER NOT NULL, hedge INTEGER NOT NULL,
  tokens_per_second REAL, input_tokens INTEGER, output_tokens INTEGER, cache_read_tokens INTEGER,
  cache_write_tokens INTEGER, reasoning_tokens INTEGER, usage_estimated INTEGER NOT NULL, cost_usd REAL,
  served INTEGER NOT NULL,
  PRIMARY KEY (request_seq, n)) WITHOUT ROWID;
DROP INDEX IF EXISTS attempts_time;
)sql";
// Every index costs each row's write: requests are found by id and by time; attempts only by
// their request (a time window of attempts is the requests' seq range that window starts at).

// 2 MiB of page cache per connection: the pages an insert touches (the right edge of each
// B-tree, as rows and ids grow in time order) stay in it. No memory map: its pages would count
// in the process's resident memory as the log grows.
constexpr const char* kPerformance = "PRAGMA cache_size = -2048; PRAGMA temp_store = MEMORY;";

constexpr const char* kRequestColumns =
    "seq, id, unix_ms, key_hash, method, path, operation, api, alias, stream, status, error, duration_us, "
    "first_token_us, overhead_us, served_attempt, input_tokens, output_tokens, cache_read_tokens, "
    "cache_write_tokens, reasoning_tokens, usage_estimated, cost_usd, cost_estimated, unpriced, retries, failovers, "
    "hedges, continuations, stream_broken, request_body, response_body";

std::string lastError(sqlite3* db) { return sqlite3_errmsg(db); }

bool exec(sqlite3* db, const char* sql, std::string& error) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  error = message ? message : "unknown SQLite error";
  sqlite3_free(message);
  return false;
}

sqlite3* openConnection(const std::string& path, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    error = db ? lastError(db) : "out of memory";
    sqlite3_close(db);
    return nullptr;
  }
  // A reader and the writer wait briefly for each other instead of failing at once.
  sqlite3_busy_timeout(db, 2000);
  return db;
}

core::RequestTrace requestFrom(const Statement& s) {
  core::RequestTrace t;
  int c = 1;
  t.id = s.text(c++);
  t.unix_ms = s.integer(c++);
  t.key_hash = s.text(c++);
  t.method = s.text(c++);
  t.path = s.text(c++);
  t.operation = s.text(c++);
  t.api = s.text(c++);
  t.alias = s.text(c++);
  t.stream = s.integer(c++) != 0;
  t.status = static_cast<int>(s.integer(c++));
  t.error = s.text(c++);
  t.duration_us = s.integer(c++);
  t.first_token_us = s.optInteger(c++);
  t.overhead_us = s.integer(c++);
  t.served_attempt = static_cast<int>(s.integer(c++));
  t.usage.input_tokens = s.integer(c++);
  t.usage.output_tokens = s.integer(c++);
  t.usage.cache_read_tokens = s.integer(c++);
  t.usage.cache_write_tokens = s.integer(c++);
  t.usage.reasoning_tokens = s.integer(c++);
  t.usage_estimated = s.integer(c++) != 0;
  t.cost_usd = s.real(c++);
  t.cost_estimated = s.integer(c++) != 0;
  t.unpriced = s.integer(c++) != 0;
  t.retries = static_cast<int>(s.integer(c++));
  t.failovers = static_cast<int>(s.integer(c++));
  t.hedges = static_cast<int>(s.integer(c++));
  t.continuations = static_cast<int>(s.integer(c++));
  t.stream_broken = s.integer(c++) != 0;
  t.request_body = s.text(c++);
  t.response_body = s.text(c++);
  return t;
}

}  // namespace

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& path, std::string& error) {
  // No allocation statistics: keeping them takes a process-wide mutex on every SQLite malloc
  // and free, a few hundred of them per row written. (Only possible before SQLite's first use;
  // when too late it refuses, harmlessly.)
  static const int no_memory_statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)no_memory_statistics;
  sqlite3* writer = openConnection(path, error);
  if (!writer) return nullptr;
  std::string why;
  // WAL: readers never block the writer.
  if (!exec(writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", why) || !exec(writer, kSchema, why) ||
      !exec(writer, kPerformance, why)) {
    error = path + ": " + why;
    sqlite3_close(writer);
    return nullptr;
  }
  exec(writer, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str(), why);
  sqlite3* reader = openConnection(path, error);
  if (!reader) {
    sqlite3_close(writer);
    return nullptr;
  }
  exec(reader, kPerformance, why);
  std::unique_ptr<SqliteStore> store(new SqliteStore(writer, reader));
  store->inserts_ = std::make_unique<SqliteInserts>(writer);
  if (!store->inserts_->ready()) {
    error = path + ": " + lastError(writer);
    return nullptr;
  }
  return store;
}

SqliteStore::SqliteStore(sqlite3* writer, sqlite3* reader) : writer_(writer), reader_(reader) {}

SqliteStore::~SqliteStore() {
  // A connection closes only once its statements are finalized.
  inserts_.reset();
  sqlite3_close(reader_);
  sqlite3_close(writer_);
}

bool SqliteStore::write(const std::vector<core::RequestTrace>& rows, std::string& error) {
  std::lock_guard lock(write_mutex_);
  if (!exec(writer_, "BEGIN IMMEDIATE", error)) return false;
  if (!inserts_->insert(rows)) {
    error = lastError(writer_);
    std::string ignored;
    exec(writer_, "ROLLBACK", ignored);
    return false;
  }
  return exec(writer_, "COMMIT", error);
}

void SqliteStore::loadAttempts(std::vector<core::RequestTrace>& rows, const std::vector<std::int64_t>& seqs) {
  Statement s(reader_, R"sql(SELECT provider, provider_kind, model, outcome, status, message, start_us, duration_us,
      first_token_us, translated, continued, hedge, tokens_per_second, input_tokens, output_tokens, cache_read_tokens,
      cache_write_tokens, reasoning_tokens, usage_estimated, cost_usd FROM attempts WHERE request_seq = ? ORDER BY n)sql");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    s.bind(1, seqs[i]);
    while (s.step() == SQLITE_ROW) {
      core::AttemptTrace a;
      int c = 0;
      a.provider = s.text(c++);
      a.provider_kind = s.text(c++);
      a.model = s.text(c++);
      a.kind = core::kindFromString(s.text(c++)).value_or(core::UpstreamErrorKind::Ok);
      a.status = static_cast<int>(s.integer(c++));
      a.message = s.text(c++);
      a.start_us = s.integer(c++);
      a.duration_us = s.integer(c++);
      a.first_token_us = s.optInteger(c++);
      a.translated = s.integer(c++) != 0;
      a.continued = s.integer(c++) != 0;
      a.hedge = s.integer(c++) != 0;
      a.tokens_per_second = s.optReal(c++);
      if (!s.isNull(c)) {
        a.usage = core::Usage{s.integer(c), s.integer(c + 1), s.integer(c + 2), s.integer(c + 3), s.integer(c + 4)};
      }
      c += 5;
      a.usage_estimated = s.integer(c++) != 0;
      a.cost_usd = s.optReal(c++);
      rows[i].attempts.push_back(std::move(a));
    }
    s.reset();
  }
}

RequestPage SqliteStore::list(const RequestFilter& f) {
  std::string sql = std::string("SELECT ") + kRequestColumns + " FROM requests WHERE 1";
  if (f.since_ms) sql += " AND unix_ms >= ?";
  if (f.until_ms) sql += " AND unix_ms < ?";
  if (!f.alias.empty()) sql += " AND alias = ?";
  if (!f.provider.empty()) sql += " AND seq IN (SELECT request_seq FROM attempts WHERE provider = ?)";
  if (f.status) sql += " AND status = ?";
  if (f.status_class) sql += " AND status / 100 = ?";
  if (!f.key_hash.empty()) sql += " AND key_hash = ?";
  if (f.before) sql += " AND seq < ?";
  sql += " ORDER BY seq DESC LIMIT ?";
  std::lock_guard lock(read_mutex_);
  Statement s(reader_, sql);
  RequestPage page;
  if (!s.ok()) return page;
  if (f.since_ms) s.add(*f.since_ms);
  if (f.until_ms) s.add(*f.until_ms);
  if (!f.alias.empty()) s.add(std::string_view(f.alias));
  if (!f.provider.empty()) s.add(std::string_view(f.provider));
  if (f.status) s.add(*f.status);
  if (f.status_class) s.add(*f.status_class);
  if (!f.key_hash.empty()) s.add(std::string_view(f.key_hash));
  if (f.before) s.add(*f.before);
  s.add(f.limit + 1);  // one more tells whether another page follows
  while (s.step() == SQLITE_ROW) {
    if (static_cast<int>(page.rows.size()) == f.limit) {
      page.more = true;
      break;
    }
    page.cursors.push_back(s.integer(0));
    page.rows.push_back(requestFrom(s));
  }
  loadAttempts(page.rows, page.cursors);
  return page;
}

std::optional<core::RequestTrace> SqliteStore::find(const std::string& id) {
  std::lock_guard lock(read_mutex_);
  Statement s(reader_, std::string("SELECT ") + kRequestColumns + " FROM requests WHERE id = ? ORDER BY seq DESC LIMIT 1");
  s.bind(1, std::string_view(id));
  if (s.step() != SQLITE_ROW) return std::nullopt;
  std::vector<core::RequestTrace> rows{requestFrom(s)};
  loadAttempts(rows, {s.integer(0)});
  return std::move(rows.front());
}

Stats SqliteStore::stats(const StatsQuery& q) {
  std::vector<AttemptSample> samples;
  std::vector<RequestSample> requests;
  {
    std::lock_guard lock(read_mutex_);
    // Rows arrive in the order requests end, so every request that arrived in the window has a
    // seq at or after the first one that did.
    Statement s(reader_, R"sql(SELECT provider, model, unix_ms, outcome, served, duration_us, first_token_us,
        input_tokens, output_tokens, cost_usd FROM attempts
        WHERE request_seq >= (SELECT coalesce(min(seq), 0) FROM requests WHERE unix_ms >= ?1)
          AND unix_ms >= ?1 AND unix_ms < ?2)sql");
    s.bind(1, q.since_ms).bind(2, q.until_ms);
    while (s.step() == SQLITE_ROW) {
      AttemptSample a;
      a.provider = s.text(0);
      a.model = s.text(1);
      a.unix_ms = s.integer(2);
      a.kind = core::kindFromString(s.text(3)).value_or(core::UpstreamErrorKind::Ok);
      a.served = s.integer(4) != 0;
      a.duration_us = s.integer(5);
      a.first_token_us = s.optInteger(6);
      a.input_tokens = s.integer(7);
      a.output_tokens = s.integer(8);
      a.cost_usd = s.real(9);
      samples.push_back(std::move(a));
    }
    Statement r(reader_, R"sql(SELECT unix_ms, status, failovers, retries, hedges, continuations, cost_usd
        FROM requests WHERE unix_ms >= ? AND unix_ms < ?)sql");
    r.bind(1, q.since_ms).bind(2, q.until_ms);
    while (r.step() == SQLITE_ROW) {
      requests.push_back({r.integer(0), static_cast<int>(r.integer(1)), static_cast<int>(r.integer(2)),
                          static_cast<int>(r.integer(3)), static_cast<int>(r.integer(4)), static_cast<int>(r.integer(5)),
                          r.real(6)});
    }
  }
  Stats out;
  out.targets = aggregateStats(std::move(samples), q);
  aggregateTraffic(requests, q, out);
  return out;
}

std::int64_t SqliteStore::usedBytes() {
  Statement pages(writer_, "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM "
                           "pragma_freelist_count), (SELECT page_size FROM pragma_page_size)");
  if (pages.step() != SQLITE_ROW) return 0;
  return pages.integer(0) * pages.integer(1);
}

std::int64_t SqliteStore::prune(const Retention& r, std::int64_t now_ms) {
  std::lock_guard lock(write_mutex_);
  std::int64_t deleted = 0;
  // By arrival time, not by seq: rows replayed from the journal arrive late in seq order.
  auto deleteBefore = [&](std::int64_t unix_ms) {
    std::string ignored;
    exec(writer_, "BEGIN IMMEDIATE", ignored);
    Statement a(writer_, "DELETE FROM attempts WHERE request_seq IN (SELECT seq FROM requests WHERE unix_ms < ?)");
    a.bind(1, unix_ms);
    a.step();
    Statement q(writer_, "DELETE FROM requests WHERE unix_ms < ?");
    q.bind(1, unix_ms);
    q.step();
    deleted += sqlite3_changes(writer_);
    exec(writer_, "COMMIT", ignored);
  };
  if (r.max_age_ms > 0) deleteBefore(now_ms - r.max_age_ms);
  // Over the size bound: the oldest tenth at a time, until it fits.
  for (int round = 0; r.max_bytes > 0 && round < 20 && usedBytes() > r.max_bytes; ++round) {
    Statement cut(writer_, "SELECT unix_ms FROM requests ORDER BY unix_ms LIMIT 1 OFFSET (SELECT count(*) / 10 FROM requests)");
    if (cut.step() != SQLITE_ROW) break;
    const auto before = cut.integer(0);
    const auto was = deleted;
    deleteBefore(before);
    if (deleted == was) deleteBefore(before + 1);  // many rows at one millisecond
  }
  if (deleted > 0) {
    std::string ignored;
    exec(writer_, "PRAGMA incremental_vacuum", ignored);
  }
  return deleted;
}

std::int64_t SqliteStore::rowCount() {
  std::lock_guard lock(read_mutex_);
  Statement s(reader_, "SELECT count(*) FROM requests");
  return s.step() == SQLITE_ROW ? s.integer(0) : 0;
}

}  // namespace katara::store
