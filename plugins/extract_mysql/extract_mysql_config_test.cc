// extract.mysql's configuration checks (through the plugin's validate entry, as
// `sluice dags validate` calls it) and its password sources. No server needed.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extract_mysql_config.h"
#include "sluice/password.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin.hpp"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::mysql {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Validate(const nlohmann::json& config) {
  return sdk::testing::ValidatePlugin(*sluice_plugin_entry(), config.dump()).errors;
}

nlohmann::json Base() { return {{"connection", "mysql://etl@db:3306/sales"}}; }

bool HasErrorAt(const std::vector<std::string>& errors, const std::string& path,
                const std::string& words) {
  for (const std::string& e : errors) {
    if (e.starts_with(path + ": ") && e.find(words) != std::string::npos) return true;
  }
  return false;
}

std::string Joined(const std::vector<std::string>& errors) {
  std::string all;
  for (const std::string& e : errors) all += e + "\n";
  return all;
}

TEST(ExtractMysqlConfigTest, ATableOrAQueryWithMatchingParamsIsValid) {
  nlohmann::json table = Base();
  table["table"] = "sicoop.movimento";
  table["password_env"] = "SICOOP_MYSQL_PASSWORD";
  EXPECT_TRUE(Validate(table).empty()) << Joined(Validate(table));
  nlohmann::json query = Base();
  query["query"] = "SELECT id FROM movimento WHERE data >= ? AND data < ?";
  query["params"] = {"2024-01-01", "2024-01-02"};
  query["password_file"] = "/run/secrets/mysql";
  EXPECT_TRUE(Validate(query).empty()) << Joined(Validate(query));
}

TEST(ExtractMysqlConfigTest, NeedsExactlyOneOfTableAndQuery) {
  EXPECT_TRUE(HasErrorAt(Validate(Base()), "", "`table`"));
  nlohmann::json both = Base();
  both["table"] = "t";
  both["query"] = "SELECT 1";
  EXPECT_TRUE(HasErrorAt(Validate(both), "/query", "not both"));
}

TEST(ExtractMysqlConfigTest, ReportsAPasswordInTheConnectionWithoutEchoingIt) {
  nlohmann::json config = Base();
  config["connection"] = "mysql://etl:s3cret@db/sales";
  config["table"] = "t";
  const std::vector<std::string> errors = Validate(config);
  EXPECT_TRUE(HasErrorAt(errors, "/connection", "password_env")) << Joined(errors);
  EXPECT_EQ(Joined(errors).find("s3cret"), std::string::npos);
}

TEST(ExtractMysqlConfigTest, RefusesATableNameThatIsNotAnIdentifier) {
  nlohmann::json config = Base();
  config["table"] = "movimento; DROP TABLE associado";
  EXPECT_TRUE(HasErrorAt(Validate(config), "/table", "`query`"));
}

TEST(ExtractMysqlConfigTest, ParamsMustMatchThePlaceholders) {
  nlohmann::json config = Base();
  config["query"] = "SELECT * FROM t WHERE a = ? AND b = ?";
  config["params"] = {"x"};
  EXPECT_TRUE(HasErrorAt(Validate(config), "/params", "2 ? placeholder(s)"));
  config.erase("params");
  EXPECT_TRUE(HasErrorAt(Validate(config), "/query", "lists 0 value(s)"));
  nlohmann::json table = Base();
  table["table"] = "t";
  table["params"] = {"x"};
  EXPECT_TRUE(HasErrorAt(Validate(table), "/params", "add `query`"));
}

TEST(ExtractMysqlConfigTest, RefusesBothPasswordSources) {
  nlohmann::json config = Base();
  config["table"] = "t";
  config["password_env"] = "P";
  config["password_file"] = "/run/secrets/p";
  EXPECT_TRUE(HasErrorAt(Validate(config), "/password_file", "not both"));
}

TEST(ExtractMysqlConfigTest, ChecksDeclaredColumns) {
  nlohmann::json config = Base();
  config["table"] = "t";
  config["columns"] = {{{"name", "v"}, {"type", "decimal(19,2)"}},
                       {{"name", "v"}, {"type", "string"}}};
  const std::vector<std::string> errors = Validate(config);
  EXPECT_TRUE(HasErrorAt(errors, "/columns/0/type", "precision")) << Joined(errors);
  EXPECT_TRUE(HasErrorAt(errors, "/columns/1/name", "declared twice")) << Joined(errors);
}

TEST(ExtractMysqlConfigTest, TemplatedConnectionAndTableAreCheckedOnlyOnceRendered) {
  nlohmann::json config = Base();
  config["connection"] = "{{ params.mysql_url }}";
  config["table"] = "{{ params.table }}";
  EXPECT_TRUE(Validate(config).empty()) << Joined(Validate(config));
  // A run sees rendered values; one that still is not a URL is refused there.
  try {
    ParseExtractMysqlConfig(config);
    ADD_FAILURE() << "an unrendered connection was accepted at run time";
  } catch (const sdk::Failure& f) {
    EXPECT_EQ(f.config_path(), "/connection");
  }
}

TEST(ExtractMysqlConfigTest, ParseBuildsTheQueryFromTheQuotedTable) {
  nlohmann::json config = Base();
  config["table"] = "sicoop.movimento";
  config["columns"] = {{{"name", "vlr"}, {"type", "decimal(12,2)"}}};
  const MysqlExtractOptions options = ParseExtractMysqlConfig(config);
  EXPECT_EQ(options.query, "SELECT * FROM `sicoop`.`movimento`");
  EXPECT_FALSE(options.params);
  ASSERT_EQ(options.declared.size(), 1u);
  EXPECT_EQ(options.declared[0].precision, 12);
  EXPECT_EQ(options.url.host, "db");
}

class MysqlPasswordSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-mysql-pw-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    fs::remove_all(dir_);
    ::unsetenv("SLUICE_TEST_MYSQL_PW");
  }
  std::string FailureOf(const std::string& env, const std::string& file, std::string* path) {
    try {
      sdk::ReadPassword(env, file);
    } catch (const sdk::Failure& f) {
      *path = f.config_path();
      return f.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(MysqlPasswordSourceTest, ReadsTheEnvironmentVariable) {
  ::setenv("SLUICE_TEST_MYSQL_PW", "pa ss\n", 1);
  EXPECT_EQ(sdk::ReadPassword("SLUICE_TEST_MYSQL_PW", ""), "pa ss\n");  // kept exactly
}

TEST_F(MysqlPasswordSourceTest, AMissingVariableIsItsOwnError) {
  std::string path;
  const std::string message = FailureOf("SLUICE_TEST_MYSQL_PW", "", &path);
  EXPECT_EQ(path, "/password_env");
  EXPECT_NE(message.find("SLUICE_TEST_MYSQL_PW"), std::string::npos) << message;
  EXPECT_NE(message.find("not set"), std::string::npos) << message;
}

TEST_F(MysqlPasswordSourceTest, ReadsTheFileWithoutItsTrailingNewline) {
  const std::string file = (dir_ / "pw").string();
  std::ofstream(file) << "s3cr3t\n";
  EXPECT_EQ(sdk::ReadPassword("", file), "s3cr3t");
  std::ofstream(file, std::ios::trunc) << "crlf\r\n";
  EXPECT_EQ(sdk::ReadPassword("", file), "crlf");
}

TEST_F(MysqlPasswordSourceTest, AnUnreadableFileIsItsOwnError) {
  std::string path;
  const std::string missing = (dir_ / "nope").string();
  const std::string message = FailureOf("", missing, &path);
  EXPECT_EQ(path, "/password_file");
  EXPECT_NE(message.find(missing), std::string::npos) << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST_F(MysqlPasswordSourceTest, NoSourceMeansNoPassword) { EXPECT_EQ(sdk::ReadPassword("", ""), ""); }

}  // namespace
}  // namespace sluice::mysql
