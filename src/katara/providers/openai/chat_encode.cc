#include "katara/providers/openai/chat_encode.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"

namespace katara::providers::openai {

namespace json = boost::json;

namespace {

std::string_view roleName(core::Role r) {
  switch (r) {
    case core::Role::System: return "system";
    case core::Role::Developer: return "developer";
    case core::Role::User: return "user";
    case core::Role::Assistant: return "assistant";
    case core::Role::Tool: return "tool";
  }
  return "user";
}

// A lone text part is sent as a plain string, as most clients and servers expect.
json::value content(const std::vector<core::ContentPart>& parts) {
  if (parts.empty()) return nullptr;
  if (parts.size() == 1 && parts[0].kind == core::ContentPart::Kind::Text) return json::string(parts[0].text);
  json::array out;
  for (const auto& p : parts) {
    if (p.kind == core::ContentPart::Kind::Text) {
      out.push_back(json::object{{"type", "text"}, {"text", p.text}});
    } else {
      json::object image{{"url", p.image_url}};
      if (!p.detail.empty()) image["detail"] = p.detail;
      out.push_back(json::object{{"type", "image_url"}, {"image_url", std::move(image)}});
    }
  }
  return out;
}

}  // namespace

core::EncodedBody encodeChatRequest(const core::ChatRequest& r) {
  core::EncodedBody out;
  json::object body;
  body["model"] = r.model;
  json::array messages;
  for (const auto& m : r.messages) {
    json::object msg{{"role", roleName(m.role)}};
    msg["content"] = content(m.content);
    if (!m.name.empty()) msg["name"] = m.name;
    if (!m.tool_calls.empty()) {
      json::array calls;
      for (const auto& c : m.tool_calls) {
        calls.push_back(json::object{{"id", c.id}, {"type", "function"},
                                     {"function", json::object{{"name", c.name}, {"arguments", c.arguments_json}}}});
      }
      msg["tool_calls"] = std::move(calls);
    }
    if (m.role == core::Role::Tool) msg["tool_call_id"] = m.tool_call_id;
    messages.push_back(std::move(msg));
  }
  body["messages"] = std::move(messages);
  if (!r.tools.empty()) {
    json::array tools;
    for (const auto& t : r.tools) {
      json::object fn{{"name", t.name}, {"parameters", core::parsedOr(t.parameters_json, json::object{})}};
      if (!t.description.empty()) fn["description"] = t.description;
      tools.push_back(json::object{{"type", "function"}, {"function", std::move(fn)}});
    }
    body["tools"] = std::move(tools);
  }
  if (r.tool_choice) {
    switch (r.tool_choice->mode) {
      case core::ToolChoice::Mode::Auto: body["tool_choice"] = "auto"; break;
      case core::ToolChoice::Mode::None: body["tool_choice"] = "none"; break;
      case core::ToolChoice::Mode::Required: body["tool_choice"] = "required"; break;
      case core::ToolChoice::Mode::Named:
        body["tool_choice"] = json::object{{"type", "function"}, {"function", json::object{{"name", r.tool_choice->name}}}};
        break;
    }
  }
  if (r.parallel_tool_calls) body["parallel_tool_calls"] = *r.parallel_tool_calls;
  if (r.response_format) {
    const auto& f = *r.response_format;
    if (f.kind == core::ResponseFormat::Kind::Text) {
      body["response_format"] = json::object{{"type", "text"}};
    } else if (f.kind == core::ResponseFormat::Kind::JsonObject) {
      body["response_format"] = json::object{{"type", "json_object"}};
    } else {
      json::object schema{{"name", f.schema_name}, {"schema", core::parsedOr(f.schema_json, json::object{})}, {"strict", f.strict}};
      body["response_format"] = json::object{{"type", "json_schema"}, {"json_schema", std::move(schema)}};
    }
  }
  if (!r.stop.empty()) {
    json::array stop;
    for (const auto& s : r.stop) stop.push_back(json::string(s));
    body["stop"] = std::move(stop);
  }
  if (r.max_tokens) body["max_tokens"] = *r.max_tokens;
  if (r.temperature) body["temperature"] = *r.temperature;
  if (r.top_p) body["top_p"] = *r.top_p;
  if (r.seed) body["seed"] = *r.seed;
  if (!r.user.empty()) body["user"] = r.user;
  if (r.stream) {
    body["stream"] = true;
    body["stream_options"] = json::object{{"include_usage", true}};
  }
  if (r.continues_final_message) {
    // vLLM's switches for going on from the final assistant message (llama.cpp server does so
    // by itself and ignores them); only sent to providers configured with `prefill: true`.
    body["continue_final_message"] = true;
    body["add_generation_prompt"] = false;
  }
  for (const auto& [name, raw] : r.extra_fields) {
    if (r.origin == core::ApiFormat::OpenAiChat) body[name] = core::parsedOr(raw, nullptr);
    else out.dropped.push_back(name);
  }
  out.body = json::serialize(body);
  return out;
}

}  // namespace katara::providers::openai
