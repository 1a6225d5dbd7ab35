#pragma once
// Fills a request's trace (core/request_trace.h) from what the executor reports: the attempts
// with their targets, timings, tokens and cost, and the retries, failovers and hedges they were.
#include <chrono>

#include "katara/core/request_trace.h"
#include "katara/routing/executor.h"

namespace katara::app {

// `arrived`: when the request reached the handler; the attempts' times are offsets from it.
void noteExecution(core::RequestTrace& trace, const routing::ExecutionSummary& summary,
                   const routing::RequestShape& shape, std::chrono::steady_clock::time_point arrived);

// The request has ended at `now`: its duration, and the time it spent outside every attempt.
void noteEnd(core::RequestTrace& trace, std::chrono::steady_clock::time_point arrived,
             std::chrono::steady_clock::time_point now);

}  // namespace katara::app
