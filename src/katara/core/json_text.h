#pragma once
#include <string>
#include <string_view>

namespace katara::core {

// Appends `text` as a JSON string literal (with quotes) to `out`.
void appendJsonString(std::string& out, std::string_view text);
std::string jsonString(std::string_view text);

// `body` with the JSON literal at [begin, end) replaced by the string literal of `value`; the
// rest is copied byte for byte (a pass-through request aimed at another model).
std::string replaceWithJsonString(const std::string& body, std::size_t begin, std::size_t end, std::string_view value);

// A request body (a JSON object) without Katara's own `models` member and with `model` set to
// `model`: re-serialized, since a member cannot be cut out of the text byte for byte.
std::string withoutModels(const std::string& body, std::string_view model);

}  // namespace katara::core
