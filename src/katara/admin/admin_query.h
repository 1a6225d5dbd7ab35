#pragma once
// The admin API's query strings, checked: a bad value is a clear 400, never a guess.
//
//   GET /admin/requests?since=&until=&alias=&provider=&status=&key=&limit=&cursor=
//   GET /admin/stats?window=&since=&until=&step=
//
// Times are unix milliseconds or an age before now ("15m", "1h", "7d"); status is a code
// ("502") or a class ("5xx"); key is a key hash as the log shows it ("sha256:…") or the key itself.
#include <string>
#include <string_view>
#include <variant>

#include "katara/store/request_store.h"

namespace katara::admin {

// The filter, or why the query is not one.
std::variant<store::RequestFilter, std::string> requestFilterOf(std::string_view target, std::int64_t now_ms);
std::variant<store::StatsQuery, std::string> statsQueryOf(std::string_view target, std::int64_t now_ms);

// "90s", "15m", "1h", "7d" (or plain milliseconds) as milliseconds; nullopt otherwise.
std::optional<std::int64_t> parseSpan(std::string_view text);

}  // namespace katara::admin
