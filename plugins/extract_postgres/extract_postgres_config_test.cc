// extract.postgres's configuration checks and secrets, without a server.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extract_postgres_config.h"
#include "password.h"
#include "sluice/plugin.h"
#include "sluice/plugin.hpp"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::postgres {
namespace {

namespace fs = std::filesystem;

const nlohmann::json kValid = {{"connection", "postgresql://condo@127.0.0.1:5432/condominios"},
                               {"password_env", "CONDO_PG_PASSWORD"},
                               {"table", "transacoes"}};

std::vector<std::string> Validate(const nlohmann::json& config) {
  return sdk::testing::ValidatePlugin(*sluice_plugin_entry(), config.dump()).errors;
}

// The one error Validate reports, as "pointer: message".
std::string OnlyError(const nlohmann::json& config) {
  const std::vector<std::string> errors = Validate(config);
  EXPECT_EQ(errors.size(), 1u) << config.dump();
  return errors.empty() ? "" : errors[0];
}

nlohmann::json With(nlohmann::json config, const nlohmann::json& changes) {
  config.merge_patch(changes);
  return config;
}

TEST(ExtractPostgresConfigTest, SchemaIsValidJsonWithADescriptionOnEverySetting) {
  const nlohmann::json schema = nlohmann::json::parse(kExtractPostgresConfigSchema);
  EXPECT_FALSE(schema.at("additionalProperties").get<bool>());
  for (const auto& [name, property] : schema.at("properties").items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
}

TEST(ExtractPostgresConfigTest, TableOrQueryWithParamsIsValid) {
  EXPECT_TRUE(Validate(kValid).empty());
  EXPECT_TRUE(Validate(With(kValid, {{"table", nullptr},
                                     {"query", "SELECT * FROM t WHERE d >= $1 AND d < $2"},
                                     {"params", {"{{ data_interval_start }}", "2024-01-02"}}}))
                  .empty());
}

TEST(ExtractPostgresConfigTest, TableAndQueryTogetherOrNeitherIsRefused) {
  EXPECT_NE(OnlyError(With(kValid, {{"query", "SELECT 1"}})).find("not both"), std::string::npos);
  EXPECT_NE(OnlyError(With(kValid, {{"table", nullptr}})).find("`query`"), std::string::npos);
}

TEST(ExtractPostgresConfigTest, TemplateInsideTheQueryIsRefusedInFavourOfParams) {
  const std::string error =
      OnlyError(With(kValid, {{"table", nullptr},
                              {"query", "SELECT * FROM t WHERE d >= '{{ ds }}'"}}));
  EXPECT_EQ(error.rfind("/query: ", 0), 0u) << error;
  EXPECT_NE(error.find("`params`"), std::string::npos) << error;
}

TEST(ExtractPostgresConfigTest, ParamsMustGiveOneValuePerDollarNumber) {
  const nlohmann::json query = With(kValid, {{"table", nullptr},
                                             {"query", "SELECT * FROM t WHERE a = $1 AND b = $2"}});
  const std::string too_few = OnlyError(With(query, {{"params", {"x"}}}));
  EXPECT_EQ(too_few.rfind("/params: ", 0), 0u) << too_few;
  EXPECT_NE(too_few.find("up to $2 but `params` gives 1"), std::string::npos) << too_few;
  EXPECT_EQ(OnlyError(query).rfind("/query: ", 0), 0u);  // no params at all
  const std::string unused =
      OnlyError(With(kValid, {{"table", nullptr}, {"query", "SELECT '$1'"}, {"params", {"x"}}}));
  EXPECT_NE(unused.find("has no $n parameters"), std::string::npos) << unused;
}

TEST(ExtractPostgresConfigTest, ParamsWithATableHaveNothingToBindTo) {
  EXPECT_EQ(OnlyError(With(kValid, {{"params", {"x"}}})).rfind("/params: ", 0), 0u);
}

TEST(ExtractPostgresConfigTest, BothPasswordSettingsAreRefused) {
  EXPECT_NE(OnlyError(With(kValid, {{"password_file", "/run/secrets/pg"}})).find("not both"),
            std::string::npos);
}

TEST(ExtractPostgresConfigTest, BadUrlIsReportedAtConnectionUnlessItHoldsATemplate) {
  EXPECT_EQ(OnlyError(With(kValid, {{"connection", "postgresql://u:pw@h/db"}}))
                .rfind("/connection: ", 0),
            0u);
  EXPECT_TRUE(Validate(With(kValid, {{"connection", "postgresql://u@{{ host }}/db"}})).empty());
}

TEST(ExtractPostgresConfigTest, BadTableNameIsReportedAtTable) {
  EXPECT_EQ(OnlyError(With(kValid, {{"table", "a.b.c"}})).rfind("/table: ", 0), 0u);
}

TEST(ExtractPostgresConfigTest, BadOrDuplicateColumnDeclarationsPointAtTheEntry) {
  EXPECT_EQ(OnlyError(With(kValid, {{"columns", {{{"name", "v"}, {"type", "decimal(30,2)"}}}}}))
                .rfind("/columns/0/type: ", 0),
            0u);
  EXPECT_EQ(OnlyError(With(kValid, {{"columns", {{{"name", "v"}, {"type", "string"}},
                                                 {{"name", "v"}, {"type", "int64"}}}}}))
                .rfind("/columns/1/name: ", 0),
            0u);
}

TEST(ExtractPostgresConfigTest, ParsedOptionsQuoteTheTableAndKeepParamsInOrder) {
  ExtractOptions table = ParseExtractPostgresConfig(With(kValid, {{"table", "public.Transacoes"}}));
  EXPECT_EQ(table.sql, "SELECT * FROM \"public\".\"Transacoes\"");
  EXPECT_EQ(table.password.env, "CONDO_PG_PASSWORD");
  ExtractOptions query = ParseExtractPostgresConfig(
      With(kValid, {{"table", nullptr},
                    {"query", "SELECT $1, $2, $3"},
                    {"params", {"a", 5, nullptr}}}));
  ASSERT_EQ(query.params.size(), 3u);
  EXPECT_EQ(query.params[0], "a");
  EXPECT_EQ(query.params[1], "5");
  EXPECT_EQ(query.params[2], std::nullopt);
}

TEST(ExtractPostgresConfigTest, RunWithAnUnsetPasswordVariableNamesItBeforeConnecting) {
  ::unsetenv("SLUICE_TEST_UNSET_PG_PASSWORD");
  sdk::testing::PluginCall call;
  // Port 1 would refuse a connection: the error must come from the variable, not the network.
  call.config_json = With(kValid, {{"connection", "postgresql://u@127.0.0.1:1/db"},
                                   {"password_env", "SLUICE_TEST_UNSET_PG_PASSWORD"}})
                         .dump();
  call.output_path = "/nonexistent/out.sds";
  const sdk::testing::PluginOutcome outcome = sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  ASSERT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].rfind("/password_env: the environment variable "
                                    "SLUICE_TEST_UNSET_PG_PASSWORD",
                                    0),
            0u)
      << outcome.errors[0];
}

class PasswordFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-pgpw-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string WriteFile(const std::string& bytes) {
    const std::string path = (dir_ / "pw").string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  fs::path dir_;
};

TEST_F(PasswordFileTest, OneTrailingLineBreakIsIgnoredButInnerSpacesAreKept) {
  EXPECT_EQ(ReadPassword({"", WriteFile("s3 cret\n")}), "s3 cret");
  EXPECT_EQ(ReadPassword({"", WriteFile("s3cret\r\n")}), "s3cret");
  EXPECT_EQ(ReadPassword({"", WriteFile("s3cret\n\n")}), "s3cret\n");
}

TEST_F(PasswordFileTest, MissingOrEmptyFileIsAClearFailure) {
  try {
    ReadPassword({"", (dir_ / "absent").string()});
    FAIL() << "expected a failure";
  } catch (const sdk::Failure& failure) {
    EXPECT_EQ(failure.config_path(), "/password_file");
    EXPECT_NE(std::string(failure.what()).find("No such file"), std::string::npos)
        << failure.what();
  }
  EXPECT_THROW(ReadPassword({"", WriteFile("\n")}), sdk::Failure);
}

TEST(PasswordTest, NoSourceMeansNoPassword) { EXPECT_EQ(ReadPassword({}), std::nullopt); }

TEST(PasswordTest, RedactReplacesEveryOccurrence) {
  EXPECT_EQ(Redact("a hunter2 b hunter2", std::string("hunter2")), "a *** b ***");
  EXPECT_EQ(Redact("unchanged", std::nullopt), "unchanged");
}

}  // namespace
}  // namespace sluice::postgres
