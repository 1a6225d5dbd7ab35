#include "katara/providers/anthropic/messages_encode.h"

#include <boost/json.hpp>

namespace katara::providers::anthropic {

namespace json = boost::json;

namespace {

json::object imageBlock(const core::ContentPart& p) {
  const std::string& url = p.image_url;
  // data:<media type>;base64,<data>
  if (url.rfind("data:", 0) == 0) {
    auto semi = url.find(';');
    auto comma = url.find(',');
    if (semi != std::string::npos && comma != std::string::npos && semi < comma) {
      return {{"type", "image"},
              {"source", {{"type", "base64"}, {"media_type", url.substr(5, semi - 5)}, {"data", url.substr(comma + 1)}}}};
    }
  }
  return {{"type", "image"}, {"source", {{"type", "url"}, {"url", url}}}};
}

json::array contentBlocks(const core::Message& m, std::vector<std::string>& dropped) {
  json::array blocks;
  for (const auto& p : m.content) {
    if (p.kind == core::ContentPart::Kind::Text) {
      if (!p.text.empty()) blocks.push_back(json::object{{"type", "text"}, {"text", p.text}});
    } else {
      blocks.push_back(imageBlock(p));
    }
  }
  for (const auto& c : m.tool_calls) {
    boost::system::error_code ec;
    auto input = json::parse(c.arguments_json, ec);
    if (ec || !input.is_object()) {
      dropped.push_back("tool call " + c.id + " arguments (not a JSON object)");
      input = json::object{};
    }
    blocks.push_back(json::object{{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", std::move(input)}});
  }
  return blocks;
}

std::string textOf(const core::Message& m) {
  std::string out;
  for (const auto& p : m.content) {
    if (p.kind == core::ContentPart::Kind::Text) out += p.text;
  }
  return out;
}

}  // namespace

EncodedMessages encodeMessagesRequest(const core::ChatRequest& r) {
  EncodedMessages out;
  json::object body;
  body["model"] = r.model;

  std::string system;
  auto addSystem = [&](const std::string& text) {
    if (text.empty()) return;
    if (!system.empty()) system += "\n\n";
    system += text;
  };
  json::array messages;
  for (const auto& m : r.messages) {
    if (m.role == core::Role::System || m.role == core::Role::Developer) {
      addSystem(textOf(m));
      continue;
    }
    std::string role = m.role == core::Role::Assistant ? "assistant" : "user";
    json::array blocks;
    if (m.role == core::Role::Tool) {
      blocks.push_back(json::object{{"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", textOf(m)}});
    } else {
      blocks = contentBlocks(m, out.dropped);
    }
    if (blocks.empty()) continue;  // the API rejects empty content
    if (!messages.empty() && messages.back().as_object().at("role").as_string() == role) {
      auto& prev = messages.back().as_object()["content"].as_array();
      for (auto& b : blocks) prev.push_back(std::move(b));
    } else {
      messages.push_back(json::object{{"role", role}, {"content", std::move(blocks)}});
    }
  }
  if (r.response_format && r.response_format->kind != core::ResponseFormat::Kind::Text) {
    std::string instruction = "Respond with a single JSON object and nothing else.";
    if (r.response_format->kind == core::ResponseFormat::Kind::JsonSchema) {
      instruction += " It must match this JSON Schema: " + r.response_format->schema_json;
    }
    addSystem(instruction);
  }
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  body["max_tokens"] = r.max_tokens ? *r.max_tokens : kDefaultMaxTokens;
  if (!r.stop.empty()) {
    json::array stop;
    for (const auto& s : r.stop) stop.push_back(json::string(s));
    body["stop_sequences"] = std::move(stop);
  }
  if (r.temperature) body["temperature"] = *r.temperature;
  if (r.top_p) body["top_p"] = *r.top_p;
  if (!r.tools.empty()) {
    json::array tools;
    for (const auto& t : r.tools) {
      boost::system::error_code ec;
      auto schema = json::parse(t.parameters_json, ec);
      if (ec || !schema.is_object()) schema = json::object{};
      // Anthropic requires an object schema; OpenAI allows a tool without parameters.
      if (!schema.as_object().contains("type")) schema.as_object()["type"] = "object";
      json::object tool{{"name", t.name}, {"input_schema", std::move(schema)}};
      if (!t.description.empty()) tool["description"] = t.description;
      tools.push_back(std::move(tool));
    }
    body["tools"] = std::move(tools);
  }
  if (r.tool_choice || r.parallel_tool_calls.value_or(true) == false) {
    json::object choice{{"type", "auto"}};
    if (r.tool_choice) {
      switch (r.tool_choice->mode) {
        case core::ToolChoice::Mode::Auto: break;
        case core::ToolChoice::Mode::None: choice["type"] = "none"; break;
        case core::ToolChoice::Mode::Required: choice["type"] = "any"; break;
        case core::ToolChoice::Mode::Named:
          choice["type"] = "tool";
          choice["name"] = r.tool_choice->name;
          break;
      }
    }
    if (r.parallel_tool_calls == false) choice["disable_parallel_tool_use"] = true;
    // The API refuses a tool_choice without tools.
    if (!r.tools.empty()) body["tool_choice"] = std::move(choice);
    else out.dropped.emplace_back(std::string_view("tool_choice (no tools)"));
  }
  if (!r.user.empty()) body["metadata"] = json::object{{"user_id", r.user}};
  if (r.stream) body["stream"] = true;
  if (r.seed) out.dropped.push_back("seed");
  for (const auto& [name, raw] : r.extra_fields) out.dropped.push_back(name);
  out.body = json::serialize(body);
  return out;
}

}  // namespace katara::providers::anthropic
