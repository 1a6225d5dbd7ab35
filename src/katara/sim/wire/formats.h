#pragma once
// The per-format halves of wire_answer: each API's request fields, answer framing and error
// shapes, written from WIRE.md. Internal to the simulator.
#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <utility>

#include "katara/sim/wire_answer.h"

namespace katara::sim::wire {

namespace json = boost::json;

std::string sse(const json::value& data);
std::string namedSse(std::string_view event, const json::value& data);
std::string joined(const Generation& g);
// The tool call's arguments in the two fragments OpenAI and Anthropic stream them in.
std::pair<std::string, std::string> halves(const std::string& args);
// Reads the first tool's name and its schema's properties from a function-like object.
void readTool(const json::object& fn, const char* schema_key, SimRequest& r);
// The id part of a Generation's id ("chatcmpl-<hex>" → "<hex>").
std::string idSuffix(const Generation& g);

void readOpenAi(const json::object& body, SimRequest& r);
WireAnswer openAiFrame(const Generation& g, bool include_usage);
std::string openAiError(int status, std::string_view message, std::string_view code);
WireAnswer openAiCompletionFrame(const Generation& g, bool include_usage);

void readAnthropic(const json::object& body, SimRequest& r);
WireAnswer anthropicFrame(const Generation& g);
std::string anthropicError(int status, std::string_view message);

void readGemini(const json::object& body, SimRequest& r);
// Gemini 3's check of a request's history: a functionCall part without its thoughtSignature is
// a 400; the message, or "" when the history is fine.
std::string geminiHistoryError(const json::object& body);
WireAnswer geminiFrame(const Generation& g);
std::string geminiError(int status, std::string_view message, std::string_view reason);
std::string geminiRateLimit(std::string_view message, int retry_after_s);

void readOllama(const json::object& body, SimRequest& r);
WireAnswer ollamaFrame(const Generation& g);
std::string ollamaError(std::string_view message);

}  // namespace katara::sim::wire
