// export.sql against a real MariaDB that ctest starts (fixture `mariadb`). Every expectation is
// read back by the server's own SQL on a separate connection.
#include <cppconn/connection.h>
#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"
#include "test_dataset.h"
#include "tests/servers/test_servers.h"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::export_sql {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;
using testing::AllTypesRows;
using testing::AllTypesSchema;
using testing::TextRow;
using testing::WriteDataset;
using Outcome = sdk::testing::PluginOutcome;
using Row = std::vector<std::optional<std::string>>;

constexpr const char* kPasswordVariable = "SLUICE_EXPORT_SQL_TEST_MYSQL_PASSWORD";

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

class ExportSqlMysqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = sluice::testing::RequireServer("mariadb");
    if (endpoint_.missing()) GTEST_FAIL() << endpoint_.problem;
    std::string pattern = (fs::temp_directory_path() / "sluice-export-mysql-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    input_ = (dir_ / "input.sds").string();
    // A table per test, so tests never see each other's rows.
    table_ = std::string("t_") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (table_.size() > 60) table_.resize(60);
    sql::ConnectOptionsMap options;
    options["hostName"] =
        sql::SQLString("tcp://" + endpoint_.host + ":" + std::to_string(endpoint_.port));
    options["userName"] = sql::SQLString(endpoint_.user);
    options["password"] = sql::SQLString(endpoint_.password);
    options["schema"] = sql::SQLString(endpoint_.database);
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    connection_.reset(get_driver_instance()->connect(options));
    Exec("DROP TABLE IF EXISTS `" + table_ + "`");
    ::setenv(kPasswordVariable, endpoint_.password.c_str(), 1);
  }
  void TearDown() override {
    if (connection_) Exec("DROP TABLE IF EXISTS `" + table_ + "`");
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string Connection() const {
    return "mysql://" + endpoint_.user + "@" + endpoint_.host + ":" +
           std::to_string(endpoint_.port) + "/" + endpoint_.database;
  }

  Outcome Run(nlohmann::json config) {
    if (!config.contains("connection")) config["connection"] = Connection();
    if (!config.contains("table")) config["table"] = table_;
    config["password_env"] = kPasswordVariable;
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.inputs = {{"flatten", input_}};
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  void Exec(const std::string& statement_text) {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    statement->execute(statement_text);
  }
  std::vector<Row> Query(const std::string& query) {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> result(statement->executeQuery(query));
    const unsigned columns = result->getMetaData()->getColumnCount();
    std::vector<Row> rows;
    while (result->next()) {
      Row row;
      for (unsigned c = 1; c <= columns; ++c) {
        if (result->isNull(c)) {
          row.push_back(std::nullopt);
        } else {
          row.emplace_back(std::string(result->getString(c)));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }
  std::string Scalar(const std::string& query) {
    const std::vector<Row> rows = Query(query);
    return rows.empty() ? "<no rows>" : rows[0][0].value_or("NULL");
  }
  bool TableExists() {
    return Scalar("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                  "DATABASE() AND TABLE_NAME = '" + table_ + "'") == "1";
  }
  std::string Dump() {
    std::vector<std::string> lines;
    for (const Row& row : Query("SELECT * FROM `" + table_ + "` ORDER BY 1")) {
      std::string line;
      for (const auto& value : row) line += (value ? *value : "NULL") + "|";
      lines.push_back(line);
    }
    return Joined(lines);
  }

  void WriteCodeRows(int from, int to, const std::string& prefix) {
    std::vector<TextRow> rows;
    for (int i = from; i <= to; ++i) {
      rows.push_back({"c" + std::to_string(i), prefix + std::to_string(i), std::to_string(i) + ".25"});
    }
    WriteDataset(input_,
                 {{"code", ds::Type::kString},
                  {"name", ds::Type::kString},
                  {"amount", ds::Type::kDecimal, 10, 2}},
                 rows);
  }

  sluice::testing::ServerEndpoint endpoint_;
  fs::path dir_;
  std::string input_;
  std::string table_;
  std::unique_ptr<sql::Connection> connection_;
};

TEST_F(ExportSqlMysqlTest, CreatesTheTableAndStoresEveryTypeExactly) {
  WriteDataset(input_, AllTypesSchema(), AllTypesRows());
  const Outcome outcome = Run({});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Query("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE "
                  "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" + table_ +
                  "' ORDER BY ORDINAL_POSITION"),
            (std::vector<Row>{{"id", "bigint"}, {"ratio", "double"}, {"amount", "decimal"},
                              {"name", "text"}, {"active", "tinyint"}, {"day", "date"},
                              {"at", "datetime"}, {"units", "decimal"}}));
  EXPECT_EQ(Query("SELECT id, ratio = 0.1e0, CAST(amount AS CHAR), name, active, "
                  "CAST(day AS CHAR), CAST(at AS CHAR), CAST(units AS CHAR) FROM `" + table_ +
                  "` ORDER BY id DESC"),
            (std::vector<Row>{
                {"3", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                 std::nullopt, std::nullopt},
                {"1", "1", "-12.30", "ação ☃ 𝄞", "1", "2024-02-29", "2024-02-29 13:45:30.250000",
                 "123456789012"},
                {"-9223372036854775808", "0", "99999999.99", "", "0", "1969-12-31",
                 "1969-12-31 23:59:59.000000", "-1"}}));
  EXPECT_EQ(Scalar("SELECT count(*) FROM `" + table_ + "` WHERE ratio = -1e300"), "1");
}

TEST_F(ExportSqlMysqlTest, UpsertTwiceOnAStringKeyUpdatesWithoutDuplicates) {
  WriteCodeRows(1, 3, "first");
  ASSERT_EQ(Run({{"mode", "upsert"}, {"key", {"code"}}}).rc, 0);
  WriteCodeRows(2, 4, "second");
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"code"}}});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Dump(), "c1|first1|1.25|\nc2|second2|2.25|\nc3|second3|3.25|\nc4|second4|4.25|\n");
  EXPECT_EQ(Scalar("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = '" + table_ + "' AND COLUMN_KEY = 'PRI'"),
            "varchar(255)");
}

TEST_F(ExportSqlMysqlTest, UpsertWithoutAUniqueKeyOnTheTableFails) {
  Exec("CREATE TABLE `" + table_ + "` (code VARCHAR(10), name TEXT, amount DECIMAL(10,2))");
  WriteCodeRows(1, 2, "x");
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"code"}}});
  EXPECT_NE(outcome.rc, 0);
  EXPECT_NE(Joined(outcome.errors).find("/key: table " + table_ +
                                        " has no primary key or unique index on exactly (code)"),
            std::string::npos)
      << Joined(outcome.errors);
  EXPECT_EQ(Scalar("SELECT count(*) FROM `" + table_ + "`"), "0");
}

TEST_F(ExportSqlMysqlTest, ReplaceEmptiesTheTableThenInserts) {
  Exec("CREATE TABLE `" + table_ + "` (code VARCHAR(10), name TEXT, amount DECIMAL(10,2))");
  Exec("INSERT INTO `" + table_ + "` VALUES ('old', 'gone', 9)");
  WriteCodeRows(1, 2, "new");
  ASSERT_EQ(Run({{"mode", "replace"}}).rc, 0);
  EXPECT_EQ(Dump(), "c1|new1|1.25|\nc2|new2|2.25|\n");
}

TEST_F(ExportSqlMysqlTest, AFailureMidwayLeavesAnExistingTableExactlyAsItWas) {
  Exec("CREATE TABLE `" + table_ + "` (id BIGINT, name VARCHAR(20) NOT NULL) ENGINE=InnoDB");
  for (int id = 1; id <= 10; ++id) {
    Exec("INSERT INTO `" + table_ + "` VALUES (" + std::to_string(1000 + id) + ", 'keep')");
  }
  const std::string before = Dump();
  std::vector<TextRow> rows;
  for (int id = 1; id <= 20; ++id) {
    rows.push_back({std::to_string(id), id == 13 ? std::nullopt : std::optional<std::string>("x")});
  }
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"name", ds::Type::kString}}, rows);
  for (const char* mode : {"append", "replace"}) {
    const Outcome outcome = Run({{"mode", mode}, {"batch_rows", 5}});
    EXPECT_NE(outcome.rc, 0) << mode;
    const std::string errors = Joined(outcome.errors);
    EXPECT_NE(errors.find("inserting rows 11 to 15"), std::string::npos) << errors;
    EXPECT_NE(errors.find("MySQL error 1048"), std::string::npos) << errors;  // cannot be null
    EXPECT_EQ(Scalar("SELECT count(*) FROM `" + table_ + "`"), "10") << mode;
    EXPECT_EQ(Scalar("SELECT sum(id) FROM `" + table_ + "`"), "10055") << mode;
    EXPECT_EQ(Dump(), before) << mode;
  }
}

TEST_F(ExportSqlMysqlTest, AFailureOnATableItCreatedDropsItAgain) {
  // MySQL commits CREATE TABLE on its own; the plugin must undo it by hand.
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"v", ds::Type::kString}},
               {{"1", "a"}, {std::nullopt, "b"}});
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"id"}}});
  EXPECT_NE(outcome.rc, 0);
  EXPECT_FALSE(TableExists());
}

TEST_F(ExportSqlMysqlTest, AWrongPasswordFailsNamingTheServerButNeverThePassword) {
  const std::string wrong = "Wr0ngPassw0rdZq9";
  ::setenv("SLUICE_EXPORT_SQL_TEST_WRONG", wrong.c_str(), 1);
  WriteCodeRows(1, 1, "x");
  nlohmann::json config = {{"connection", Connection()}, {"table", table_}};
  config["password_env"] = "SLUICE_EXPORT_SQL_TEST_WRONG";
  sdk::testing::PluginCall call;
  call.config_json = config.dump();
  call.inputs = {{"flatten", input_}};
  const Outcome outcome = sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  EXPECT_NE(outcome.rc, 0);
  const std::string everything = Joined(outcome.errors) + Joined(outcome.log);
  EXPECT_NE(everything.find("MySQL error 1045"), std::string::npos) << everything;
  EXPECT_NE(everything.find(Connection()), std::string::npos) << everything;
  EXPECT_EQ(everything.find(wrong), std::string::npos) << everything;
  EXPECT_EQ(everything.find(endpoint_.password), std::string::npos) << everything;
}

TEST_F(ExportSqlMysqlTest, ThePasswordAppearsInNoMessageOrLogLine) {
  // A value equal to the password goes into a DATE column: the server's error quotes the
  // rejected value, and that must not reach the user.
  Exec("CREATE TABLE `" + table_ + "` (code DATE, name TEXT, amount DECIMAL(10,2))");
  WriteDataset(input_,
               {{"code", ds::Type::kString}, {"name", ds::Type::kString},
                {"amount", ds::Type::kDecimal, 10, 2}},
               {{endpoint_.password, "x", "1"}});
  const Outcome failed = Run({});
  EXPECT_NE(failed.rc, 0);
  EXPECT_NE(Joined(failed.errors).find("MySQL error 1292"), std::string::npos)
      << Joined(failed.errors);
  EXPECT_NE(Joined(failed.errors).find("'***'"), std::string::npos) << Joined(failed.errors);
  Exec("ALTER TABLE `" + table_ + "` MODIFY code VARCHAR(10)");
  WriteCodeRows(1, 3, "ok");
  const Outcome succeeded = Run({});
  EXPECT_EQ(succeeded.rc, 0) << Joined(succeeded.errors);
  const std::string everything = Joined(failed.errors) + Joined(failed.log) +
                                 Joined(succeeded.errors) + Joined(succeeded.log);
  EXPECT_EQ(everything.find(endpoint_.password), std::string::npos) << everything;
  EXPECT_EQ(Scalar("SELECT count(*) FROM `" + table_ + "`"), "3");
}

TEST_F(ExportSqlMysqlTest, InjectionLookingAndFourByteStringsAreStoredVerbatim) {
  const std::vector<std::string> values = {"'); DROP TABLE x; --", "a\\'b", "`tick`", "😀 emoji"};
  std::vector<TextRow> rows;
  for (size_t i = 0; i < values.size(); ++i) rows.push_back({std::to_string(i), values[i]});
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"v", ds::Type::kString}}, rows);
  ASSERT_EQ(Run({}).rc, 0);
  std::vector<Row> expected;
  for (size_t i = 0; i < values.size(); ++i) expected.push_back({values[i]});
  EXPECT_EQ(Query("SELECT v FROM `" + table_ + "` ORDER BY id"), expected);
}

TEST_F(ExportSqlMysqlTest, BatchesStayWithinTheServersPacketLimit) {
  // 18 rows of 1 MiB are more than the server's 16 MiB max_allowed_packet in one INSERT: the
  // plugin must split them into several statements.
  ASSERT_LT(std::stoll(Scalar("SELECT @@max_allowed_packet")), 18ll << 20);
  Exec("CREATE TABLE `" + table_ + "` (id BIGINT, v LONGTEXT)");
  constexpr int kRows = 18;
  std::vector<TextRow> rows;
  for (int i = 1; i <= kRows; ++i) rows.push_back({std::to_string(i), std::string(1 << 20, 'a' + i)});
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"v", ds::Type::kString}}, rows);
  const Outcome outcome = Run({});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Scalar("SELECT CONCAT(count(*), ' ', sum(length(v)), ' ', count(DISTINCT v)) FROM `" +
                   table_ + "`"),
            std::to_string(kRows) + " " + std::to_string(kRows << 20) + " " +
                std::to_string(kRows));
}

}  // namespace
}  // namespace sluice::export_sql
