// export.sql's schema and Validate, through the plugin's C entry point as `sluice dags
// validate` calls it.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::export_sql {
namespace {

std::vector<std::string> Problems(const nlohmann::json& config) {
  return sdk::testing::ValidatePlugin(*sluice_plugin_entry(), config.dump()).errors;
}

TEST(ExportSqlConfigTest, TheSchemaClosesTheObjectAndDescribesEveryProperty) {
  const nlohmann::json schema = nlohmann::json::parse(sluice_plugin_entry()->config_schema_json);
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json({"connection", "table"}));
  for (const auto& [name, property] : schema["properties"].items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
  EXPECT_EQ(std::string(sluice_plugin_entry()->name), "export.sql");
  EXPECT_EQ(sluice_plugin_entry()->kind, SLUICE_KIND_EXPORT);
}

TEST(ExportSqlConfigTest, AConfigurationFromTheDocsIsValid) {
  EXPECT_TRUE(Problems({{"connection", "postgresql://etl@db:5432/lake"},
                        {"password_env", "LAKE_DB_PASSWORD"},
                        {"table", "lake.movimento_flat"},
                        {"mode", "upsert"},
                        {"key", {"id"}},
                        {"batch_rows", 5000}})
                  .empty());
}

TEST(ExportSqlConfigTest, UpsertWithoutKeyIsReportedAtMode) {
  EXPECT_EQ(Problems({{"connection", "sqlite:lake.db"}, {"table", "t"}, {"mode", "upsert"}}),
            std::vector<std::string>{
                "/mode: upsert needs `key`: the columns that identify a row, e.g. key: [id]"});
}

TEST(ExportSqlConfigTest, PasswordSettingsAreRefusedForSqliteAndWhenBothAreGiven) {
  EXPECT_EQ(Problems({{"connection", "sqlite:lake.db"}, {"table", "t"}, {"password_env", "P"}}),
            std::vector<std::string>{
                "/password_env: a SQLite database has no password; remove this setting"});
  EXPECT_EQ(Problems({{"connection", "mysql://u@h/d"},
                      {"table", "t"},
                      {"password_env", "P"},
                      {"password_file", "/run/secrets/p"}}),
            std::vector<std::string>{
                "/password_file: give either password_env or password_file, not both"});
}

TEST(ExportSqlConfigTest, BadConnectionsAndTableNamesPointAtTheirSetting) {
  const std::vector<std::string> problems =
      Problems({{"connection", "mysql://u:hunter2@h/d"}, {"table", "a.b.c"}, {"key", {""}}});
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_TRUE(problems[0].starts_with("/connection: the connection holds a password"));
  EXPECT_EQ(problems[0].find("hunter2"), std::string::npos);
  EXPECT_TRUE(problems[1].starts_with("/table: 'a.b.c' has more than one dot"));
  EXPECT_EQ(problems[2], "/key/0: a name cannot be empty");
}

}  // namespace
}  // namespace sluice::export_sql
