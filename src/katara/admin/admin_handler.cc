#include "katara/admin/admin_handler.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "katara/admin/admin_query.h"
#include "katara/admin/dashboard.h"
#include "katara/admin/health_json.h"
#include "katara/admin/live_gauges.h"
#include "katara/admin/stats_json.h"
#include "katara/core/constant_time.h"
#include "katara/core/json_text.h"
#include "katara/store/trace_json.h"

namespace katara::admin {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::int64_t unixMsNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string errorBody(std::string_view message, std::string_view type, std::string_view code) {
  return json::serialize(json::object{{"error", {{"message", message}, {"type", type}, {"code", code}}}});
}

// Runs `query` on the store's read thread and resumes the caller on its own worker with the
// result. `query` is a named local of the caller, alive until this returns: GCC 12 destroys
// temporaries (lambdas included) inside a co_await expression twice.
template <typename F>
asio::awaitable<std::invoke_result_t<F&>> onReadThread(asio::thread_pool& pool, F& query) {
  using Result = std::invoke_result_t<F&>;
  auto task = [&query]() -> asio::awaitable<Result> { co_return query(); };
  co_return co_await asio::co_spawn(pool, task, asio::use_awaitable);
}

// Bodies reach it as named locals or plain prvalues: GCC 12 destroys temporaries built inside a
// co_await expression twice.
asio::awaitable<void> sendJson(http::ResponseWriter& writer, int status, std::string body) {
  http::Headers headers{{"content-type", "application/json"}, {"cache-control", "no-store"}};
  co_await writer.send(status, std::move(headers), std::move(body));
}

// 400 for a query string that says what is wrong with it.
asio::awaitable<void> sendBadQuery(http::ResponseWriter& writer, const std::string& why) {
  const std::string body = errorBody(why, "invalid_request_error", "invalid_query");
  co_await sendJson(writer, 400, body);
}

}  // namespace

bool AdminHandler::authorized(const http::Request& request) const {
  const std::string_view presented = http::presentedApiKey(request);
  if (!settings_.api_key.empty()) return core::constantTimeEquals(presented, settings_.api_key);
  return settings_.gateway_keys.empty() || core::matchesAnyKey(presented, settings_.gateway_keys);
}

std::string AdminHandler::metricsText() const {
  auto gauges = liveGauges(routes_, log_ ? &log_->counters() : nullptr);
  if (extra_gauges_) {
    for (auto& g : extra_gauges_()) gauges.push_back(std::move(g));
  }
  return metrics_.expose(gauges);
}

asio::awaitable<void> AdminHandler::handle(http::Request& request, http::ResponseWriter& writer) {
  const auto path = request.path();
  const bool get = request.method == "GET" || request.method == "HEAD";
  if (path == "/ui" || path.rfind("/ui/", 0) == 0) {
    co_await serveDashboard(path, get, writer);
    co_return;
  }
  if (!get) {
    const std::string body =
        errorBody("Only GET is served on " + std::string(path) + ".", "invalid_request_error", "method_not_allowed");
    co_await sendJson(writer, 405, body);
    co_return;
  }
  if (path == "/metrics") {
    http::Headers headers{{"content-type", "text/plain; version=0.0.4; charset=utf-8"}};
    co_await writer.send(200, std::move(headers), metricsText());
    co_return;
  }
  if (!authorized(request)) {
    const std::string body = errorBody("The admin API needs the admin key (Authorization: Bearer <admin.api_key>).",
                                       "authentication_error", "invalid_api_key");
    co_await sendJson(writer, 401, body);
    co_return;
  }
  if (path == "/admin/health") {
    co_await sendJson(writer, 200, healthJson(routes_));
  } else if (!log_ && (path == "/admin/stats" || path.rfind("/admin/requests", 0) == 0)) {
    const std::string body =
        errorBody("The request log is off (store.enabled: false): nothing to query.", "server_error", "log_disabled");
    co_await sendJson(writer, 503, body);
  } else if (path == "/admin/requests") {
    co_await requests(request, writer);
  } else if (path.rfind("/admin/requests/", 0) == 0 && path.size() > 16) {
    const std::string id(path.substr(16));
    co_await requestById(id, writer);
  } else if (path == "/admin/stats") {
    co_await stats(request, writer);
  } else {
    const std::string body = errorBody("No admin endpoint " + std::string(path) +
                                           " (/admin/health, /admin/requests, /admin/requests/{id}, /admin/stats).",
                                       "invalid_request_error", "not_found");
    co_await sendJson(writer, 404, body);
  }
}

asio::awaitable<void> AdminHandler::requests(const http::Request& request, http::ResponseWriter& writer) {
  auto parsed = requestFilterOf(request.target, unixMsNow());
  if (auto* error = std::get_if<std::string>(&parsed)) {
    co_await sendBadQuery(writer, *error);
    co_return;
  }
  auto& store = log_->store();
  const auto& filter = std::get<store::RequestFilter>(parsed);
  auto query = [&store, &filter] { return store.list(filter); };
  auto page = co_await onReadThread(reads_, query);
  json::array data;
  for (const auto& row : page.rows) data.push_back(store::toJson(row));
  json::object body{{"object", "list"}, {"data", std::move(data)}};
  body["next_cursor"] = page.more ? json::value(page.cursors.back()) : json::value(nullptr);
  co_await sendJson(writer, 200, json::serialize(body));
}

asio::awaitable<void> AdminHandler::requestById(const std::string& id, http::ResponseWriter& writer) {
  auto& store = log_->store();
  auto query = [&store, &id] { return store.find(id); };
  auto found = co_await onReadThread(reads_, query);
  if (!found) {
    const std::string body = errorBody("No request " + id + " in the log (it may still be in the write queue).",
                                             "invalid_request_error", "not_found");
    co_await sendJson(writer, 404, body);
    co_return;
  }
  const auto row = store::toJson(*found);
  co_await sendJson(writer, 200, json::serialize(row));
}

asio::awaitable<void> AdminHandler::stats(const http::Request& request, http::ResponseWriter& writer) {
  auto parsed = statsQueryOf(request.target, unixMsNow());
  if (auto* error = std::get_if<std::string>(&parsed)) {
    co_await sendBadQuery(writer, *error);
    co_return;
  }
  const auto query = std::get<store::StatsQuery>(parsed);
  auto& store = log_->store();
  auto read = [&store, &query] { return store.stats(query); };
  auto result = co_await onReadThread(reads_, read);
  co_await sendJson(writer, 200, statsJson(query, result, log_->counters()));
}

}  // namespace katara::admin
