#pragma once
// A request's trace as JSON: the journal's lines (replayed into the store at start-up) and the
// admin API's request bodies share this one shape, documented in docs/observability.md.
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "katara/core/request_trace.h"

namespace katara::store {

boost::json::object toJson(const core::RequestTrace& trace);
// The trace a journal line holds; nullopt when the line is not one (a torn last write).
std::optional<core::RequestTrace> traceFromJson(std::string_view line);

// "2026-12-01T17:36:07.123Z" for unix milliseconds.
std::string isoTime(std::int64_t unix_ms);

}  // namespace katara::store
