#pragma once
#include <string>
#include <string_view>

namespace katara::core {

// Appends `text` as a JSON string literal (with quotes) to `out`.
void appendJsonString(std::string& out, std::string_view text);
std::string jsonString(std::string_view text);

}  // namespace katara::core
