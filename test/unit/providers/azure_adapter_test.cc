// The azure adapter: OpenAI's bodies on deployment paths, with the api-version query and the
// key in `api-key`.
#include <gtest/gtest.h>

#include "katara/providers/azure/azure_adapter.h"

using namespace katara;

namespace {

providers::ProviderAccess azureAccess() {
  providers::ProviderAccess access;
  access.endpoint = *http::parseEndpoint("https://res.openai.azure.com");
  access.api_key = "az-key";
  access.api_version = "2024-10-21";
  return access;
}

}  // namespace

TEST(AzureAdapter, EveryOperationGoesToTheDeploymentsPath) {
  const providers::azure::AzureAdapter a;
  const auto access = azureAccess();
  const providers::ChatTarget target{"my gpt/4", true, "req_1", nullptr};
  auto chat = a.chatRequest(access, target, "{}");
  EXPECT_EQ(chat.target, "/openai/deployments/my%20gpt%2F4/chat/completions?api-version=2024-10-21")
      << "a deployment name is one path segment";
  EXPECT_EQ(http::findHeader(chat.headers, "api-key"), "az-key");
  EXPECT_EQ(http::findHeader(chat.headers, "authorization"), "");
  auto legacy = a.completionRequest(access, target, "{}");
  ASSERT_TRUE(legacy.has_value());
  EXPECT_EQ(legacy->target, "/openai/deployments/my%20gpt%2F4/completions?api-version=2024-10-21");
  ASSERT_NE(a.embedder(), nullptr);
  auto embed = a.embedder()->request(access, target, "{}");
  EXPECT_EQ(embed.target, "/openai/deployments/my%20gpt%2F4/embeddings?api-version=2024-10-21");
  EXPECT_EQ(http::findHeader(embed.headers, "api-key"), "az-key");
  EXPECT_EQ(a.format(), core::ApiFormat::OpenAiChat) << "OpenAI clients pass through";
}
