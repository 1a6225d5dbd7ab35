#include "katara/api/anthropic/messages_parse.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <simdjson.h>

#include "katara/api/anthropic/anthropic_error.h"
#include "katara/core/json_access.h"

namespace katara::api::anthropic {

namespace json = boost::json;
using core::ApiError;

namespace {

std::string_view typeName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::object: return "a valid dictionary";
    case json::kind::array: return "a valid list";
    case json::kind::string: return "a valid string";
    case json::kind::bool_: return "a valid boolean";
    case json::kind::null: return "not null";
    default: return "a valid number";
  }
}

// The span of the top-level "model" string literal: found with simdjson, whose raw tokens
// point into the body, so that a pass-through changes nothing else byte for byte.
bool locateModel(std::string& body, std::size_t& begin, std::size_t& end) {
  const std::size_t length = body.size();
  body.reserve(length + simdjson::SIMDJSON_PADDING);
  thread_local simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  if (parser.iterate(body.data(), length, body.capacity()).get(doc)) return false;
  simdjson::ondemand::object root;
  if (doc.get_object().get(root)) return false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (key != "model") continue;
    simdjson::ondemand::value value;
    if (field.value().get(value)) return false;
    std::string_view raw = value.raw_json_token();
    while (!raw.empty() && raw.back() != '"') raw.remove_suffix(1);
    begin = static_cast<std::size_t>(raw.data() - body.data());
    end = begin + raw.size();
    return !raw.empty();
  }
  return false;
}

std::optional<ApiError> checkMessage(const json::value& m, std::size_t i) {
  const std::string path = "messages." + std::to_string(i);
  if (!m.is_object()) return invalidRequest(path + ": Input should be a valid dictionary");
  const auto& o = m.as_object();
  const auto* role = o.if_contains("role");
  if (!role) return invalidRequest(path + ".role: Field required");
  if (!role->is_string() || (role->as_string() != "user" && role->as_string() != "assistant" && role->as_string() != "system")) {
    return invalidRequest(path + ".role: Input should be 'user', 'assistant' or 'system'");
  }
  const auto* content = o.if_contains("content");
  if (!content) return invalidRequest(path + ".content: Field required");
  if (!content->is_string() && !content->is_array()) return invalidRequest(path + ".content: Input should be a valid list");
  if (content->is_array()) {
    for (std::size_t j = 0; j < content->as_array().size(); ++j) {
      const auto& block = content->as_array()[j];
      if (!block.is_object() || !block.as_object().if_contains("type") || !block.as_object().at("type").is_string()) {
        return invalidRequest(path + ".content." + std::to_string(j) + ".type: Field required");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

namespace {

std::variant<MessagesRequestInfo, ApiError> inspect(std::string& body, bool require_max_tokens) {
  boost::system::error_code ec;
  MessagesRequestInfo info;
  info.json = json::parse(body, ec);
  if (ec || !info.json.is_object()) return invalidRequest("The request body is not valid JSON: " + (ec ? ec.message() : "expected an object"));
  const auto& o = info.json.as_object();
  const auto* model = o.if_contains("model");
  if (!model) return invalidRequest("model: Field required");
  if (!model->is_string()) return invalidRequest("model: Input should be a valid string");
  if (model->as_string().empty()) return invalidRequest("model: String should have at least 1 character");
  info.model = std::string(model->as_string());
  const auto* max_tokens = o.if_contains("max_tokens");
  if (!max_tokens && require_max_tokens) return invalidRequest("max_tokens: Field required");
  if (max_tokens && (!max_tokens->is_int64() || max_tokens->as_int64() < 1)) {
    return invalidRequest("max_tokens: Input should be " + std::string(max_tokens->is_int64() ? "greater than or equal to 1" : "a valid integer"));
  }
  const auto* messages = o.if_contains("messages");
  if (!messages) return invalidRequest("messages: Field required");
  if (!messages->is_array()) return invalidRequest("messages: Input should be " + std::string(typeName(json::array{})));
  if (messages->as_array().empty()) return invalidRequest("messages: at least one message is required");
  for (std::size_t i = 0; i < messages->as_array().size(); ++i) {
    if (auto err = checkMessage(messages->as_array()[i], i)) return *err;
  }
  if (const auto* stream = o.if_contains("stream"); stream && !stream->is_null()) {
    if (!stream->is_bool()) return invalidRequest("stream: Input should be a valid boolean");
    info.stream = stream->as_bool();
  }
  if (const auto* m = o.if_contains("max_tokens"); m && m->is_int64() && m->as_int64() > 0) info.max_tokens = m->as_int64();
  if (const auto* models = o.if_contains("models")) {
    if (!models->is_array()) return invalidRequest("models: Input should be a valid list of model names");
    for (const auto& m : models->as_array()) {
      if (!m.is_string()) return invalidRequest("models: Input should be a valid list of model names");
      info.models.emplace_back(m.as_string());
    }
    info.has_models = true;
  }
  if (!locateModel(body, info.model_begin, info.model_end)) return invalidRequest("The request body is not valid JSON.");
  return info;
}

}  // namespace

std::variant<MessagesRequestInfo, ApiError> inspectMessagesRequest(std::string& body) { return inspect(body, true); }

std::variant<MessagesRequestInfo, ApiError> inspectCountTokensRequest(std::string& body) { return inspect(body, false); }

namespace {

// Accumulates the canonical messages of one Anthropic turn.
struct TurnParser {
  core::ChatRequest& out;
  std::string path;

  std::optional<ApiError> image(const json::object& b, core::ContentPart& part) {
    const auto* source = core::objectAt(b, "source");
    if (!source) return invalidRequest(path + ".source: Field required");
    const auto type = core::strOr(*source, "type");
    part.kind = core::ContentPart::Kind::Image;
    if (type == "base64") {
      part.image_url = "data:" + core::strOr(*source, "media_type") + ";base64," + core::strOr(*source, "data");
    } else if (type == "url") {
      part.image_url = core::strOr(*source, "url");
    } else {
      return invalidRequest(path + ".source.type: image source '" + type + "' cannot be translated to another format");
    }
    return std::nullopt;
  }

  std::optional<ApiError> toolResult(const json::object& b) {
    core::Message tool;
    tool.role = core::Role::Tool;
    tool.tool_call_id = core::strOr(b, "tool_use_id");
    std::string text;
    if (const auto* c = b.if_contains("content")) {
      if (c->is_string()) {
        text = c->as_string();
      } else if (c->is_array()) {
        for (const auto& part : c->as_array()) {
          if (!part.is_object() || core::strOr(part.as_object(), "type") != "text") {
            return invalidRequest(path + ".content: only text tool results can be translated to another format");
          }
          if (!text.empty()) text += "\n";
          text += core::strOr(part.as_object(), "text");
        }
      }
    }
    if (const auto* e = b.if_contains("is_error"); e && e->is_bool() && e->as_bool()) text = "Error: " + text;
    tool.content.push_back(core::ContentPart::makeText(std::move(text)));
    out.messages.push_back(std::move(tool));
    return std::nullopt;
  }

  std::optional<ApiError> turn(const json::object& m, std::size_t index) {
    const std::string base = "messages." + std::to_string(index);
    const auto role_text = core::strOr(m, "role");
    core::Message msg;
    msg.role = role_text == "assistant" ? core::Role::Assistant : role_text == "system" ? core::Role::System : core::Role::User;
    const auto& content = m.at("content");
    if (content.is_string()) {
      msg.content.push_back(core::ContentPart::makeText(std::string(content.as_string())));
      out.messages.push_back(std::move(msg));
      return std::nullopt;
    }
    const auto& blocks = content.as_array();
    for (std::size_t j = 0; j < blocks.size(); ++j) {
      path = base + ".content." + std::to_string(j);
      const auto& b = blocks[j].as_object();
      const auto type = core::strOr(b, "type");
      if (type == "text") {
        msg.content.push_back(core::ContentPart::makeText(core::strOr(b, "text")));
      } else if (type == "image") {
        core::ContentPart part;
        if (auto err = image(b, part)) return err;
        msg.content.push_back(std::move(part));
      } else if (type == "tool_use" && msg.role == core::Role::Assistant) {
        const auto* input = b.if_contains("input");
        msg.tool_calls.push_back({core::strOr(b, "id"), core::strOr(b, "name"), input ? json::serialize(*input) : "{}"});
      } else if (type == "tool_result" && msg.role == core::Role::User) {
        if (auto err = toolResult(b)) return err;
      } else if (type == "thinking" || type == "redacted_thinking") {
        out.extra_fields.push_back({path + " (" + type + ")", json::serialize(b)});
      } else {
        return invalidRequest(path + ".type: '" + type + "' blocks cannot be translated to another format");
      }
    }
    if (!msg.content.empty() || !msg.tool_calls.empty()) out.messages.push_back(std::move(msg));
    return std::nullopt;
  }
};

std::optional<ApiError> readTools(const json::array& tools, core::ChatRequest& out) {
  for (std::size_t i = 0; i < tools.size(); ++i) {
    const std::string path = "tools." + std::to_string(i);
    if (!tools[i].is_object()) return invalidRequest(path + ": Input should be a valid dictionary");
    const auto& t = tools[i].as_object();
    const auto type = core::strOr(t, "type", "custom");
    if (type != "custom") return invalidRequest(path + ": server tool '" + type + "' cannot be translated to another format");
    core::Tool tool;
    tool.name = core::strOr(t, "name");
    if (tool.name.empty()) return invalidRequest(path + ".name: Field required");
    tool.description = core::strOr(t, "description");
    const auto* schema = t.if_contains("input_schema");
    tool.parameters_json = schema ? json::serialize(*schema) : "{}";
    out.tools.push_back(std::move(tool));
  }
  return std::nullopt;
}

}  // namespace

std::variant<core::ChatRequest, ApiError> parseMessagesRequest(const json::value& body) {
  const auto& o = body.as_object();
  core::ChatRequest r;
  r.origin = core::ApiFormat::AnthropicMessages;
  r.model = core::strOr(o, "model");
  if (const auto* system = o.if_contains("system")) {
    core::Message m;
    m.role = core::Role::System;
    if (system->is_string()) {
      m.content.push_back(core::ContentPart::makeText(std::string(system->as_string())));
    } else if (system->is_array()) {
      for (const auto& b : system->as_array()) {
        if (!b.is_object() || core::strOr(b.as_object(), "type") != "text") return invalidRequest("system: only text blocks are allowed");
        m.content.push_back(core::ContentPart::makeText(core::strOr(b.as_object(), "text")));
      }
    } else {
      return invalidRequest("system: Input should be a valid string");
    }
    if (!m.content.empty()) r.messages.push_back(std::move(m));
  }
  TurnParser turns{r, {}};
  const auto& messages = o.at("messages").as_array();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (auto err = turns.turn(messages[i].as_object(), i)) return *err;
  }
  for (const auto& [key, value] : o) {
    if (key == "model" || key == "models" || key == "messages" || key == "system") continue;
    if (key == "max_tokens" && value.is_int64()) {
      r.max_tokens = value.as_int64();
    } else if (key == "stream") {
      r.stream = value.is_bool() && value.as_bool();
    } else if (key == "temperature" && value.is_number()) {
      r.temperature = value.to_number<double>();
    } else if (key == "top_p" && value.is_number()) {
      r.top_p = value.to_number<double>();
    } else if (key == "stop_sequences" && value.is_array()) {
      for (const auto& s : value.as_array()) {
        if (!s.is_string()) return invalidRequest("stop_sequences: Input should be a valid list of strings");
        r.stop.push_back(std::string(s.as_string()));
      }
    } else if (key == "tools" && value.is_array()) {
      if (auto err = readTools(value.as_array(), r)) return *err;
    } else if (key == "tool_choice" && value.is_object()) {
      const auto& c = value.as_object();
      const auto type = core::strOr(c, "type");
      core::ToolChoice choice;
      if (type == "auto") choice.mode = core::ToolChoice::Mode::Auto;
      else if (type == "any") choice.mode = core::ToolChoice::Mode::Required;
      else if (type == "none") choice.mode = core::ToolChoice::Mode::None;
      else if (type == "tool") {
        choice.mode = core::ToolChoice::Mode::Named;
        choice.name = core::strOr(c, "name");
      } else {
        return invalidRequest("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'");
      }
      r.tool_choice = choice;
      if (const auto* d = c.if_contains("disable_parallel_tool_use"); d && d->is_bool() && d->as_bool()) r.parallel_tool_calls = false;
    } else if (key == "metadata" && value.is_object()) {
      r.user = core::strOr(value.as_object(), "user_id");
    } else {
      r.extra_fields.push_back({std::string(key), json::serialize(value)});
    }
  }
  return r;
}

}  // namespace katara::api::anthropic
