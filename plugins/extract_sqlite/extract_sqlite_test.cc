// extract.sqlite through its C entry point, against real SQLite files made by each test.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::sqlite {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

using Outcome = sdk::testing::PluginOutcome;

class ExtractSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-sqlite-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    database_ = (dir_ / "source.db").string();
    output_ = (dir_ / "out.sds").string();
    ASSERT_EQ(sqlite3_open(database_.c_str(), &db_), SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(db_);
    fs::remove_all(dir_);
  }

  void Exec(const std::string& sql) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
        << (message ? message : "") << "\n" << sql;
  }

  // The one-row, one-column answer of `sql`, as text; SQLite is the oracle.
  std::string Ask(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql;
    EXPECT_EQ(sqlite3_step(statement), SQLITE_ROW) << sql;
    const unsigned char* text = sqlite3_column_text(statement, 0);
    std::string answer = text ? reinterpret_cast<const char*>(text) : "NULL";
    sqlite3_finalize(statement);
    return answer;
  }

  Outcome Run(nlohmann::json config) {
    if (!config.contains("database")) config["database"] = database_;
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.task_id = "extract";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  // The single error of a failed run; checks that no output appeared.
  std::string RunError(const nlohmann::json& config) {
    const Outcome outcome = Run(config);
    EXPECT_NE(outcome.rc, 0);
    EXPECT_FALSE(fs::exists(output_));
    return outcome.errors.empty() ? "" : outcome.errors[0];
  }

  std::vector<std::string> Validate(const nlohmann::json& config) {
    return sdk::testing::ValidatePlugin(*sluice_plugin_entry(), config.dump()).errors;
  }

  fs::path dir_;
  std::string database_;
  std::string output_;
  sqlite3* db_ = nullptr;
};

TEST_F(ExtractSqliteTest, DeclaredTypesBecomeDatasetTypes) {
  Exec("CREATE TABLE t (i INTEGER, b BIGINT, d DECIMAL(10,2), r REAL, day DATE, "
       "at DATETIME, ts TIMESTAMP, ok BOOLEAN, s VARCHAR(20), c CHAR(2), x TEXT);"
       "INSERT INTO t VALUES (-7, 9007199254740993, '12.30', 0.5, '2024-02-29', "
       "'2026-03-08 07:00:00', '1970-01-01 00:00:01.25', 1, 'abc', 'CC', 'z');");
  const Outcome outcome = Run({{"table", "t"}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  std::vector<std::string> types;
  for (const ds::Column& column : reader.schema()) types.push_back(ds::TypeName(column));
  EXPECT_EQ(types, (std::vector<std::string>{"int64", "int64", "decimal(10,2)", "float64", "date",
                                             "timestamp", "timestamp", "bool", "string", "string",
                                             "string"}));
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).Int64At(0), -7);
  EXPECT_EQ(chunk.column(1).Int64At(0), 9007199254740993);  // 2^53 + 1: not via a double
  EXPECT_EQ(chunk.column(2).DecimalAt(0), 1230);
  EXPECT_EQ(chunk.column(3).Float64At(0), 0.5);
  EXPECT_EQ(chunk.column(4).DateAt(0), 19782);  // python3: (date(2024,2,29)-date(1970,1,1)).days
  EXPECT_EQ(chunk.column(5).TimestampAt(0), 1772953200'000000);  // date -ud @1772953200
  EXPECT_EQ(chunk.column(6).TimestampAt(0), 1'250000);
  EXPECT_TRUE(chunk.column(7).BoolAt(0));
  EXPECT_EQ(chunk.column(8).StringAt(0), "abc");
  EXPECT_EQ(chunk.column(9).StringAt(0), "CC");
}

TEST_F(ExtractSqliteTest, DecimalStoredAsRealIsReadExactly) {
  Exec("CREATE TABLE m (v DECIMAL(10,2));"
       "INSERT INTO m VALUES ('12.30'), ('-0.05'), ('0.10'), ('-12345678.99'), ('99999999.99'),"
       " (0.1 + 0.2), ('7');");
  // NUMERIC affinity stored the fractional ones as REAL: the case that needs care.
  ASSERT_EQ(Ask("SELECT group_concat(typeof(v)) FROM m"), "real,real,real,real,real,real,integer");
  ASSERT_EQ(Run({{"table", "m"}}).rc, 0);
  ds::Reader reader(output_);
  const ds::ColumnView v = reader.chunk(0).column(0);
  EXPECT_EQ(v.DecimalAt(0), 1230);
  EXPECT_EQ(v.DecimalAt(1), -5);
  EXPECT_EQ(v.DecimalAt(2), 10);
  EXPECT_EQ(v.DecimalAt(3), -1234567899);
  EXPECT_EQ(v.DecimalAt(4), 9999999999);
  EXPECT_EQ(v.DecimalAt(5), 30);  // 0.30000000000000004 prints as 0.3 with 15 digits
  EXPECT_EQ(v.DecimalAt(6), 700);
}

TEST_F(ExtractSqliteTest, DecimalStoredAsTextIsReadExactly) {
  // 18 significant digits fit no double: amounts this long must be kept as text.
  Exec("CREATE TABLE m (v TEXT);"
       "INSERT INTO m VALUES ('1234567890123456.78'), ('-9999999999999999.99'), ('0.5');");
  ASSERT_EQ(Ask("SELECT group_concat(typeof(v)) FROM m"), "text,text,text");
  ASSERT_EQ(Run({{"table", "m"}, {"columns", {{{"name", "v"}, {"type", "decimal(18,2)"}}}}}).rc, 0);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(0), 123456789012345678);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(1), -999999999999999999);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(2), 50);
}

TEST_F(ExtractSqliteTest, RealBeyondFifteenDigitsIsRefusedRatherThanGuessed) {
  // SQLite's NUMERIC affinity turns this text into a double, losing the last digits.
  Exec("CREATE TABLE m (v DECIMAL(18,2));"
       "INSERT INTO m VALUES ('9999999999999.99'), ('1234567890123456.78');");
  ASSERT_EQ(Ask("SELECT group_concat(typeof(v)) FROM m"), "real,real");
  const std::string error = RunError({{"table", "m"}});
  EXPECT_NE(error.find("row 2, column 'v'"), std::string::npos) << error;
  EXPECT_NE(error.find("15 significant digits"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, HalfCentsFitAThreePlaceScale) {
  // 1.005 and -2.675 are the classic doubles just below their decimal: no rounding happens.
  Exec("CREATE TABLE m (v DECIMAL(10,3)); INSERT INTO m VALUES (0.005), (1.005), (-2.675);");
  ASSERT_EQ(Run({{"table", "m"}}).rc, 0);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(0), 5);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(1), 1005);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(2), -2675);
}

TEST_F(ExtractSqliteTest, MoreFractionDigitsThanTheScaleFailNamingRowColumnAndValue) {
  Exec("CREATE TABLE m (id INTEGER, amount DECIMAL(10,2));"
       "INSERT INTO m VALUES (1, '2.50'), (2, '1.005');");
  const std::string error = RunError({{"table", "m"}});
  EXPECT_NE(error.find("row 2, column 'amount' (decimal(10,2))"), std::string::npos) << error;
  EXPECT_NE(error.find("'1.005'"), std::string::npos) << error;
  EXPECT_NE(error.find("more than 2 digits after the point"), std::string::npos) << error;
  EXPECT_NE(error.find("fix:"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, NullsStayNullInEveryType) {
  Exec("CREATE TABLE t (i INT, d NUMERIC(5,1), r DOUBLE, day DATE, at DATETIME, ok BOOL, s TEXT);"
       "INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
       "INSERT INTO t VALUES (1, 2.5, 3, '2000-01-01', '2000-01-01 00:00:00', 0, '');");
  ASSERT_EQ(Run({{"table", "t"}}).rc, 0);
  ds::Reader reader(output_);
  const ds::ChunkView chunk = reader.chunk(0);
  for (size_t c = 0; c < 7; ++c) {
    EXPECT_TRUE(chunk.column(c).IsNull(0)) << c;
    EXPECT_FALSE(chunk.column(c).IsNull(1)) << c;
  }
  EXPECT_EQ(chunk.column(1).DecimalAt(1), 25);
  EXPECT_EQ(chunk.column(3).DateAt(1), 10957);  // python3: (date(2000,1,1)-date(1970,1,1)).days
  EXPECT_FALSE(chunk.column(5).BoolAt(1));
  EXPECT_EQ(chunk.column(6).StringAt(1), "");  // an empty string is not a null
}

TEST_F(ExtractSqliteTest, Utf8TextIsKeptAndInvalidUtf8Fails) {
  Exec("CREATE TABLE p (nome VARCHAR(20));"
       "INSERT INTO p VALUES ('S\xC3\xA3o Jo\xC3\xA3o'), ('\xE2\x82\xAC \xF0\x9F\x98\x80');");
  ASSERT_EQ(Run({{"table", "p"}}).rc, 0);
  {
    ds::Reader reader(output_);
    EXPECT_EQ(reader.chunk(0).column(0).StringAt(0), "São João");
    EXPECT_EQ(reader.chunk(0).column(0).StringAt(1), "€ 😀");
  }
  fs::remove(output_);
  Exec("INSERT INTO p VALUES (CAST(X'53E36F' AS TEXT));");  // Latin-1 "São"
  const std::string error = RunError({{"table", "p"}});
  EXPECT_NE(error.find("row 3, column 'nome'"), std::string::npos) << error;
  EXPECT_NE(error.find("UTF-8"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, EmptyTableGivesATypedEmptyDataset) {
  Exec("CREATE TABLE e (id INTEGER, v DECIMAL(10,2), note TEXT);");
  const Outcome outcome = Run({{"table", "e"}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  EXPECT_EQ(reader.row_count(), 0);
  ASSERT_EQ(reader.schema().size(), 3u);
  EXPECT_EQ(ds::TypeName(reader.schema()[1]), "decimal(10,2)");
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 0);
}

TEST_F(ExtractSqliteTest, ParamsAreBoundNeverPastedIntoTheSql) {
  Exec("CREATE TABLE movimento (id INTEGER, data_movimento DATETIME);"
       "INSERT INTO movimento VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-02 10:00:00'),"
       " (3, '2024-01-03 10:00:00');");
  const std::string query = "SELECT id FROM movimento WHERE data_movimento > ? ORDER BY id";
  ASSERT_EQ(Run({{"query", query}, {"params", {"2024-01-02"}}}).rc, 0);
  {
    ds::Reader reader(output_);
    ASSERT_EQ(reader.row_count(), 2);
    EXPECT_EQ(reader.chunk(0).column(0).Int64At(0), 2);
  }
  fs::remove(output_);
  // Pasted into the SQL this would match every row; bound, it is one odd string.
  const Outcome outcome =
      Run({{"query", "SELECT id FROM movimento WHERE data_movimento = ?"},
           {"params", {"x' OR '1'='1"}}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  EXPECT_EQ(ds::Reader(output_).row_count(), 0);
  EXPECT_EQ(Ask("SELECT count(*) FROM movimento"), "3");
}

TEST_F(ExtractSqliteTest, ParamsOfEveryJsonTypeAreBound) {
  Exec("CREATE TABLE t (id INTEGER, x REAL, s TEXT); INSERT INTO t VALUES (5, 1.5, 'a');");
  ASSERT_EQ(Run({{"query", "SELECT count(*) AS n FROM t WHERE id = ? AND x = ? AND s = ? AND "
                           "? AND ? IS NULL"},
                 {"params", {5, 1.5, "a", true, nullptr}}})
                .rc,
            0);
  EXPECT_EQ(ds::Reader(output_).chunk(0).column(0).Int64At(0), 1);
}

TEST_F(ExtractSqliteTest, WrongNumberOfParamsIsAnError) {
  Exec("CREATE TABLE t (id INTEGER);");
  const std::string error = RunError({{"query", "SELECT id FROM t WHERE id > ? AND id < ?"},
                                      {"params", {1}}});
  EXPECT_EQ(error.rfind("/params:", 0), 0u) << error;
  EXPECT_NE(error.find("has 2 parameter(s)"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, ExpressionColumnsTakeTheTypeOfTheirFirstValue) {
  Exec("CREATE TABLE t (id INTEGER, x REAL, name TEXT);"
       "INSERT INTO t VALUES (1, 0.5, 'ana'), (2, 1.25, 'bia');");
  const Outcome outcome = Run(
      {{"query", "SELECT id * 10 AS tens, x * 2 AS doubled, upper(name) AS up, NULL AS nada, "
                 "CASE WHEN id > 1 THEN id END AS late FROM t ORDER BY id"}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  std::vector<std::string> types;
  for (const ds::Column& column : reader.schema()) types.push_back(ds::TypeName(column));
  EXPECT_EQ(types,
            (std::vector<std::string>{"int64", "float64", "string", "string", "int64"}));
  const ds::ChunkView chunk = reader.chunk(0);
  ASSERT_EQ(chunk.row_count(), 2);  // the look-ahead pass did not eat rows
  EXPECT_EQ(chunk.column(0).Int64At(0), 10);
  EXPECT_EQ(chunk.column(1).Float64At(1), 2.5);
  EXPECT_EQ(chunk.column(2).StringAt(0), "ANA");
  EXPECT_TRUE(chunk.column(3).IsNull(1));
  EXPECT_TRUE(chunk.column(4).IsNull(0));
  EXPECT_EQ(chunk.column(4).Int64At(1), 2);
  bool said_twice = false;
  for (const std::string& line : outcome.log) said_twice |= line.find("twice") != std::string::npos;
  EXPECT_TRUE(said_twice);
}

TEST_F(ExtractSqliteTest, ColumnsOverrideTypesByName) {
  Exec("CREATE TABLE m (id INTEGER, v DECIMAL(10,2), code TEXT);"
       "INSERT INTO m VALUES (1, '0.10', '7'), (1, '0.20', '8'), (2, '3.33', '9');");
  const Outcome outcome =
      Run({{"query", "SELECT id, sum(v) AS total, max(code) AS code FROM m GROUP BY id ORDER BY id"},
           {"columns", {{{"name", "total"}, {"type", "decimal(12,2)"}},
                        {{"name", "code"}, {"type", "int64"}}}}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  EXPECT_EQ(ds::TypeName(reader.schema()[1]), "decimal(12,2)");
  EXPECT_EQ(reader.schema()[2].type, ds::Type::kInt64);
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(1).DecimalAt(0), 30);  // 0.1 + 0.2, exact to the cent
  EXPECT_EQ(chunk.column(1).DecimalAt(1), 333);
  EXPECT_EQ(chunk.column(2).Int64At(0), 8);
}

TEST_F(ExtractSqliteTest, OverrideOfAnUnknownColumnListsTheResultColumns) {
  Exec("CREATE TABLE m (id INTEGER, v REAL);");
  const std::string error =
      RunError({{"table", "m"}, {"columns", {{{"name", "value"}, {"type", "float64"}}}}});
  EXPECT_EQ(error.rfind("/columns/0/name:", 0), 0u) << error;
  EXPECT_NE(error.find("its columns are: id, v"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, TextInAnIntegerColumnFailsNamingRowColumnAndValue) {
  Exec("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), ('dois');");
  const std::string error = RunError({{"table", "t"}});
  EXPECT_NE(error.find("row 3, column 'n' (int64)"), std::string::npos) << error;
  EXPECT_NE(error.find("'dois'"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, FractionInAnIntegerExpressionFails) {
  const std::string error = RunError({{"query", "SELECT 2.5 AS n"},
                                      {"columns", {{{"name", "n"}, {"type", "int64"}}}}});
  EXPECT_NE(error.find("row 1, column 'n'"), std::string::npos) << error;
  EXPECT_NE(error.find("'2.5' is not a whole number"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, BadDateFailsNamingRowColumnAndValue) {
  Exec("CREATE TABLE t (day DATE); INSERT INTO t VALUES ('2024-02-29'), ('2023-02-29');");
  const std::string error = RunError({{"table", "t"}});
  EXPECT_NE(error.find("row 2, column 'day' (date)"), std::string::npos) << error;
  EXPECT_NE(error.find("'2023-02-29'"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, NumericTimestampsAreRefusedWithAConversionToUse) {
  Exec("CREATE TABLE t (at DATETIME); INSERT INTO t VALUES (1700000000);");
  const std::string error = RunError({{"table", "t"}});
  EXPECT_NE(error.find("'unixepoch'"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, BlobValuesAreRefused) {
  Exec("CREATE TABLE t (s TEXT); INSERT INTO t VALUES (X'0001');");
  const std::string error = RunError({{"table", "t"}});
  EXPECT_NE(error.find("BLOB"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, NumericWithoutPrecisionAsksForAColumnType) {
  Exec("CREATE TABLE t (v NUMERIC); INSERT INTO t VALUES (1.5);");
  const std::string error = RunError({{"table", "t"}});
  EXPECT_NE(error.find("column 'v' is declared NUMERIC"), std::string::npos) << error;
  fs::remove(output_);
  ASSERT_EQ(Run({{"table", "t"}, {"columns", {{{"name", "v"}, {"type", "decimal(4,1)"}}}}}).rc, 0);
  EXPECT_EQ(ds::Reader(output_).chunk(0).column(0).DecimalAt(0), 15);
}

TEST_F(ExtractSqliteTest, MissingDatabaseFileIsAnErrorAndIsNotCreated) {
  const std::string missing = (dir_ / "nope.db").string();
  const std::string error = RunError({{"database", missing}, {"table", "t"}});
  EXPECT_EQ(error.rfind("/database:", 0), 0u) << error;
  EXPECT_NE(error.find(missing), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(ExtractSqliteTest, MissingTableNamesTheSetting) {
  const std::string error = RunError({{"table", "movimento"}});
  EXPECT_EQ(error.rfind("/table:", 0), 0u) << error;
  EXPECT_NE(error.find("no such table: movimento"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, TableNamesAreQuotedIdentifiers) {
  Exec("CREATE TABLE \"odd \"\"name\" (id INTEGER); INSERT INTO \"odd \"\"name\" VALUES (4);");
  ASSERT_EQ(Run({{"table", "odd \"name"}}).rc, 0);
  EXPECT_EQ(ds::Reader(output_).chunk(0).column(0).Int64At(0), 4);
}

TEST_F(ExtractSqliteTest, WritingOrSeveralStatementsAreRefused) {
  Exec("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1);");
  std::string error = RunError({{"query", "DELETE FROM t"}});
  EXPECT_NE(error.find("only reads"), std::string::npos) << error;
  error = RunError({{"query", "SELECT 1; DELETE FROM t"}});
  EXPECT_NE(error.find("more than one statement"), std::string::npos) << error;
  EXPECT_EQ(Ask("SELECT count(*) FROM t"), "1");
  // A trailing semicolon and comment are not a second statement.
  EXPECT_EQ(Run({{"query", "SELECT id FROM t; -- done"}}).rc, 0);
}

TEST_F(ExtractSqliteTest, DuplicateResultNamesAskForAnAlias) {
  Exec("CREATE TABLE a (id INTEGER); CREATE TABLE b (id INTEGER);");
  const std::string error = RunError({{"query", "SELECT a.id, b.id FROM a JOIN b"}});
  EXPECT_NE(error.find("two columns named 'id'"), std::string::npos) << error;
}

TEST_F(ExtractSqliteTest, ManyChunksAgreeWithSqlitesOwnAggregates) {
  // 150,000 rows span three 65,536-row chunks; amount is id / 100 stored as REAL.
  Exec("CREATE TABLE big (id INTEGER, amount DECIMAL(12,2), name TEXT);"
       "BEGIN; WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq "
       "WHERE n < 150000) INSERT INTO big SELECT n, printf('%d.%02d', n / 100, n % 100), "
       "CASE WHEN n % 7 = 0 THEN NULL ELSE 'n' || n END FROM seq; COMMIT;");
  const Outcome outcome = Run({{"table", "big"}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  EXPECT_GT(reader.chunk_count(), 2u);
  int64_t rows = 0, id_sum = 0, cents_sum = 0, null_names = 0, name_bytes = 0;
  bool cents_match_id = true;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r, ++rows) {
      id_sum += chunk.column(0).Int64At(r);
      cents_sum += chunk.column(1).DecimalAt(r);
      cents_match_id &= chunk.column(1).DecimalAt(r) == chunk.column(0).Int64At(r);
      if (chunk.column(2).IsNull(r)) {
        ++null_names;
      } else {
        name_bytes += static_cast<int64_t>(chunk.column(2).StringAt(r).size());
      }
    }
  }
  EXPECT_EQ(std::to_string(rows), Ask("SELECT count(*) FROM big"));
  EXPECT_EQ(std::to_string(id_sum), Ask("SELECT sum(id) FROM big"));
  EXPECT_EQ(std::to_string(cents_sum), Ask("SELECT sum(CAST(round(amount * 100) AS INTEGER)) FROM big"));
  EXPECT_EQ(std::to_string(null_names), Ask("SELECT count(*) - count(name) FROM big"));
  EXPECT_EQ(std::to_string(name_bytes), Ask("SELECT sum(length(name)) FROM big"));
  EXPECT_TRUE(cents_match_id);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), rows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), rows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT),
            static_cast<int64_t>(fs::file_size(output_)));
}

TEST_F(ExtractSqliteTest, ValidateReportsWhatTheSchemaCannot) {
  EXPECT_TRUE(Validate({{"database", "x.db"}, {"table", "t"}}).empty());
  EXPECT_TRUE(Validate({{"database", "x.db"}, {"query", "SELECT ?"}, {"params", {1}}}).empty());
  std::vector<std::string> errors = Validate({{"database", "x.db"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("`table: NAME`"), std::string::npos) << errors[0];
  errors = Validate({{"database", "x.db"}, {"table", "t"}, {"query", "SELECT 1"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("/query:", 0), 0u) << errors[0];
  errors = Validate({{"database", "x.db"},
                     {"table", "t"},
                     {"params", {1}},
                     {"columns", {{{"name", "a"}, {"type", "decimal(30,2)"}},
                                  {{"name", "a"}, {"type", "int64"}}}}});
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].rfind("/params:", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind("/columns/0/type:", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind("/columns/1/name:", 0), 0u) << errors[2];
}

TEST_F(ExtractSqliteTest, ConfigSchemaDescribesEveryPropertyAndForbidsOthers) {
  const sluice_plugin_descriptor* descriptor = sluice_plugin_entry();
  EXPECT_STREQ(descriptor->name, "extract.sqlite");
  EXPECT_EQ(descriptor->kind, SLUICE_KIND_EXTRACT);
  const nlohmann::json schema = nlohmann::json::parse(descriptor->config_schema_json);
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json::array({"database"}));
  for (const auto& [name, property] : schema["properties"].items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
  EXPECT_EQ(schema["properties"]["columns"]["items"]["additionalProperties"], false);
}

}  // namespace
}  // namespace sluice::sqlite
