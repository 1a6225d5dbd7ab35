#pragma once
// Base64 (RFC 4648, padded) and the packed little-endian float32 vectors OpenAI's
// `encoding_format: "base64"` embeddings are, through OpenSSL's codec.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace katara::core {

std::string base64Encode(std::string_view bytes);
// nullopt when `text` is not padded base64.
std::optional<std::string> base64Decode(std::string_view text);

std::string floatsToBase64(const std::vector<float>& values);
// nullopt when `text` is not base64 of a whole number of float32 values.
std::optional<std::vector<float>> floatsFromBase64(std::string_view text);

}  // namespace katara::core
