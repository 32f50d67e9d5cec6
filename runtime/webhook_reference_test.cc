#include "runtime/webhook_reference.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace sluice {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(WebhookReferenceTest, LiteralUrlsAreRefusedAsSecrets) {
  EXPECT_TRUE(CheckWebhookReference("${SLACK_WEBHOOK_URL}").ok());
  EXPECT_TRUE(CheckWebhookReference("https://hooks.slack.com/services/${SLACK_TOKEN}").ok());
  EXPECT_TRUE(CheckWebhookReference("file:/run/secrets/slack_webhook").ok());
  Status literal = CheckWebhookReference("https://hooks.slack.com/services/T0/B0/secret");
  ASSERT_FALSE(literal.ok());
  EXPECT_NE(literal.message().find("environment variable"), std::string::npos) << literal.message();
  EXPECT_FALSE(CheckWebhookReference("file:relative/path").ok());
}

TEST(WebhookReferenceTest, EnvironmentReferencesResolveAtDelivery) {
  auto env = FakeEnv({{"HOOK", "https://hooks.example/T/B/x"}, {"TOKEN", "abc"}});
  EXPECT_EQ(*ResolveWebhook("${HOOK}", env), "https://hooks.example/T/B/x");
  EXPECT_EQ(*ResolveWebhook("http://h.example/${TOKEN}/z", env), "http://h.example/abc/z");
  Result<std::string> unset = ResolveWebhook("${MISSING_HOOK}", env);
  ASSERT_FALSE(unset.ok());
  EXPECT_NE(unset.message().find("MISSING_HOOK is not set"), std::string::npos) << unset.message();
  Result<std::string> not_url = ResolveWebhook("${TOKEN}", env);
  ASSERT_FALSE(not_url.ok());
  EXPECT_EQ(not_url.message().find("abc"), std::string::npos) << "never the value";
}

TEST(WebhookReferenceTest, FileReferencesReadTheFile) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("sluice-hook-" + std::to_string(::getpid()))).string();
  std::ofstream(path) << "https://hooks.example/from/file\n";
  EXPECT_EQ(*ResolveWebhook("file:" + path, FakeEnv({})), "https://hooks.example/from/file");
  std::filesystem::remove(path);
  EXPECT_FALSE(ResolveWebhook("file:" + path, FakeEnv({})).ok());
}

}  // namespace
}  // namespace sluice
