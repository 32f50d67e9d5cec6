// Tests the plugin through its exported descriptor, as the host uses it.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sluice/plugin.h>
#include <sluice/plugin_testing.hpp>

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace {

std::vector<std::string> RunWith(const std::string& config_json, int* rc) {
  sluice::sdk::testing::PluginCall call;
  call.config_json = config_json;
  const auto outcome = sluice::sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  *rc = outcome.rc;
  return outcome.errors;
}

TEST(ShellPluginTest, DescribesItselfWithAStrictDraft7Schema) {
  const sluice_plugin_descriptor* d = sluice_plugin_entry();
  EXPECT_EQ(d->abi_version, SLUICE_PLUGIN_ABI_VERSION);
  EXPECT_STREQ(d->name, "shell");
  EXPECT_EQ(d->kind, SLUICE_KIND_OTHER);
  const nlohmann::json schema = nlohmann::json::parse(d->config_schema_json);
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json::array({"command"}));
  for (const char* property : {"command", "env", "cwd"}) {
    EXPECT_TRUE(schema["properties"][property].contains("description")) << property;
  }
  EXPECT_EQ(schema["properties"]["env"]["additionalProperties"]["type"], "string");
}

TEST(ShellPluginTest, SucceedingCommandReturnsZeroAndReportsNothing) {
  int rc = -1;
  EXPECT_TRUE(RunWith(R"({"command": "test \"$X\" = yes", "env": {"X": "yes"}})", &rc).empty());
  EXPECT_EQ(rc, 0);
}

TEST(ShellPluginTest, FailingCommandReportsTheExitCode) {
  int rc = 0;
  EXPECT_EQ(RunWith(R"({"command": "exit 3"})", &rc),
            std::vector<std::string>{": command exited with code 3"});
  EXPECT_NE(rc, 0);
}

TEST(ShellPluginTest, MissingCommandIsReportedAgainstItsPath) {
  int rc = 0;
  EXPECT_EQ(RunWith(R"({"cwd": "/"})", &rc),
            std::vector<std::string>{"/command: `command` must be a string"});
  EXPECT_NE(rc, 0);
}

TEST(ShellPluginTest, NonStringEnvValueIsReportedAgainstItsPath) {
  int rc = 0;
  EXPECT_EQ(RunWith(R"({"command": "true", "env": {"N": 3}})", &rc),
            std::vector<std::string>{"/env/N: `env.N` must be a string"});
  EXPECT_NE(rc, 0);
}

}  // namespace
