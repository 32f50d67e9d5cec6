// export.sql against a real PostgreSQL that ctest starts (fixture `postgres`). Every
// expectation is read back by the server's own SQL on a separate libpq connection.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <stdlib.h>

#include <filesystem>
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

constexpr const char* kPasswordVariable = "SLUICE_EXPORT_SQL_TEST_PG_PASSWORD";

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

class ExportSqlPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = sluice::testing::RequireServer("postgres");
    if (endpoint_.missing()) GTEST_FAIL() << endpoint_.problem;
    std::string pattern = (fs::temp_directory_path() / "sluice-export-pg-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    input_ = (dir_ / "input.sds").string();
    // A table per test, so tests never see each other's rows.
    table_ = std::string("t_") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name();
    if (table_.size() > 60) table_.resize(60);
    const std::string port = std::to_string(endpoint_.port);
    const char* keywords[] = {"host", "port", "user", "password", "dbname", nullptr};
    const char* values[] = {endpoint_.host.c_str(), port.c_str(), endpoint_.user.c_str(),
                            endpoint_.password.c_str(), endpoint_.database.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, 0);
    ASSERT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    Exec("SET client_min_messages = warning");
    Exec("DROP TABLE IF EXISTS \"" + table_ + "\"");
    ::setenv(kPasswordVariable, endpoint_.password.c_str(), 1);
  }
  void TearDown() override {
    if (conn_ != nullptr) {
      if (PQstatus(conn_) == CONNECTION_OK) Exec("DROP TABLE IF EXISTS \"" + table_ + "\"");
      PQfinish(conn_);
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string Connection() const {
    return "postgresql://" + endpoint_.user + "@" + endpoint_.host + ":" +
           std::to_string(endpoint_.port) + "/" + endpoint_.database;
  }

  Outcome Run(nlohmann::json config) {
    if (!config.contains("connection")) config["connection"] = Connection();
    if (!config.contains("table")) config["table"] = table_;
    if (!config.contains("password_env")) config["password_env"] = kPasswordVariable;
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.inputs = {{"flatten", input_}};
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  void Exec(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_COMMAND_OK) << sql << ": " << PQerrorMessage(conn_);
    PQclear(result);
  }
  std::vector<Row> Query(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << sql << ": " << PQerrorMessage(conn_);
    std::vector<Row> rows;
    for (int r = 0; r < PQntuples(result); ++r) {
      Row row;
      for (int c = 0; c < PQnfields(result); ++c) {
        if (PQgetisnull(result, r, c)) {
          row.push_back(std::nullopt);
        } else {
          row.emplace_back(PQgetvalue(result, r, c));
        }
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }
  std::string Scalar(const std::string& sql) {
    const std::vector<Row> rows = Query(sql);
    return rows.empty() ? "<no rows>" : rows[0][0].value_or("NULL");
  }
  std::string Quoted() const { return "\"" + table_ + "\""; }
  std::string Dump() {
    std::vector<std::string> lines;
    for (const Row& row : Query("SELECT * FROM " + Quoted() + " ORDER BY 1")) {
      std::string line;
      for (const auto& value : row) line += (value ? *value : "NULL") + "|";
      lines.push_back(line);
    }
    return Joined(lines);
  }

  void WriteIdRows(int from, int to, const std::string& prefix) {
    std::vector<TextRow> rows;
    for (int i = from; i <= to; ++i) {
      rows.push_back({std::to_string(i), prefix + std::to_string(i), std::to_string(i) + ".25"});
    }
    WriteDataset(input_,
                 {{"id", ds::Type::kInt64},
                  {"name", ds::Type::kString},
                  {"amount", ds::Type::kDecimal, 10, 2}},
                 rows);
  }

  sluice::testing::ServerEndpoint endpoint_;
  fs::path dir_;
  std::string input_;
  std::string table_;
  PGconn* conn_ = nullptr;
};

TEST_F(ExportSqlPostgresTest, CreatesTheTableAndStoresEveryTypeExactly) {
  WriteDataset(input_, AllTypesSchema(), AllTypesRows());
  const Outcome outcome = Run({});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Query("SELECT column_name, data_type FROM information_schema.columns WHERE "
                  "table_name = '" + table_ + "' ORDER BY ordinal_position"),
            (std::vector<Row>{{"id", "bigint"}, {"ratio", "double precision"},
                              {"amount", "numeric"}, {"name", "text"}, {"active", "boolean"},
                              {"day", "date"}, {"at", "timestamp without time zone"},
                              {"units", "numeric"}}));
  EXPECT_EQ(Query("SELECT id, ratio = 0.1::float8, amount::text, name, active::text, day::text, "
                  "to_char(at, 'YYYY-MM-DD HH24:MI:SS.US'), units::text FROM " + Quoted() +
                  " ORDER BY id DESC"),
            (std::vector<Row>{
                {"3", std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                 std::nullopt, std::nullopt},
                {"1", "t", "-12.30", "ação ☃ 𝄞", "true", "2024-02-29",
                 "2024-02-29 13:45:30.250000", "123456789012"},
                {"-9223372036854775808", "f", "99999999.99", "", "false", "1969-12-31",
                 "1969-12-31 23:59:59.000000", "-1"}}));
  EXPECT_EQ(Scalar("SELECT count(*) FROM " + Quoted() + " WHERE ratio = -1e300::float8"), "1");
}

TEST_F(ExportSqlPostgresTest, UpsertTwiceUpdatesWithoutDuplicates) {
  WriteIdRows(1, 3, "first");
  ASSERT_EQ(Run({{"mode", "upsert"}, {"key", {"id"}}}).rc, 0);
  WriteIdRows(2, 4, "second");
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"id"}}});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Dump(), "1|first1|1.25|\n2|second2|2.25|\n3|second3|3.25|\n4|second4|4.25|\n");
}

TEST_F(ExportSqlPostgresTest, UpsertUsesAUniqueIndexOnAnExistingTable) {
  Exec("CREATE TABLE " + Quoted() + " (id bigint, name text, amount numeric(10,2))");
  Exec("CREATE UNIQUE INDEX ON " + Quoted() + " (name)");
  Exec("INSERT INTO " + Quoted() + " VALUES (9, 'x1', 0)");
  WriteIdRows(1, 2, "x");
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"name"}}});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Dump(), "1|x1|1.25|\n2|x2|2.25|\n");
}

TEST_F(ExportSqlPostgresTest, UpsertWithoutAUniqueKeyOnTheTableFails) {
  Exec("CREATE TABLE " + Quoted() + " (id bigint, name text, amount numeric(10,2))");
  WriteIdRows(1, 2, "x");
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"id"}}});
  EXPECT_NE(outcome.rc, 0);
  EXPECT_NE(Joined(outcome.errors).find("/key: table " + table_ +
                                        " has no primary key or unique index on exactly (id)"),
            std::string::npos)
      << Joined(outcome.errors);
  EXPECT_EQ(Scalar("SELECT count(*) FROM " + Quoted()), "0");
}

TEST_F(ExportSqlPostgresTest, AFailureMidwayLeavesAnExistingTableExactlyAsItWas) {
  Exec("CREATE TABLE " + Quoted() + " (id bigint, name text NOT NULL)");
  Exec("INSERT INTO " + Quoted() + " SELECT 1000 + g, 'keep' FROM generate_series(1, 10) g");
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
    EXPECT_NE(errors.find("SQLSTATE 23502"), std::string::npos) << errors;  // not_null_violation
    EXPECT_EQ(Scalar("SELECT count(*) FROM " + Quoted()), "10") << mode;
    EXPECT_EQ(Scalar("SELECT sum(id) FROM " + Quoted()), "10055") << mode;
    EXPECT_EQ(Dump(), before) << mode;
  }
}

TEST_F(ExportSqlPostgresTest, AFailureOnATableItCreatedLeavesNoTable) {
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"v", ds::Type::kString}},
               {{"1", "a"}, {std::nullopt, "b"}});
  const Outcome outcome = Run({{"mode", "upsert"}, {"key", {"id"}}});
  EXPECT_NE(outcome.rc, 0);
  EXPECT_EQ(Scalar("SELECT to_regclass('" + Quoted() + "') IS NULL"), "t");
}

TEST_F(ExportSqlPostgresTest, AWrongPasswordFailsNamingTheServerButNeverThePassword) {
  const std::string wrong = "Wr0ngPassw0rdPg7";
  ::setenv("SLUICE_EXPORT_SQL_TEST_PG_WRONG", wrong.c_str(), 1);
  WriteIdRows(1, 1, "x");
  const Outcome outcome = Run({{"password_env", "SLUICE_EXPORT_SQL_TEST_PG_WRONG"}});
  EXPECT_NE(outcome.rc, 0);
  const std::string everything = Joined(outcome.errors) + Joined(outcome.log);
  EXPECT_NE(everything.find("password authentication failed"), std::string::npos) << everything;
  EXPECT_NE(everything.find(Connection()), std::string::npos) << everything;
  EXPECT_EQ(everything.find(wrong), std::string::npos) << everything;
  EXPECT_EQ(everything.find(endpoint_.password), std::string::npos) << everything;
}

TEST_F(ExportSqlPostgresTest, ThePasswordAppearsInNoMessageEvenWhenTheServerQuotesTheValue) {
  // PostgreSQL quotes a rejected value in its message ("invalid input syntax ... \"<value>\"").
  Exec("CREATE TABLE " + Quoted() + " (id bigint, name date, amount numeric(10,2))");
  WriteDataset(input_,
               {{"id", ds::Type::kInt64}, {"name", ds::Type::kString},
                {"amount", ds::Type::kDecimal, 10, 2}},
               {{"1", endpoint_.password, "1"}});
  const Outcome outcome = Run({});
  EXPECT_NE(outcome.rc, 0);
  const std::string everything = Joined(outcome.errors) + Joined(outcome.log);
  EXPECT_NE(everything.find("SQLSTATE 22007"), std::string::npos) << everything;
  EXPECT_NE(everything.find("***"), std::string::npos) << everything;
  EXPECT_EQ(everything.find(endpoint_.password), std::string::npos) << everything;
}

TEST_F(ExportSqlPostgresTest, ManyRowsArriveInBatchesCappedByTheParameterLimit) {
  // 3 columns × 30000 rows asked per INSERT would pass 65535 parameters: the plugin lowers it.
  constexpr int kRows = 25'000;
  std::vector<TextRow> rows;
  for (int i = 1; i <= kRows; ++i) rows.push_back({std::to_string(i), "n", "0.01"});
  WriteDataset(input_,
               {{"id", ds::Type::kInt64}, {"name", ds::Type::kString},
                {"amount", ds::Type::kDecimal, 10, 2}},
               rows);
  const Outcome outcome = Run({{"batch_rows", 30000}});
  ASSERT_EQ(outcome.rc, 0) << Joined(outcome.errors);
  EXPECT_EQ(Scalar("SELECT count(*) || ' ' || sum(id) || ' ' || sum(amount) FROM " + Quoted()),
            std::to_string(kRows) + " " + std::to_string(int64_t{kRows} * (kRows + 1) / 2) +
                " 250.00");
  EXPECT_NE(Joined(outcome.log).find("21845 rows per INSERT"), std::string::npos)
      << Joined(outcome.log);
}

}  // namespace
}  // namespace sluice::export_sql
