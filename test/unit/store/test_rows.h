#pragma once
// Request traces for the store's tests.
#include <unistd.h>

#include <filesystem>
#include <string>

#include "katara/core/request_trace.h"

namespace katara::store::testing {

// A path in the temp folder unique to this process and test (appended piecewise: GCC 12 warns
// falsely about `+` chains of strings at -O3).
inline std::string tempPathFor(const char* prefix, const char* test) {
  std::string name = prefix;
  name += std::to_string(::getpid());
  name += '-';
  name += test;
  return (std::filesystem::temp_directory_path() / name).string();
}

inline core::RequestTrace traceOf(const std::string& id, std::int64_t unix_ms, const std::string& alias = "fast",
                                  int status = 200, const std::string& provider = "openai") {
  core::RequestTrace t;
  t.id = id;
  t.unix_ms = unix_ms;
  t.key_hash = "sha256:0011223344556677";
  t.method = "POST";
  t.path = "/v1/chat/completions";
  t.operation = "chat";
  t.api = "openai";
  t.alias = alias;
  t.status = status;
  t.duration_us = 150000;
  t.first_token_us = 40000;
  t.overhead_us = 120;
  t.usage = {12, 30, 2, 0, 0};
  t.cost_usd = 0.0012;
  core::AttemptTrace a;
  a.provider = provider;
  a.provider_kind = "openai";
  a.model = "gpt-x";
  a.status = status;
  a.kind = status == 200 ? core::UpstreamErrorKind::Ok : core::UpstreamErrorKind::Server;
  a.start_us = 100;
  a.duration_us = 149000;
  a.first_token_us = 39000;
  a.usage = t.usage;
  a.cost_usd = t.cost_usd;
  t.attempts.push_back(a);
  t.served_attempt = status == 200 ? 0 : -1;
  return t;
}

}  // namespace katara::store::testing
