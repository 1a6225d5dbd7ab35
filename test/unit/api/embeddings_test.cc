// The /v1/embeddings front door: request parsing decisions, the float and base64 encodings of
// the answer, and base64's float32 packing.
#include <gtest/gtest.h>

#include "katara/api/openai/embeddings.h"
#include "katara/core/base64.h"
#include "katara/providers/openai/embeddings.h"

using namespace katara;

namespace {

api::EmbeddingsCall parsed(std::string_view body) {
  auto r = api::parseEmbeddingsRequest(body);
  EXPECT_TRUE(std::holds_alternative<api::EmbeddingsCall>(r)) << body;
  return std::holds_alternative<api::EmbeddingsCall>(r) ? std::get<api::EmbeddingsCall>(r) : api::EmbeddingsCall{};
}

std::string rejected(std::string_view body) {
  auto r = api::parseEmbeddingsRequest(body);
  EXPECT_TRUE(std::holds_alternative<core::ApiError>(r)) << body;
  return std::holds_alternative<core::ApiError>(r) ? std::get<core::ApiError>(r).message : "";
}

}  // namespace

TEST(EmbeddingsParse, EveryInputShapeOpenAiAccepts) {
  auto one = parsed(R"({"model":"m","input":"hi"})");
  EXPECT_EQ(one.request.texts, std::vector<std::string>{"hi"});
  EXPECT_TRUE(one.request.single_input);
  EXPECT_FALSE(one.base64) << "float is the API's default";
  auto many = parsed(R"({"model":"m","input":["a","b"],"encoding_format":"base64","dimensions":256,"user":"u"})");
  EXPECT_EQ(many.request.texts, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(many.request.single_input);
  EXPECT_TRUE(many.base64);
  EXPECT_EQ(many.request.dimensions, 256);
  EXPECT_EQ(many.request.user, "u");
  auto tokens = parsed(R"({"model":"m","input":[1,2,3]})");
  EXPECT_EQ(tokens.request.tokens, (std::vector<std::vector<std::int64_t>>{{1, 2, 3}}));
  EXPECT_TRUE(tokens.request.single_input);
  auto token_arrays = parsed(R"({"model":"m","input":[[1],[2,3]]})");
  EXPECT_EQ(token_arrays.request.tokens.size(), 2u);
}

TEST(EmbeddingsParse, BadRequestsAreNamed) {
  EXPECT_NE(rejected(R"({"model":"m"})").find("input"), std::string::npos);
  EXPECT_NE(rejected(R"({"input":"x"})").find("model"), std::string::npos);
  EXPECT_NE(rejected(R"({"model":"m","input":""})").find("empty"), std::string::npos);
  EXPECT_NE(rejected(R"({"model":"m","input":["a",""]})").find("input[1]"), std::string::npos);
  EXPECT_NE(rejected(R"({"model":"m","input":["a",[1]]})").find("mixed"), std::string::npos);
  EXPECT_NE(rejected(R"({"model":"m","input":[1,-2]})").find("mixed"), std::string::npos) << "token ids are not negative";
  EXPECT_NE(rejected(R"({"model":"m","input":"x","encoding_format":"int8"})").find("encoding_format"), std::string::npos);
  EXPECT_NE(rejected(R"({"model":"m","input":"x","dimensions":-1})").find("dimensions"), std::string::npos);
  EXPECT_NE(rejected("not json").find("JSON"), std::string::npos);
  std::string huge = R"({"model":"m","input":[)";
  for (int i = 0; i < 2049; ++i) huge += std::string(i ? "," : "") + "\"x\"";
  EXPECT_NE(rejected(huge + "]}").find("2048"), std::string::npos);
}

TEST(EmbeddingsEncode, FloatsInShortestFormAndBase64AsLittleEndianFloat32) {
  core::EmbeddingResponse r;
  r.vectors = {{0.5f, -0.25f, 0.1f}, {1e-8f}};
  r.prompt_tokens = 3;
  EXPECT_EQ(api::encodeEmbeddingsResponse(r, false, "alias"),
            R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25,0.1]},)"
            R"({"object":"embedding","index":1,"embedding":[1e-08]}],"model":"alias","usage":{"prompt_tokens":3,"total_tokens":3}})");
  // 0.5f = 00 00 00 3f, -0.25f = 00 00 80 be
  r.vectors = {{0.5f, -0.25f}};
  r.model = "upstream-model";
  EXPECT_EQ(api::encodeEmbeddingsResponse(r, true, "alias"),
            R"({"object":"list","data":[{"object":"embedding","index":0,"embedding":"AAAAPwAAgL4="}],"model":"upstream-model","usage":{"prompt_tokens":3,"total_tokens":3}})");
}

TEST(Base64, RoundTripsAndRejectsWhatIsNotBase64) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(core::base64Decode(core::base64Encode(s)), s);
  }
  EXPECT_FALSE(core::base64Decode("abc").has_value()) << "not padded";
  EXPECT_FALSE(core::base64Decode("ab!=").has_value());
  EXPECT_FALSE(core::floatsFromBase64("AAAA").has_value()) << "3 bytes are not a float32";
  auto v = core::floatsFromBase64("AAAAPwAAgL4=");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, (std::vector<float>{0.5f, -0.25f}));
}

TEST(OpenAiEmbeddingsDecode, ReadsFloatsOrBase64InIndexOrder) {
  providers::openai::OpenAiEmbedder e;
  auto r = e.decode(R"({"data":[{"index":1,"embedding":"AAAAPwAAgL4="},{"index":0,"embedding":[1,2.5]}],"model":"m","usage":{"prompt_tokens":4}})", 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->vectors[0], (std::vector<float>{1.0f, 2.5f}));
  EXPECT_EQ(r->vectors[1], (std::vector<float>{0.5f, -0.25f}));
  EXPECT_EQ(r->prompt_tokens, 4);
  EXPECT_FALSE(e.decode(R"({"data":[{"index":0,"embedding":[1]}]})", 2).ok()) << "one vector per input";
  EXPECT_FALSE(e.decode(R"({"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[2]}]})", 2).ok());
  EXPECT_FALSE(e.decode(R"({"data":[{"index":0,"embedding":"AACAfw=="}]})", 1).ok()) << "+inf is not an embedding";
}
