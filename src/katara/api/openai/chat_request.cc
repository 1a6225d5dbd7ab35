#include "katara/api/openai/chat_request.h"

#include <simdjson.h>

#include "katara/core/json_text.h"

namespace katara::api {

namespace sj = simdjson;

namespace {

std::string_view typeName(sj::ondemand::json_type t) {
  switch (t) {
    case sj::ondemand::json_type::array: return "an array";
    case sj::ondemand::json_type::object: return "an object";
    case sj::ondemand::json_type::number: return "a number";
    case sj::ondemand::json_type::string: return "a string";
    case sj::ondemand::json_type::boolean: return "a boolean";
    case sj::ondemand::json_type::null: return "null";
  }
  return "a value";
}

bool knownRole(std::string_view role) {
  return role == "system" || role == "developer" || role == "user" || role == "assistant" ||
         role == "tool" || role == "function";
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// Katara's `models`: an array of alias strings.
std::optional<OpenAiError> readModels(sj::ondemand::value value, std::vector<std::string>& out) {
  sj::ondemand::json_type type;
  if (value.type().get(type)) return invalidJson();
  if (type != sj::ondemand::json_type::array) return invalidType("models", "an array of strings", typeName(type));
  sj::ondemand::array arr;
  if (value.get_array().get(arr)) return invalidJson();
  std::size_t i = 0;
  for (auto element : arr) {
    std::string_view alias;
    if (element.get_string().get(alias)) return invalidType("models[" + std::to_string(i) + "]", "a string", "another type");
    out.emplace_back(alias);
    ++i;
  }
  return std::nullopt;
}

// Returns an error for the first invalid message, or nullopt.
std::optional<OpenAiError> checkMessages(sj::ondemand::value messages) {
  sj::ondemand::json_type type;
  if (messages.type().get(type)) return invalidJson();
  if (type != sj::ondemand::json_type::array) {
    return invalidType("messages", "an array of objects", typeName(type));
  }
  sj::ondemand::array arr;
  if (messages.get_array().get(arr)) return invalidJson();
  std::size_t i = 0;
  for (auto element : arr) {
    std::string base = "messages[" + std::to_string(i) + "]";
    sj::ondemand::value msg;
    if (element.get(msg)) return invalidJson();
    if (msg.type().get(type)) return invalidJson();
    if (type != sj::ondemand::json_type::object) return invalidType(base, "an object", typeName(type));
    sj::ondemand::object obj;
    if (msg.get_object().get(obj)) return invalidJson();
    bool has_role = false;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return invalidJson();
      if (key != "role") continue;  // other fields are skipped (ondemand checks their structure)
      std::string_view role;
      if (field.value().get_string().get(role)) return invalidType(base + ".role", "a string", "another type");
      if (!knownRole(role)) {
        return invalidRole(base + ".role", role);
      }
      has_role = true;
    }
    if (!has_role) {
      return missingParameter(base + ".role");
    }
    ++i;
  }
  if (i == 0) {
    return emptyMessages();
  }
  return std::nullopt;
}

}  // namespace

std::variant<ChatRequestInfo, OpenAiError> inspectChatRequest(std::string& body) {
  const std::size_t length = body.size();
  body.reserve(length + sj::SIMDJSON_PADDING);
  thread_local sj::ondemand::parser parser;
  sj::ondemand::document doc;
  if (parser.iterate(body.data(), length, body.capacity()).get(doc)) return invalidJson();
  sj::ondemand::object root;
  if (doc.get_object().get(root)) return invalidJson();

  ChatRequestInfo info;
  bool has_model = false, has_messages = false;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return invalidJson();
    sj::ondemand::value value;
    if (field.value().get(value)) return invalidJson();
    if (key == "model") {
      sj::ondemand::json_type type;
      if (value.type().get(type)) return invalidJson();
      if (type != sj::ondemand::json_type::string) return invalidType("model", "a string", typeName(type));
      std::string_view raw = trimRight(value.raw_json_token());
      std::string_view model;
      if (value.get_string().get(model)) return invalidJson();
      info.model = std::string(model);
      info.model_begin = static_cast<std::size_t>(raw.data() - body.data());
      info.model_end = info.model_begin + raw.size();
      has_model = true;
    } else if (key == "messages") {
      if (auto err = checkMessages(value)) return *err;
      has_messages = true;
    } else if (key == "stream") {
      sj::ondemand::json_type type;
      if (value.type().get(type)) return invalidJson();
      if (type == sj::ondemand::json_type::null) continue;
      if (type != sj::ondemand::json_type::boolean) return invalidType("stream", "a boolean", typeName(type));
      if (value.get_bool().get(info.stream)) return invalidJson();
    } else if (key == "models") {
      if (auto err = readModels(value, info.models)) return *err;
      info.has_models = true;
    } else if (key == "max_completion_tokens" || key == "max_tokens") {
      // For routing's cost estimate only: the parameter's own checks are the provider's.
      sj::ondemand::json_type type;
      if (value.type().get(type)) return invalidJson();
      std::int64_t n = 0;
      if (type == sj::ondemand::json_type::number && !value.get_int64().get(n) && n > 0 &&
          (key == "max_completion_tokens" || !info.max_tokens)) {
        info.max_tokens = n;
      }
    }
  }
  // simdjson 3.0 has no document::at_end(): trailing bytes after the object are checked here.
  std::string_view tail(body);
  while (!tail.empty() && (tail.back() == ' ' || tail.back() == '\n' || tail.back() == '\r' || tail.back() == '\t'))
    tail.remove_suffix(1);
  if (tail.empty() || tail.back() != '}') return invalidJson();
  if (!has_model || info.model.empty()) {
    return missingModel();
  }
  if (!has_messages) {
    return missingParameter("messages");
  }
  return info;
}

std::string withModel(const std::string& body, const ChatRequestInfo& info, std::string_view model) {
  if (info.has_models) return core::withoutModels(body, model);
  return core::replaceWithJsonString(body, info.model_begin, info.model_end, model);
}

}  // namespace katara::api
