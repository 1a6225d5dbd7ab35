#include "katara/api/openai/openai_chat_parse.h"

#include <boost/json.hpp>

#include "katara/api/openai/openai_error.h"
#include "katara/core/json_access.h"

namespace katara::api {

namespace json = boost::json;
using core::ApiError;

namespace {

// Parsing stops at the first error: the client gets the one OpenAI would have named.
struct Parser {
  std::optional<ApiError> error;

  bool fail(ApiError e) {
    if (!error) error = std::move(e);
    return false;
  }
  const json::string* str(const json::value& v, const std::string& param) {
    if (!v.is_string()) {
      fail(invalidType(param, "a string", core::jsonTypeName(v)));
      return nullptr;
    }
    return &v.as_string();
  }
  std::optional<double> number(const json::value& v, const std::string& param) {
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    fail(invalidType(param, "a number", core::jsonTypeName(v)));
    return std::nullopt;
  }
  std::optional<std::int64_t> integer(const json::value& v, const std::string& param) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.as_uint64());
    fail(invalidType(param, "an integer", core::jsonTypeName(v)));
    return std::nullopt;
  }

  bool content(const json::value& v, const std::string& param, std::vector<core::ContentPart>& out) {
    if (v.is_null()) return true;
    if (v.is_string()) {
      out.push_back(core::ContentPart::makeText(std::string(v.as_string())));
      return true;
    }
    if (!v.is_array()) return fail(invalidType(param, "a string or an array of content parts", core::jsonTypeName(v)));
    std::size_t j = 0;
    for (const auto& part : v.as_array()) {
      std::string p = param + "[" + std::to_string(j++) + "]";
      if (!part.is_object()) return fail(invalidType(p, "an object", core::jsonTypeName(part)));
      const auto& o = part.as_object();
      const auto* type = o.if_contains("type");
      if (!type) return fail(missingParameter(p + ".type"));
      const auto* t = str(*type, p + ".type");
      if (!t) return false;
      if (*t == "text") {
        const auto* text = o.if_contains("text");
        if (!text) return fail(missingParameter(p + ".text"));
        const auto* s = str(*text, p + ".text");
        if (!s) return false;
        out.push_back(core::ContentPart::makeText(std::string(*s)));
      } else if (*t == "image_url") {
        const auto* image = o.if_contains("image_url");
        if (!image || !image->is_object()) return fail(missingParameter(p + ".image_url"));
        const auto* url = image->as_object().if_contains("url");
        if (!url) return fail(missingParameter(p + ".image_url.url"));
        const auto* u = str(*url, p + ".image_url.url");
        if (!u) return false;
        core::ContentPart cp;
        cp.kind = core::ContentPart::Kind::Image;
        cp.image_url = std::string(*u);
        if (const auto* d = image->as_object().if_contains("detail"); d && d->is_string()) cp.detail = std::string(d->as_string());
        out.push_back(std::move(cp));
      } else {
        return fail(unsupportedValue(p + ".type", "Content parts of type '" + std::string(*t) +
                                                      "' cannot be routed across provider formats; "
                                                      "use 'text' or 'image_url'."));
      }
    }
    return true;
  }

  bool toolCalls(const json::value& v, const std::string& param, std::vector<core::ToolCall>& out) {
    if (!v.is_array()) return fail(invalidType(param, "an array", core::jsonTypeName(v)));
    std::size_t j = 0;
    for (const auto& call : v.as_array()) {
      std::string p = param + "[" + std::to_string(j++) + "]";
      if (!call.is_object()) return fail(invalidType(p, "an object", core::jsonTypeName(call)));
      const auto& o = call.as_object();
      core::ToolCall tc;
      if (const auto* id = o.if_contains("id")) {
        const auto* s = str(*id, p + ".id");
        if (!s) return false;
        tc.id = std::string(*s);
      }
      const auto* fn = o.if_contains("function");
      if (!fn || !fn->is_object()) return fail(missingParameter(p + ".function"));
      const auto* name = fn->as_object().if_contains("name");
      if (!name) return fail(missingParameter(p + ".function.name"));
      const auto* n = str(*name, p + ".function.name");
      if (!n) return false;
      tc.name = std::string(*n);
      tc.arguments_json = "{}";
      if (const auto* args = fn->as_object().if_contains("arguments")) {
        const auto* a = str(*args, p + ".function.arguments");
        if (!a) return false;
        tc.arguments_json = std::string(*a);
      }
      out.push_back(std::move(tc));
    }
    return true;
  }

  bool message(const json::value& v, std::size_t i, std::vector<core::Message>& out) {
    std::string p = "messages[" + std::to_string(i) + "]";
    if (!v.is_object()) return fail(invalidType(p, "an object", core::jsonTypeName(v)));
    const auto& o = v.as_object();
    const auto* role = o.if_contains("role");
    if (!role) return fail(missingParameter(p + ".role"));
    const auto* r = str(*role, p + ".role");
    if (!r) return false;
    core::Message m;
    if (*r == "system") m.role = core::Role::System;
    else if (*r == "developer") m.role = core::Role::Developer;
    else if (*r == "user") m.role = core::Role::User;
    else if (*r == "assistant") m.role = core::Role::Assistant;
    else if (*r == "tool") m.role = core::Role::Tool;
    else if (*r == "function")
      return fail(unsupportedValue(p + ".role", "Messages with role 'function' (deprecated) cannot be routed across "
                                                "provider formats; use 'tool' messages."));
    else
      return fail(invalidRole(p + ".role", *r));
    if (const auto* c = o.if_contains("content"); c && !content(*c, p + ".content", m.content)) return false;
    if (const auto* name = o.if_contains("name")) {
      const auto* s = str(*name, p + ".name");
      if (!s) return false;
      m.name = std::string(*s);
    }
    if (const auto* calls = o.if_contains("tool_calls"); calls && m.role == core::Role::Assistant) {
      if (!toolCalls(*calls, p + ".tool_calls", m.tool_calls)) return false;
    }
    if (m.role == core::Role::Tool) {
      const auto* id = o.if_contains("tool_call_id");
      if (!id) return fail(missingParameter(p + ".tool_call_id"));
      const auto* s = str(*id, p + ".tool_call_id");
      if (!s) return false;
      m.tool_call_id = std::string(*s);
    }
    out.push_back(std::move(m));
    return true;
  }

  bool tools(const json::value& v, std::vector<core::Tool>& out) {
    if (!v.is_array()) return fail(invalidType("tools", "an array", core::jsonTypeName(v)));
    std::size_t j = 0;
    for (const auto& tool : v.as_array()) {
      std::string p = "tools[" + std::to_string(j++) + "]";
      if (!tool.is_object()) return fail(invalidType(p, "an object", core::jsonTypeName(tool)));
      const auto& o = tool.as_object();
      const auto* type = o.if_contains("type");
      if (type && !(type->is_string() && type->as_string() == "function"))
        return fail(unsupportedValue(p + ".type", "Only tools of type 'function' can be routed across provider formats."));
      const auto* fn = o.if_contains("function");
      if (!fn || !fn->is_object()) return fail(missingParameter(p + ".function"));
      const auto& f = fn->as_object();
      const auto* name = f.if_contains("name");
      if (!name) return fail(missingParameter(p + ".function.name"));
      const auto* n = str(*name, p + ".function.name");
      if (!n) return false;
      core::Tool t;
      t.name = std::string(*n);
      if (const auto* d = f.if_contains("description"); d && d->is_string()) t.description = std::string(d->as_string());
      t.parameters_json = "{}";
      if (const auto* params = f.if_contains("parameters")) {
        if (!params->is_object()) return fail(invalidType(p + ".function.parameters", "an object", core::jsonTypeName(*params)));
        t.parameters_json = json::serialize(*params);
      }
      out.push_back(std::move(t));
    }
    return true;
  }

  bool toolChoice(const json::value& v, core::ToolChoice& out) {
    if (v.is_string()) {
      const auto& s = v.as_string();
      if (s == "auto") out.mode = core::ToolChoice::Mode::Auto;
      else if (s == "none") out.mode = core::ToolChoice::Mode::None;
      else if (s == "required") out.mode = core::ToolChoice::Mode::Required;
      else return fail(ApiError{400, "Invalid value: '" + std::string(s) + "'. Supported values are: 'none', 'auto', and 'required'.",
                                "invalid_request_error", "tool_choice", "invalid_value"});
      return true;
    }
    if (!v.is_object()) return fail(invalidType("tool_choice", "a string or an object", core::jsonTypeName(v)));
    const auto* fn = v.as_object().if_contains("function");
    const auto* name = fn && fn->is_object() ? fn->as_object().if_contains("name") : nullptr;
    if (!name) return fail(missingParameter("tool_choice.function.name"));
    const auto* n = str(*name, "tool_choice.function.name");
    if (!n) return false;
    out.mode = core::ToolChoice::Mode::Named;
    out.name = std::string(*n);
    return true;
  }

  bool responseFormat(const json::value& v, core::ResponseFormat& out) {
    if (!v.is_object()) return fail(invalidType("response_format", "an object", core::jsonTypeName(v)));
    const auto& o = v.as_object();
    const auto* type = o.if_contains("type");
    if (!type) return fail(missingParameter("response_format.type"));
    const auto* t = str(*type, "response_format.type");
    if (!t) return false;
    if (*t == "text") out.kind = core::ResponseFormat::Kind::Text;
    else if (*t == "json_object") out.kind = core::ResponseFormat::Kind::JsonObject;
    else if (*t == "json_schema") {
      out.kind = core::ResponseFormat::Kind::JsonSchema;
      const auto* js = o.if_contains("json_schema");
      if (!js || !js->is_object()) return fail(missingParameter("response_format.json_schema"));
      const auto& j = js->as_object();
      if (const auto* n = j.if_contains("name"); n && n->is_string()) out.schema_name = std::string(n->as_string());
      out.schema_json = "{}";
      if (const auto* s = j.if_contains("schema")) out.schema_json = json::serialize(*s);
      if (const auto* st = j.if_contains("strict"); st && st->is_bool()) out.strict = st->as_bool();
    } else {
      return fail(ApiError{400, "Invalid value: '" + std::string(*t) + "'. Supported values are: 'text', 'json_object', and 'json_schema'.",
                           "invalid_request_error", "response_format.type", "invalid_value"});
    }
    return true;
  }
};

}  // namespace

std::variant<core::ChatRequest, ApiError> parseOpenAiChat(std::string_view body) {
  boost::system::error_code ec;
  auto root = json::parse(body, ec);
  if (ec || !root.is_object()) return invalidJson();
  Parser p;
  core::ChatRequest req;
  std::optional<std::int64_t> max_tokens, max_completion_tokens;
  bool has_messages = false;
  for (const auto& [k, v] : root.as_object()) {
    std::string_view key(k.data(), k.size());
    if (key == "models") continue;  // Katara's own: fallback aliases, never sent upstream
    if (key == "model") {
      if (const auto* s = p.str(v, "model")) req.model = std::string(*s);
    } else if (key == "messages") {
      has_messages = true;
      if (!v.is_array()) {
        p.fail(invalidType("messages", "an array of objects", core::jsonTypeName(v)));
      } else {
        std::size_t i = 0;
        for (const auto& m : v.as_array()) {
          if (!p.message(m, i++, req.messages)) break;
        }
      }
    } else if (key == "tools") {
      p.tools(v, req.tools);
    } else if (key == "tool_choice") {
      core::ToolChoice tc;
      if (p.toolChoice(v, tc)) req.tool_choice = tc;
    } else if (key == "parallel_tool_calls") {
      if (!v.is_bool()) p.fail(invalidType("parallel_tool_calls", "a boolean", core::jsonTypeName(v)));
      else req.parallel_tool_calls = v.as_bool();
    } else if (key == "response_format") {
      core::ResponseFormat rf;
      if (p.responseFormat(v, rf)) req.response_format = rf;
    } else if (key == "stop") {
      if (v.is_string()) {
        req.stop.emplace_back(v.as_string());
      } else if (v.is_array()) {
        for (const auto& s : v.as_array()) {
          if (const auto* t = p.str(s, "stop")) req.stop.emplace_back(*t);
        }
      } else if (!v.is_null()) {
        p.fail(invalidType("stop", "a string or an array of strings", core::jsonTypeName(v)));
      }
    } else if (key == "max_tokens") {
      if (!v.is_null()) max_tokens = p.integer(v, "max_tokens");
    } else if (key == "max_completion_tokens") {
      if (!v.is_null()) max_completion_tokens = p.integer(v, "max_completion_tokens");
    } else if (key == "temperature") {
      if (!v.is_null()) req.temperature = p.number(v, "temperature");
    } else if (key == "top_p") {
      if (!v.is_null()) req.top_p = p.number(v, "top_p");
    } else if (key == "seed") {
      if (!v.is_null()) req.seed = p.integer(v, "seed");
    } else if (key == "user") {
      if (const auto* s = p.str(v, "user")) req.user = std::string(*s);
    } else if (key == "stream") {
      if (v.is_bool()) req.stream = v.as_bool();
      else if (!v.is_null()) p.fail(invalidType("stream", "a boolean", core::jsonTypeName(v)));
    } else if (key == "stream_options") {
      if (v.is_object()) {
        if (const auto* iu = v.as_object().if_contains("include_usage"); iu && iu->is_bool()) req.include_usage = iu->as_bool();
      }
    } else {
      req.extra_fields.emplace_back(std::string(key), json::serialize(v));
    }
    if (p.error) return *p.error;
  }
  if (req.model.empty()) return missingModel();
  if (!has_messages) return missingParameter("messages");
  if (req.messages.empty()) return emptyMessages();
  req.max_tokens = max_completion_tokens ? max_completion_tokens : max_tokens;
  return req;
}

}  // namespace katara::api
