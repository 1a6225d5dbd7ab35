#include "katara/providers/gemini/generate_encode.h"

#include <boost/json.hpp>

#include "katara/core/json_access.h"
#include "katara/core/tool_call_name.h"
#include "katara/providers/gemini/thought_signatures.h"

namespace katara::providers::gemini {

namespace json = boost::json;

namespace {

std::string mimeTypeOfUrl(std::string_view url) {
  auto end = url.find_first_of("?#");
  auto path = url.substr(0, end);
  auto dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : std::string(path.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "png") return "image/png";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "heic") return "image/heic";
  return "image/jpeg";
}

json::object imagePart(const std::string& url) {
  // data:<media type>;base64,<data>
  if (url.rfind("data:", 0) == 0) {
    auto semi = url.find(';');
    auto comma = url.find(',');
    if (semi != std::string::npos && comma != std::string::npos && semi < comma) {
      return {{"inlineData", {{"mimeType", url.substr(5, semi - 5)}, {"data", url.substr(comma + 1)}}}};
    }
  }
  return {{"fileData", {{"mimeType", mimeTypeOfUrl(url)}, {"fileUri", url}}}};
}

std::string textOf(const core::Message& m) {
  std::string out;
  for (const auto& p : m.content) {
    if (p.kind == core::ContentPart::Kind::Text) out += p.text;
  }
  return out;
}

json::array partsOf(const std::vector<core::Message>& messages, std::size_t i, std::vector<std::string>& dropped) {
  const auto& m = messages[i];
  json::array parts;
  if (m.role == core::Role::Tool) {
    std::string text = textOf(m);
    boost::system::error_code ec;
    auto response = json::parse(text, ec);
    if (ec || !response.is_object()) response = json::object{{"result", text}};
    std::string name = core::toolCallName(messages, i, m.tool_call_id);
    if (name.empty()) {
      name = m.name.empty() ? m.tool_call_id : m.name;
      dropped.push_back("tool result " + m.tool_call_id + " (no earlier call with that id; named '" + name + "')");
    }
    parts.push_back(json::object{{"functionResponse", {{"name", name}, {"response", std::move(response)}}}});
    return parts;
  }
  for (const auto& p : m.content) {
    if (p.kind == core::ContentPart::Kind::Text) {
      if (!p.text.empty()) parts.push_back(json::object{{"text", p.text}});
    } else {
      parts.push_back(imagePart(p.image_url));
    }
  }
  for (const auto& c : m.tool_calls) {
    boost::system::error_code ec;
    auto args = json::parse(c.arguments_json, ec);
    if (ec || !args.is_object()) {
      dropped.push_back("tool call " + c.id + " arguments (not a JSON object)");
      args = json::object{};
    }
    json::object part{{"functionCall", {{"name", c.name}, {"args", std::move(args)}}}};
    if (auto signature = thoughtSignatureOf(c.id)) part["thoughtSignature"] = *signature;
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace

core::EncodedBody encodeGenerateRequest(const core::ChatRequest& r) {
  core::EncodedBody out;
  json::object body;

  std::string system;
  json::array contents;
  for (std::size_t i = 0; i < r.messages.size(); ++i) {
    const auto& m = r.messages[i];
    if (m.role == core::Role::System || m.role == core::Role::Developer) {
      auto text = textOf(m);
      if (text.empty()) continue;
      if (!system.empty()) system += "\n\n";
      system += text;
      continue;
    }
    auto parts = partsOf(r.messages, i, out.dropped);
    if (parts.empty()) continue;  // the API rejects a turn without parts
    const char* role = m.role == core::Role::Assistant ? "model" : "user";
    if (!contents.empty() && contents.back().as_object().at("role").as_string() == role) {
      auto& prev = contents.back().as_object()["parts"].as_array();
      for (auto& p : parts) prev.push_back(std::move(p));
    } else {
      contents.push_back(json::object{{"role", role}, {"parts", std::move(parts)}});
    }
  }
  body["contents"] = std::move(contents);
  if (!system.empty()) body["systemInstruction"] = json::object{{"parts", json::array{json::object{{"text", system}}}}};

  json::object config;
  if (r.max_tokens) config["maxOutputTokens"] = *r.max_tokens;
  if (r.temperature) config["temperature"] = *r.temperature;
  if (r.top_p) config["topP"] = *r.top_p;
  if (r.seed) config["seed"] = *r.seed;
  if (!r.stop.empty()) {
    json::array stop;
    for (const auto& s : r.stop) stop.push_back(json::string(s));
    config["stopSequences"] = std::move(stop);
  }
  if (r.response_format && r.response_format->kind != core::ResponseFormat::Kind::Text) {
    config["responseMimeType"] = "application/json";
    if (r.response_format->kind == core::ResponseFormat::Kind::JsonSchema) {
      config["responseJsonSchema"] = core::parsedOr(r.response_format->schema_json, json::object{});
    }
  }
  if (!config.empty()) body["generationConfig"] = std::move(config);

  if (!r.tools.empty()) {
    json::array declarations;
    for (const auto& t : r.tools) {
      json::object fn{{"name", t.name}};
      if (!t.description.empty()) fn["description"] = t.description;
      auto schema = core::parsedOr(t.parameters_json, json::object{});
      // An empty schema means "no parameters", which Gemini expresses by leaving it out.
      if (schema.is_object() && !schema.as_object().empty()) fn["parametersJsonSchema"] = std::move(schema);
      declarations.push_back(std::move(fn));
    }
    body["tools"] = json::array{json::object{{"functionDeclarations", std::move(declarations)}}};
  }
  if (r.tool_choice) {
    json::object calling{{"mode", "AUTO"}};
    switch (r.tool_choice->mode) {
      case core::ToolChoice::Mode::Auto: break;
      case core::ToolChoice::Mode::None: calling["mode"] = "NONE"; break;
      case core::ToolChoice::Mode::Required: calling["mode"] = "ANY"; break;
      case core::ToolChoice::Mode::Named:
        calling["mode"] = "ANY";
        calling["allowedFunctionNames"] = json::array{json::string(r.tool_choice->name)};
        break;
    }
    if (!r.tools.empty()) body["toolConfig"] = json::object{{"functionCallingConfig", std::move(calling)}};
    else out.dropped.emplace_back(std::string_view("tool_choice (no tools)"));
  }
  if (r.parallel_tool_calls == false) out.dropped.emplace_back(std::string_view("parallel_tool_calls"));
  if (!r.user.empty()) out.dropped.emplace_back(std::string_view("user"));
  for (const auto& [name, raw] : r.extra_fields) out.dropped.push_back(name);
  out.body = json::serialize(body);
  return out;
}

}  // namespace katara::providers::gemini
