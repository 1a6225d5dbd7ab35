#include "katara/providers/ollama/chat_encode.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"

#include "katara/core/tool_call_name.h"

namespace katara::providers::ollama {

namespace json = boost::json;

namespace {

const char* roleName(core::Role role) {
  switch (role) {
    case core::Role::System:
    case core::Role::Developer: return "system";
    case core::Role::Assistant: return "assistant";
    case core::Role::Tool: return "tool";
    case core::Role::User: break;
  }
  return "user";
}

json::object message(const std::vector<core::Message>& messages, std::size_t i, std::vector<std::string>& dropped) {
  const auto& m = messages[i];
  json::object out{{"role", roleName(m.role)}};
  std::string text;
  json::array images;
  for (const auto& p : m.content) {
    if (p.kind == core::ContentPart::Kind::Text) {
      text += p.text;
      continue;
    }
    const auto comma = p.image_url.find(',');
    if (p.image_url.rfind("data:", 0) == 0 && comma != std::string::npos) {
      images.push_back(json::string(p.image_url.substr(comma + 1)));
    } else {
      dropped.push_back("image " + p.image_url.substr(0, 60) + " (Ollama takes images inline only)");
    }
  }
  out["content"] = text;
  if (!images.empty()) out["images"] = std::move(images);
  if (!m.tool_calls.empty()) {
    json::array calls;
    for (std::size_t k = 0; k < m.tool_calls.size(); ++k) {
      const auto& c = m.tool_calls[k];
      boost::system::error_code ec;
      auto args = json::parse(c.arguments_json, ec);
      if (ec || !args.is_object()) {
        dropped.push_back("tool call " + c.id + " arguments (not a JSON object)");
        args = json::object{};
      }
      json::object call{{"function", {{"index", k}, {"name", c.name}, {"arguments", std::move(args)}}}};
      if (!c.id.empty()) call["id"] = c.id;
      calls.push_back(std::move(call));
    }
    out["tool_calls"] = std::move(calls);
  }
  if (m.role == core::Role::Tool) {
    std::string name = core::toolCallName(messages, i, m.tool_call_id);
    if (name.empty()) {
      name = m.name.empty() ? m.tool_call_id : m.name;
      dropped.push_back("tool result " + m.tool_call_id + " (no earlier call with that id; named '" + name + "')");
    }
    out["tool_name"] = name;
  }
  return out;
}

}  // namespace

core::EncodedBody encodeOllamaChat(const core::ChatRequest& r) {
  core::EncodedBody out;
  json::object body{{"model", r.model}};
  json::array messages;
  for (std::size_t i = 0; i < r.messages.size(); ++i) messages.push_back(message(r.messages, i, out.dropped));
  body["messages"] = std::move(messages);
  body["stream"] = r.stream;

  const bool no_tools = r.tool_choice && r.tool_choice->mode == core::ToolChoice::Mode::None;
  if (!r.tools.empty() && !no_tools) {
    json::array tools;
    for (const auto& t : r.tools) {
      json::object fn{{"name", t.name}, {"parameters", core::parsedOr(t.parameters_json, json::object{})}};
      if (!t.description.empty()) fn["description"] = t.description;
      tools.push_back(json::object{{"type", "function"}, {"function", std::move(fn)}});
    }
    body["tools"] = std::move(tools);
  }
  if (r.tool_choice && (r.tool_choice->mode == core::ToolChoice::Mode::Required ||
                        r.tool_choice->mode == core::ToolChoice::Mode::Named)) {
    out.dropped.emplace_back(std::string_view("tool_choice (Ollama always lets the model choose)"));
  }
  if (r.response_format && r.response_format->kind == core::ResponseFormat::Kind::JsonObject) body["format"] = "json";
  if (r.response_format && r.response_format->kind == core::ResponseFormat::Kind::JsonSchema) {
    body["format"] = core::parsedOr(r.response_format->schema_json, json::string("json"));
  }

  json::object options;
  if (r.max_tokens) options["num_predict"] = *r.max_tokens;
  if (r.temperature) options["temperature"] = *r.temperature;
  if (r.top_p) options["top_p"] = *r.top_p;
  if (r.seed) options["seed"] = *r.seed;
  if (!r.stop.empty()) {
    json::array stop;
    for (const auto& s : r.stop) stop.push_back(json::string(s));
    options["stop"] = std::move(stop);
  }
  if (!options.empty()) body["options"] = std::move(options);

  if (r.parallel_tool_calls) out.dropped.emplace_back(std::string_view("parallel_tool_calls"));
  if (!r.user.empty()) out.dropped.emplace_back(std::string_view("user"));
  for (const auto& [name, raw] : r.extra_fields) out.dropped.push_back(name);
  out.body = json::serialize(body);
  return out;
}

}  // namespace katara::providers::ollama
