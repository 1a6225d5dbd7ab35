#pragma once
// The canonical chat form: every front door parses into it and every adapter builds from it,
// so any client format can reach any provider format. It holds what all formats can express;
// what only some can is kept as raw JSON (`extra_fields`) for adapters of the same family and
// dropped, with a log line, by the others.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "katara/core/api_error.h"
#include "katara/core/api_format.h"

namespace katara::core {

enum class Role { System, Developer, User, Assistant, Tool };

struct ContentPart {
  enum class Kind { Text, Image };
  Kind kind = Kind::Text;
  std::string text;       // Text
  std::string image_url;  // Image: an https URL or a data: URI
  std::string detail;     // Image: "auto" | "low" | "high", empty when unset

  static ContentPart makeText(std::string t) { return {Kind::Text, std::move(t), {}, {}}; }
  bool operator==(const ContentPart&) const = default;
};

struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments_json;  // a JSON object as text (OpenAI's wire form)
  bool operator==(const ToolCall&) const = default;
};

struct Message {
  Role role = Role::User;
  std::vector<ContentPart> content;
  std::vector<ToolCall> tool_calls;  // Assistant only
  std::string tool_call_id;          // Tool only: which call this answers
  std::string name;                  // optional participant name
  bool operator==(const Message&) const = default;
};

struct Tool {
  std::string name;
  std::string description;
  std::string parameters_json;  // JSON Schema as text; "{}" when absent
  bool operator==(const Tool&) const = default;
};

struct ToolChoice {
  enum class Mode { Auto, None, Required, Named };
  Mode mode = Mode::Auto;
  std::string name;  // Named
  bool operator==(const ToolChoice&) const = default;
};

struct ResponseFormat {
  enum class Kind { Text, JsonObject, JsonSchema };
  Kind kind = Kind::Text;
  std::string schema_name;
  std::string schema_json;  // JsonSchema
  bool strict = false;
  bool operator==(const ResponseFormat&) const = default;
};

struct ChatRequest {
  std::string model;
  std::vector<Message> messages;
  std::vector<Tool> tools;
  std::optional<ToolChoice> tool_choice;
  std::optional<bool> parallel_tool_calls;
  std::optional<ResponseFormat> response_format;
  std::vector<std::string> stop;
  std::optional<std::int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> seed;
  std::string user;
  bool stream = false;
  bool include_usage = false;
  // The last message is an assistant prefill: the answer goes on from its text instead of
  // starting a new turn (how a stream broken mid-way is continued on another target).
  bool continues_final_message = false;
  // Fields of the client's format with no canonical meaning, as raw JSON: (name, value).
  // Only an adapter of the `origin` format may write them back; others drop them, listed.
  std::vector<std::pair<std::string, std::string>> extra_fields;
  ApiFormat origin = ApiFormat::OpenAiChat;
  bool operator==(const ChatRequest&) const = default;
};

enum class FinishReason { Stop, Length, ToolCalls, ContentFilter, Error };

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cache_read_tokens = 0;
  std::int64_t cache_write_tokens = 0;
  std::int64_t reasoning_tokens = 0;
  bool operator==(const Usage&) const = default;
};

// One step of a streamed answer, format-neutral.
struct ChatEvent {
  enum class Kind { Start, TextDelta, ToolCallStart, ToolCallDelta, Usage, Finish, Error };
  Kind kind = Kind::TextDelta;
  std::string id;          // Start: the answer's id
  std::string model;       // Start: the model that answers
  std::int64_t created = 0;  // Start: when the answer began (unix seconds), when the format says
  std::string text;        // TextDelta; ToolCallDelta: a fragment of the arguments JSON
  int tool_index = 0;      // ToolCallStart / ToolCallDelta: position among the answer's calls
  std::string tool_id;     // ToolCallStart
  std::string tool_name;   // ToolCallStart
  core::Usage usage;       // Usage (totals so far)
  FinishReason finish = FinishReason::Stop;  // Finish
  ApiError error;          // Error
};

// A complete (non-streamed) answer.
struct ChatResponse {
  std::string id;
  std::string model;
  std::int64_t created = 0;
  std::string text;
  std::vector<ToolCall> tool_calls;
  FinishReason finish = FinishReason::Stop;
  Usage usage;
};

// A request body an adapter built from the canonical form, and what of the request it could
// not carry (field names, for one log line).
struct EncodedBody {
  std::string body;
  std::vector<std::string> dropped;
};

}  // namespace katara::core
