#pragma once
// Random canonical chat requests for property tests: every field a front door can fill, with
// strings that need escaping.
#include <boost/json.hpp>

#include <random>

#include "katara/core/chat.h"

namespace katara::test_support {

// A random canonical request that OpenAI's format can express.
inline core::ChatRequest randomRequest(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  auto word = [&] {
    static const char* w[] = {"a", "b\"q", "c\\d", "é", "line\nbreak", "{}", " ", "tab\t"};
    std::string s;
    for (int i = 0, n = 1 + pick(4); i < n; ++i) s += w[pick(8)];
    return s;
  };
  core::ChatRequest r;
  r.model = "m-" + word();
  for (int i = 0, n = 1 + pick(5); i < n; ++i) {
    core::Message m;
    m.role = static_cast<core::Role>(pick(5));
    for (int j = 0, k = pick(3); j < k; ++j) {
      if (pick(3) == 0) {
        core::ContentPart p;
        p.kind = core::ContentPart::Kind::Image;
        p.image_url = "https://x/" + word();
        if (pick(2)) p.detail = "high";
        m.content.push_back(p);
      } else {
        m.content.push_back(core::ContentPart::makeText(word()));
      }
    }
    if (pick(4) == 0) m.name = word();
    if (m.role == core::Role::Assistant) {
      for (int j = 0, k = pick(3); j < k; ++j) m.tool_calls.push_back({"call_" + word(), "fn" + word(), "{\"k\":" + std::to_string(pick(9)) + "}"});
    }
    if (m.role == core::Role::Tool) m.tool_call_id = "call_" + word();
    r.messages.push_back(std::move(m));
  }
  for (int j = 0, k = pick(3); j < k; ++j) {
    boost::json::object schema{{"type", "object"}, {"description", word()}};
    r.tools.push_back({"t" + std::to_string(j), pick(2) ? word() : "", boost::json::serialize(schema)});
  }
  if (pick(2)) {
    core::ToolChoice tc;
    tc.mode = static_cast<core::ToolChoice::Mode>(pick(4));
    if (tc.mode == core::ToolChoice::Mode::Named) tc.name = "t0";
    r.tool_choice = tc;
  }
  if (pick(3) == 0) r.parallel_tool_calls = pick(2) == 0;
  if (pick(3) == 0) {
    core::ResponseFormat f;
    f.kind = static_cast<core::ResponseFormat::Kind>(pick(3));
    if (f.kind == core::ResponseFormat::Kind::JsonSchema) {
      f.schema_name = word();
      f.schema_json = boost::json::serialize(boost::json::object{{"type", "object"}});
      f.strict = pick(2) == 0;
    }
    r.response_format = f;
  }
  for (int j = 0, k = pick(3); j < k; ++j) r.stop.push_back(word());
  if (pick(2)) r.max_tokens = pick(100000);
  if (pick(2)) r.temperature = std::uniform_real_distribution<double>(0, 2)(rng);
  if (pick(2)) r.top_p = std::uniform_real_distribution<double>(0, 1)(rng);
  if (pick(2)) r.seed = static_cast<std::int64_t>(rng() >> 2);
  if (pick(2)) r.user = word();
  r.stream = pick(2) == 0;
  r.include_usage = r.stream;  // the encoder always asks for usage on a stream
  if (pick(3) == 0) r.extra_fields.emplace_back("logit_bias", boost::json::serialize(boost::json::object{{"50256", -100}}));
  if (pick(3) == 0) r.extra_fields.emplace_back("frequency_penalty", boost::json::serialize(boost::json::value(0.5)));  // canonical text, as parsed
  return r;
}

}  // namespace katara::test_support
