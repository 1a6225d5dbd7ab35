// Property tests of every upstream format, both ways:
// - answers: random generations framed by the simulator (written from WIRE.md independently of
//   the adapters) decode, streamed in random pieces or whole, to the same text, tool call,
//   finish and usage through every adapter;
// - requests: random canonical requests encoded for Gemini and Ollama keep every turn's text,
//   every tool call's arguments and every tool result's call name, in order.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <random>

#include "random_chat.h"

#include "katara/core/tool_call_name.h"
#include "katara/providers/adapter.h"
#include "katara/providers/gemini/generate_encode.h"
#include "katara/providers/ollama/chat_encode.h"
#include "katara/sim/wire_answer.h"

using namespace katara;
namespace json = boost::json;

namespace {

struct FormatCase {
  sim::SimFormat sim;
  const char* kind;
};
constexpr FormatCase kFormats[] = {{sim::SimFormat::OpenAi, "openai"},
                                   {sim::SimFormat::Anthropic, "anthropic"},
                                   {sim::SimFormat::Gemini, "gemini"},
                                   {sim::SimFormat::Ollama, "ollama"}};

sim::Generation randomGeneration(std::mt19937_64& rng, sim::SimFormat format) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  static const char* words[] = {"Hi", " there", " \"quoted\"", " back\\slash", " é", "\n", " {json}", " tab\t"};
  sim::Generation g;
  g.id = "chatcmpl-" + std::to_string(rng() % 100000);
  g.created = 1760000000;
  g.model = "model-" + std::to_string(pick(5));
  g.prompt_tokens = 1 + pick(500);
  for (int i = 0, n = 1 + pick(12); i < n; ++i) g.tokens.emplace_back(words[pick(8)]);
  if (pick(3) == 0) {
    sim::SimRequest request;
    request.tool_name = "tool_" + std::to_string(pick(3));
    json::object props;
    for (int i = 0, n = pick(4); i < n; ++i) props["p" + std::to_string(i)] = json::object{{"type", pick(2) ? "string" : "integer"}};
    request.tool_properties = props;
    g.tool_call = sim::chooseToolCall(format, request);
  }
  return g;
}

// The canonical answer of a streamed body fed in random pieces.
struct Decoded {
  std::string text, tool_name, tool_args;
  core::FinishReason finish = core::FinishReason::Stop;
  std::int64_t output_tokens = -1;
  bool ended = false;
};

Decoded decodeStream(const providers::Adapter& adapter, const std::string& bytes, std::mt19937_64& rng) {
  Decoded d;
  auto decoder = adapter.streamDecoder();
  std::vector<core::ChatEvent> events;
  std::string error;
  auto take = [&] {
    for (const auto& e : events) {
      if (e.kind == core::ChatEvent::Kind::TextDelta) d.text += e.text;
      if (e.kind == core::ChatEvent::Kind::ToolCallStart) d.tool_name = e.tool_name;
      if (e.kind == core::ChatEvent::Kind::ToolCallDelta) d.tool_args += e.text;
      if (e.kind == core::ChatEvent::Kind::Usage) d.output_tokens = e.usage.output_tokens;
      if (e.kind == core::ChatEvent::Kind::Finish) {
        d.finish = e.finish;
        d.ended = true;
      }
    }
    events.clear();
  };
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t n = 1 + rng() % 40;
    EXPECT_TRUE(decoder->feed(std::string_view(bytes).substr(i, n), events, error)) << error;
    take();
    i += n;
  }
  EXPECT_TRUE(decoder->end(events, error)) << error;
  take();
  return d;
}

std::string joined(const sim::Generation& g) {
  std::string s;
  for (const auto& t : g.tokens) s += t;
  return s;
}

}  // namespace

TEST(FormatProperty, RandomAnswersDecodeTheSameStreamedOrWholeInEveryFormat) {
  std::mt19937_64 rng(20261201);
  for (const auto& format : kFormats) {
    const auto* adapter = providers::adapterFor(format.kind);
    ASSERT_NE(adapter, nullptr);
    for (int i = 0; i < 300; ++i) {
      auto g = randomGeneration(rng, format.sim);
      auto wire = sim::frame(format.sim, g, true);
      std::string stream = wire.head;
      for (const auto& e : wire.events) stream += e;
      stream += wire.tail + wire.end;
      SCOPED_TRACE(std::string(format.kind) + " #" + std::to_string(i) + ": " + stream);

      auto streamed = decodeStream(*adapter, stream, rng);
      auto whole = adapter->decodeChat(wire.body);
      ASSERT_TRUE(whole.ok()) << whole.error().message;
      ASSERT_TRUE(streamed.ended);
      const int output = g.tool_call ? 3 : static_cast<int>(g.tokens.size());
      EXPECT_EQ(streamed.output_tokens, output);
      EXPECT_EQ(whole->usage.output_tokens, output);
      if (g.tool_call) {
        EXPECT_EQ(streamed.finish, core::FinishReason::ToolCalls);
        EXPECT_EQ(whole->finish, core::FinishReason::ToolCalls);
        EXPECT_EQ(streamed.tool_name, g.tool_call->name);
        ASSERT_EQ(whole->tool_calls.size(), 1u);
        EXPECT_EQ(whole->tool_calls[0].name, g.tool_call->name);
        EXPECT_FALSE(whole->tool_calls[0].id.empty()) << "every call gets an id, made when the format has none";
        EXPECT_EQ(json::parse(streamed.tool_args), json::parse(g.tool_call->arguments));
        EXPECT_EQ(json::parse(whole->tool_calls[0].arguments_json), json::parse(g.tool_call->arguments));
      } else {
        EXPECT_EQ(streamed.finish, core::FinishReason::Stop);
        EXPECT_EQ(streamed.text, joined(g));
        EXPECT_EQ(whole->text, joined(g));
      }
    }
  }
}

namespace {

std::string textOf(const core::Message& m) {
  std::string s;
  for (const auto& p : m.content) {
    if (p.kind == core::ContentPart::Kind::Text) s += p.text;
  }
  return s;
}

// What each non-system turn must still say after encoding, in order: its text, its calls'
// (name, arguments) and, for a tool result, the name of the call it answers.
struct Expected {
  std::string text;
  std::vector<std::pair<std::string, json::value>> calls;
  std::string result_name;
};

std::vector<Expected> expectedTurns(const core::ChatRequest& r) {
  std::vector<Expected> out;
  for (std::size_t i = 0; i < r.messages.size(); ++i) {
    const auto& m = r.messages[i];
    if (m.role == core::Role::System || m.role == core::Role::Developer) continue;
    Expected e;
    e.text = textOf(m);
    for (const auto& c : m.tool_calls) e.calls.emplace_back(c.name, json::parse(c.arguments_json));
    if (m.role == core::Role::Tool) {
      // A result that is a JSON object is carried as that object (its spacing is not kept).
      boost::system::error_code ec;
      auto object = json::parse(e.text, ec);
      if (!ec && object.is_object()) e.text = json::serialize(object);
      e.result_name = core::toolCallName(r.messages, i, m.tool_call_id);
      if (e.result_name.empty()) e.result_name = m.name.empty() ? m.tool_call_id : m.name;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

TEST(FormatProperty, RandomRequestsKeepEveryTurnThroughGemini) {
  std::mt19937_64 rng(20261202);
  for (int i = 0; i < 500; ++i) {
    auto r = test_support::randomRequest(rng);
    auto body = json::parse(providers::gemini::encodeGenerateRequest(r).body).as_object();
    SCOPED_TRACE(json::serialize(body));
    // Gemini merges consecutive turns of one role: compare the concatenation per role run.
    std::string want_text, got_text, want_names, got_names;
    std::vector<json::value> want_args, got_args;
    for (const auto& e : expectedTurns(r)) {
      want_text += e.text;
      for (const auto& [name, args] : e.calls) {
        want_names += name + ";";
        want_args.push_back(args);
      }
      if (!e.result_name.empty()) want_names += "result:" + e.result_name + ";";
    }
    std::string previous_role;
    for (const auto& turn : body.at("contents").as_array()) {
      const auto role = std::string(turn.as_object().at("role").as_string());
      EXPECT_NE(role, previous_role) << "turns alternate";
      previous_role = role;
      for (const auto& p : turn.as_object().at("parts").as_array()) {
        const auto& part = p.as_object();
        if (const auto* t = part.if_contains("text")) got_text += t->as_string();
        if (const auto* c = part.if_contains("functionCall")) {
          got_names += std::string(c->as_object().at("name").as_string()) + ";";
          got_args.push_back(c->as_object().at("args"));
        }
        if (const auto* fr = part.if_contains("functionResponse")) {
          got_names += "result:" + std::string(fr->as_object().at("name").as_string()) + ";";
          // A tool result's text is its response (as an object, or wrapped as `result`).
          const auto& response = fr->as_object().at("response").as_object();
          if (const auto* res = response.if_contains("result")) got_text += res->as_string();
          else got_text += json::serialize(response);
        }
      }
    }
    EXPECT_EQ(got_text, want_text);
    EXPECT_EQ(got_names, want_names);
    EXPECT_EQ(got_args, want_args);
  }
}

TEST(FormatProperty, RandomRequestsKeepEveryTurnThroughOllama) {
  std::mt19937_64 rng(20261203);
  for (int i = 0; i < 500; ++i) {
    auto r = test_support::randomRequest(rng);
    auto body = json::parse(providers::ollama::encodeOllamaChat(r).body).as_object();
    SCOPED_TRACE(json::serialize(body));
    auto want = expectedTurns(r);
    std::vector<Expected> got;
    for (const auto& m : body.at("messages").as_array()) {
      const auto& o = m.as_object();
      if (o.at("role") == "system") continue;
      Expected e;
      e.text = o.at("content").as_string();
      if (o.at("role") == "tool") {
        boost::system::error_code ec;
        auto object = json::parse(e.text, ec);
        if (!ec && object.is_object()) e.text = json::serialize(object);
      }
      if (const auto* calls = o.if_contains("tool_calls")) {
        for (const auto& c : calls->as_array()) {
          const auto& fn = c.as_object().at("function").as_object();
          e.calls.emplace_back(std::string(fn.at("name").as_string()), fn.at("arguments"));
        }
      }
      if (const auto* name = o.if_contains("tool_name")) e.result_name = name->as_string();
      got.push_back(std::move(e));
    }
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < got.size(); ++k) {
      EXPECT_EQ(got[k].text, want[k].text);
      EXPECT_EQ(got[k].calls, want[k].calls);
      EXPECT_EQ(got[k].result_name, want[k].result_name);
    }
    EXPECT_EQ(body.at("stream").as_bool(), r.stream);
  }
}
