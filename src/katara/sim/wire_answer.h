#pragma once
// What a simulated model answers, format-neutral (Generation), and the bytes each API format
// frames it in (WireAnswer). Written from WIRE.md independently of the gateway's encoders, so
// the gateway's translation is tested against what providers send, not against itself.
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace katara::sim {

enum class SimFormat { OpenAi, Anthropic, Gemini, Ollama };

struct SimToolCall {
  std::string id;
  std::string name;
  std::string arguments;  // JSON object text
};

struct Generation {
  std::string id;
  std::int64_t created = 0;
  std::string model;
  int prompt_tokens = 0;
  std::vector<std::string> tokens;  // the answer's text, token by token
  std::optional<SimToolCall> tool_call;
  double ttft_ms = 0;
  double tps = 50;
};

// The request fields the simulator reacts to, read from any format's body (Gemini's model and
// streaming are in its URL: the caller sets them).
struct SimRequest {
  std::string model;
  bool stream = false;
  bool include_usage = false;  // OpenAI's stream_options; the other formats always report usage
  int prompt_tokens = 0;
  // The first tool, when the model may call one: its name and its schema's properties.
  std::string tool_name;
  boost::json::value tool_properties;
  // A conversation that hands over a partial answer: as the final assistant turn (a prefill),
  // or as an assistant turn followed by a user turn asking to continue.
  std::string handover_text;
  std::string handover_mode;  // "" | "prefill" | "instruction"
};
SimRequest readRequest(SimFormat format, const boost::json::object& body);

// The answer's tokens: `count` words of the simulator's sentence, or — for a request that hands
// over a partial answer of it — the rest of those words after it (at least one), repeating the
// last `overlap` given words first when told to continue, as models often do.
std::vector<std::string> answerTokens(int count, const SimRequest& request, int overlap);

// The tool call the simulated model makes for `request` (arguments filled from the schema's
// property types), or nullopt when it answers in text.
std::optional<SimToolCall> chooseToolCall(SimFormat format, const SimRequest& request);

struct WireAnswer {
  std::string head;                 // sent with the first token (Anthropic's message_start, ...)
  std::vector<std::string> events;  // one per token; for a tool call, the call's fragments
  std::string malformed;            // a broken event, for the malformed_chunk_at fault
  std::string tail;                 // the finish (and usage)
  std::string end;                  // the end marker the no_done fault leaves out
  std::string body;                 // the whole non-streamed answer
  std::string content_type = "text/event-stream; charset=utf-8";  // of the stream
};
WireAnswer frame(SimFormat format, const Generation& g, bool include_usage);
// A legacy OpenAI /v1/completions answer (text_completion objects, streamed or whole).
WireAnswer completionFrame(const Generation& g, bool include_usage);


// An error body in the format's shape. `code` is OpenAI's error code (the others have none).
std::string errorBody(SimFormat format, int status, std::string_view message, std::string_view code);

// A whole answer: what each API answers a wrong key and an unknown model with (Gemini: 400
// API_KEY_INVALID), and embeddings.
struct SimReply {
  int status = 0;
  std::string body;
};
SimReply authError(SimFormat format);
// The 400 a request's history earns (Gemini 3: a function call without its thought signature),
// or nullopt.
std::optional<SimReply> historyError(SimFormat format, const boost::json::object& body);
SimReply unknownModelError(SimFormat format, const std::string& model);
// What each API answers a prompt its content policy refuses with.
SimReply contentFilterError(SimFormat format);
// What each API answers a prompt longer than the model's context with.
SimReply contextLengthError(SimFormat format, int prompt_tokens, int limit);

// A 429 as each API sends it: retry-after plus the format's remaining-limit headers; Gemini
// instead puts the wait in the body's RetryInfo.
struct SimRateLimit {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
SimRateLimit rateLimitError(SimFormat format, int retry_after_s);
// What every answer of a rate-limited provider says of its limit, in the format's headers.
std::vector<std::pair<std::string, std::string>> rateLimitHeaders(SimFormat format, int limit, int remaining, double reset_s);

// The embeddings a format's embedding endpoint answers for `body`: one deterministic vector
// per input (the same text always gives the same vector, each value a multiple of 1/1024 so
// that float32 carries it exactly), `dimensions` long (8 unless asked). OpenAI's honours
// encoding_format base64 (little-endian float32). 400 for an input the API would reject.
SimReply embeddingAnswer(SimFormat format, const boost::json::object& body);
// The vector the simulator makes for `text`.
std::vector<float> simEmbedding(std::string_view text, std::size_t dimensions);

std::string_view toString(SimFormat format);

}  // namespace katara::sim
