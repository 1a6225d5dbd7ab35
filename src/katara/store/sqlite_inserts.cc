#include "katara/store/sqlite_inserts.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>

#include "katara/store/sqlite_statement.h"

namespace katara::store {

namespace {

constexpr const char* kRequestInsert = R"sql(INSERT INTO requests (id, unix_ms, key_hash, method, path, operation,
  api, alias, stream, status, error, duration_us, first_token_us, overhead_us, provider, model, served_attempt,
  input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, usage_estimated, cost_usd,
  cost_estimated, unpriced, retries, failovers, hedges, continuations, stream_broken, request_body, response_body)
  VALUES )sql";
constexpr int kRequestValues = 33;
constexpr const char* kAttemptInsert = R"sql(INSERT INTO attempts (request_seq, n, unix_ms, provider, provider_kind,
  model, outcome, status, message, start_us, duration_us, first_token_us, translated, continued, hedge,
  tokens_per_second, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
  usage_estimated, cost_usd, served) VALUES )sql";
constexpr int kAttemptValues = 24;

// "INSERT ... VALUES (?,...,?),(?,...,?)": `rows` tuples of `values` parameters.
std::string multiRow(const char* insert, int values, std::size_t rows) {
  std::string tuple = "(?";
  for (int i = 1; i < values; ++i) tuple += ",?";
  tuple += ')';
  std::string sql = insert;
  for (std::size_t r = 0; r < rows; ++r) sql += (r ? "," : "") + tuple;
  return sql;
}

void bindRequest(Statement& s, const core::RequestTrace& t) {
  const core::AttemptTrace* served = t.served_attempt >= 0 && static_cast<std::size_t>(t.served_attempt) < t.attempts.size()
                                         ? &t.attempts[static_cast<std::size_t>(t.served_attempt)]
                                         : nullptr;
  s.add(std::string_view(t.id)).add(t.unix_ms).add(std::string_view(t.key_hash));
  s.add(std::string_view(t.method)).add(std::string_view(t.path));
  s.add(std::string_view(t.operation)).add(std::string_view(t.api)).add(std::string_view(t.alias));
  s.add(t.stream).add(t.status).add(std::string_view(t.error)).add(t.duration_us);
  s.add(t.first_token_us).add(t.overhead_us);
  if (served) {
    s.add(std::string_view(served->provider)).add(std::string_view(served->model));
  } else {
    s.add(std::optional<std::int64_t>()).add(std::optional<std::int64_t>());
  }
  s.add(t.served_attempt).add(t.usage.input_tokens).add(t.usage.output_tokens);
  s.add(t.usage.cache_read_tokens).add(t.usage.cache_write_tokens).add(t.usage.reasoning_tokens);
  s.add(t.usage_estimated).add(t.cost_usd).add(t.cost_estimated).add(t.unpriced);
  s.add(t.retries).add(t.failovers).add(t.hedges).add(t.continuations);
  s.add(t.stream_broken).add(std::string_view(t.request_body)).add(std::string_view(t.response_body));
}

// One attempt of a request, with where it belongs.
struct AttemptRow {
  std::int64_t seq;  // its request's
  const core::RequestTrace* request;
  std::size_t n;     // its place among the request's attempts
};

void bindAttempt(Statement& s, const AttemptRow& row) {
  const core::RequestTrace& t = *row.request;
  const core::AttemptTrace& a = t.attempts[row.n];
  const std::optional<core::Usage>& u = a.usage;
  auto usage = [&](std::int64_t core::Usage::*field) { return u ? std::optional<std::int64_t>((*u).*field) : std::nullopt; };
  s.add(row.seq).add(static_cast<std::int64_t>(row.n)).add(t.unix_ms + a.start_us / 1000);
  s.add(std::string_view(a.provider)).add(std::string_view(a.provider_kind));
  s.add(std::string_view(a.model)).add(core::toString(a.kind)).add(a.status);
  s.add(std::string_view(a.message)).add(a.start_us).add(a.duration_us);
  s.add(a.first_token_us).add(a.translated).add(a.continued).add(a.hedge);
  s.add(a.tokens_per_second).add(usage(&core::Usage::input_tokens));
  s.add(usage(&core::Usage::output_tokens)).add(usage(&core::Usage::cache_read_tokens));
  s.add(usage(&core::Usage::cache_write_tokens)).add(usage(&core::Usage::reasoning_tokens));
  s.add(a.usage_estimated).add(a.cost_usd).add(static_cast<int>(row.n) == t.served_attempt);
}

// Steps `items` through statements of up to kRowsPerStatement rows each.
template <typename Item, typename StatementFor, typename Bind, typename Inserted>
bool inChunks(const std::vector<Item>& items, StatementFor statement_for, Bind bind, Inserted inserted) {
  for (std::size_t begin = 0; begin < items.size(); begin += SqliteInserts::kRowsPerStatement) {
    const std::size_t n = std::min(SqliteInserts::kRowsPerStatement, items.size() - begin);
    Statement& s = statement_for(n);
    if (!s.ok()) return false;
    for (std::size_t i = begin; i < begin + n; ++i) bind(s, items[i]);
    const bool done = s.step() == SQLITE_DONE;
    s.reset();
    if (!done) return false;
    inserted(begin, n);
  }
  return true;
}

}  // namespace

SqliteInserts::SqliteInserts(sqlite3* db) : db_(db) {}
SqliteInserts::~SqliteInserts() = default;

Statement& SqliteInserts::requests(std::size_t n) {
  auto& slot = requests_[n - 1];
  if (!slot) slot = std::make_unique<Statement>(db_, multiRow(kRequestInsert, kRequestValues, n));
  return *slot;
}

Statement& SqliteInserts::attempts(std::size_t n) {
  auto& slot = attempts_[n - 1];
  if (!slot) slot = std::make_unique<Statement>(db_, multiRow(kAttemptInsert, kAttemptValues, n));
  return *slot;
}

bool SqliteInserts::ready() { return requests(1).ok() && attempts(1).ok(); }

bool SqliteInserts::insert(const std::vector<core::RequestTrace>& rows) {
  std::vector<AttemptRow> attempt_rows;
  const bool requests_in = inChunks(
      rows, [this](std::size_t n) -> Statement& { return requests(n); }, bindRequest,
      [&](std::size_t begin, std::size_t n) {
        // A new row's seq is one above the largest in the table, so the n rows of one
        // statement took the n seqs that end at the last one inserted.
        const std::int64_t first = sqlite3_last_insert_rowid(db_) - static_cast<std::int64_t>(n) + 1;
        for (std::size_t i = 0; i < n; ++i) {
          const auto& t = rows[begin + i];
          for (std::size_t a = 0; a < t.attempts.size(); ++a) {
            attempt_rows.push_back({first + static_cast<std::int64_t>(i), &t, a});
          }
        }
      });
  return requests_in && inChunks(
                            attempt_rows, [this](std::size_t n) -> Statement& { return attempts(n); }, bindAttempt,
                            [](std::size_t, std::size_t) {});
}

}  // namespace katara::store
