// export.sql against SQLite files, through the plugin's C entry point as the host calls it.
// Expected contents are written by hand from the inputs and read back with the sqlite3 API.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"
#include "test_dataset.h"

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
using Row = std::vector<std::optional<std::string>>;  // values as sqlite3_column_text

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

class ExportSqlSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-export-sql-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    db_path_ = (dir_ / "lake.db").string();
    input_ = (dir_ / "input.sds").string();
  }
  void TearDown() override {
    if (db_ != nullptr) sqlite3_close(db_);
    fs::remove_all(dir_);
  }

  // Runs export.sql on `input_` with `config` plus the connection to db_path_.
  Outcome Run(nlohmann::json config) {
    if (!config.contains("connection")) config["connection"] = "sqlite://" + db_path_;
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.inputs = {{"flatten", input_}};
    call.task_id = "load";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  // Our own connection, opened only after the plugin ran or to prepare a table.
  sqlite3* Db() {
    if (db_ == nullptr) {
      EXPECT_EQ(sqlite3_open(db_path_.c_str(), &db_), SQLITE_OK);
    }
    return db_;
  }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(Db(), sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error ? error : "");
  }
  std::vector<Row> Query(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(Db(), sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(Db());
    std::vector<Row> rows;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      Row row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* text = sqlite3_column_text(stmt, c);
        if (text == nullptr) {
          row.push_back(std::nullopt);
        } else {
          row.emplace_back(std::string(reinterpret_cast<const char*>(text),
                                       static_cast<size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return rows;
  }
  std::string Scalar(const std::string& sql) {
    const std::vector<Row> rows = Query(sql);
    if (rows.empty() || rows[0].empty()) return "<no rows>";
    return rows[0][0].value_or("NULL");
  }
  bool TableExists(const std::string& name) {
    return Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name +
                  "'") == "1";
  }
  // Every row of `table` as text lines, ordered by its first column: before/after snapshots.
  std::string Dump(const std::string& table) {
    std::vector<std::string> lines;
    for (const Row& row : Query("SELECT * FROM " + table + " ORDER BY 1")) {
      std::string line;
      for (const auto& value : row) line += (value ? *value : "NULL") + "|";
      lines.push_back(line);
    }
    return Joined(lines);
  }

  // An id/name/amount dataset with ids from..to, name "n<id>", amount id.50.
  void WriteIdRows(int from, int to, const std::string& prefix = "n") {
    std::vector<TextRow> rows;
    for (int id = from; id <= to; ++id) {
      rows.push_back({std::to_string(id), prefix + std::to_string(id),
                      std::to_string(id) + ".50"});
    }
    WriteDataset(input_,
                 {{"id", ds::Type::kInt64},
                  {"name", ds::Type::kString},
                  {"amount", ds::Type::kDecimal, 10, 2}},
                 rows);
  }

  fs::path dir_;
  std::string db_path_;
  std::string input_;
  sqlite3* db_ = nullptr;
};

std::string ErrorsOf(const Outcome& outcome) { return Joined(outcome.errors); }

TEST_F(ExportSqlSqliteTest, CreatesTableWithOneDeclaredTypePerDatasetType) {
  WriteDataset(input_, AllTypesSchema(), AllTypesRows());
  const Outcome outcome = Run({{"table", "typed"}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  const std::vector<Row> columns = Query("SELECT name, type FROM pragma_table_info('typed')");
  const std::vector<Row> expected = {
      {"id", "BIGINT"},  {"ratio", "REAL"}, {"amount", "DECIMAL(10,2)"}, {"name", "TEXT"},
      {"active", "BOOLEAN"}, {"day", "DATE"}, {"at", "TIMESTAMP"}, {"units", "DECIMAL(12,0)"}};
  EXPECT_EQ(columns, expected);
}

TEST_F(ExportSqlSqliteTest, StoresEveryTypeSoItReadsBackAsTheInputValue) {
  WriteDataset(input_, AllTypesSchema(), AllTypesRows());
  ASSERT_EQ(Run({{"table", "typed"}}).rc, 0);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(Db(), "SELECT * FROM typed ORDER BY rowid", -1, &stmt, nullptr),
            SQLITE_OK);
  auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c))); };

  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 1);
  EXPECT_EQ(sqlite3_column_type(stmt, 1), SQLITE_FLOAT);
  EXPECT_EQ(sqlite3_column_double(stmt, 1), 0.1);
  // DECIMAL has NUMERIC affinity: SQLite keeps "-12.30" as the number -12.3.
  EXPECT_EQ(std::llround(sqlite3_column_double(stmt, 2) * 100), -1230);
  EXPECT_EQ(text(3), "ação ☃ 𝄞");
  EXPECT_EQ(sqlite3_column_int64(stmt, 4), 1);
  EXPECT_EQ(text(5), "2024-02-29");
  EXPECT_EQ(text(6), "2024-02-29 13:45:30.250000");
  EXPECT_EQ(sqlite3_column_type(stmt, 7), SQLITE_INTEGER);  // scale 0: an exact integer
  EXPECT_EQ(sqlite3_column_int64(stmt, 7), 123456789012);

  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), INT64_MIN);
  EXPECT_EQ(sqlite3_column_double(stmt, 1), -1e300);
  EXPECT_EQ(std::llround(sqlite3_column_double(stmt, 2) * 100), 9999999999);
  EXPECT_EQ(sqlite3_column_type(stmt, 3), SQLITE_TEXT);  // an empty string, not NULL
  EXPECT_EQ(text(3), "");
  EXPECT_EQ(sqlite3_column_int64(stmt, 4), 0);
  EXPECT_EQ(text(5), "1969-12-31");
  EXPECT_EQ(text(6), "1969-12-31 23:59:59");
  EXPECT_EQ(sqlite3_column_int64(stmt, 7), -1);

  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(stmt, 0), 3);
  for (int c = 1; c < 8; ++c) EXPECT_EQ(sqlite3_column_type(stmt, c), SQLITE_NULL) << c;
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
}

TEST_F(ExportSqlSqliteTest, InjectionLookingStringsAndNamesAreStoredVerbatim) {
  const std::vector<std::string> values = {"'); DROP TABLE victim; --", "Robert\"); --",
                                           "a''b", "x\ny\tz", "?", "$1"};
  std::vector<TextRow> rows;
  for (const std::string& value : values) rows.push_back({value});
  WriteDataset(input_, {{"it's \"odd\"", ds::Type::kString}}, rows);
  Exec("CREATE TABLE victim (x INT)");
  const Outcome outcome = Run({{"table", "t\"; DROP TABLE victim; --"}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  EXPECT_TRUE(TableExists("victim"));
  std::vector<Row> expected;
  for (const std::string& value : values) expected.push_back({value});
  EXPECT_EQ(Query("SELECT \"it's \"\"odd\"\"\" FROM \"t\"\"; DROP TABLE victim; --\" ORDER BY rowid"),
            expected);
}

TEST_F(ExportSqlSqliteTest, AppendAddsRowsToAnExistingTableWithMoreColumns) {
  Exec("CREATE TABLE sales (id INTEGER, name TEXT, amount DECIMAL(10,2), note TEXT DEFAULT 'kept')");
  Exec("INSERT INTO sales (id, name, amount) VALUES (100, 'old', 1)");
  WriteIdRows(1, 10);
  ASSERT_EQ(Run({{"table", "sales"}, {"mode", "append"}}).rc, 0);
  ASSERT_EQ(Run({{"table", "sales"}}).rc, 0);  // append is the default
  // 1 + 2 × 10 rows; ids 1..10 twice plus 100.
  EXPECT_EQ(Scalar("SELECT count(*) FROM sales"), "21");
  EXPECT_EQ(Scalar("SELECT sum(id) FROM sales"), std::to_string(2 * 55 + 100));
  EXPECT_EQ(Scalar("SELECT count(*) FROM sales WHERE note = 'kept'"), "21");
}

TEST_F(ExportSqlSqliteTest, ReplaceEmptiesTheTableThenInserts) {
  Exec("CREATE TABLE sales (id INTEGER, name TEXT, amount DECIMAL(10,2))");
  Exec("INSERT INTO sales VALUES (7, 'gone', 1), (8, 'gone', 2), (9, 'gone', 3)");
  WriteIdRows(1, 2);
  const Outcome outcome = Run({{"table", "sales"}, {"mode", "replace"}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  EXPECT_EQ(Dump("sales"), "1|n1|1.5|\n2|n2|2.5|\n");
}

TEST_F(ExportSqlSqliteTest, ReplaceWithAnEmptyDatasetLeavesAnEmptyTable) {
  Exec("CREATE TABLE sales (id INTEGER, name TEXT, amount DECIMAL(10,2))");
  Exec("INSERT INTO sales VALUES (7, 'gone', 1)");
  WriteIdRows(1, 0);
  ASSERT_EQ(Run({{"table", "sales"}, {"mode", "replace"}}).rc, 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM sales"), "0");
}

TEST_F(ExportSqlSqliteTest, UpsertTwiceUpdatesChangedRowsWithoutDuplicates) {
  WriteIdRows(1, 3, "first");
  ASSERT_EQ(Run({{"table", "people"}, {"mode", "upsert"}, {"key", {"id"}}}).rc, 0);
  WriteIdRows(2, 4, "second");
  const Outcome outcome = Run({{"table", "people"}, {"mode", "upsert"}, {"key", {"id"}}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  EXPECT_EQ(Dump("people"), "1|first1|1.5|\n2|second2|2.5|\n3|second3|3.5|\n4|second4|4.5|\n");
  // The created table declares the key as its primary key.
  EXPECT_EQ(Scalar("SELECT name FROM pragma_table_info('people') WHERE pk = 1"), "id");
}

TEST_F(ExportSqlSqliteTest, UpsertUsesAnExistingUniqueIndexOnTheKey) {
  Exec("CREATE TABLE people (id INTEGER, name TEXT, amount DECIMAL(10,2))");
  Exec("CREATE UNIQUE INDEX people_name ON people (name)");
  Exec("INSERT INTO people VALUES (9, 'n1', 0)");
  WriteIdRows(1, 2);
  const Outcome outcome = Run({{"table", "people"}, {"mode", "upsert"}, {"key", {"name"}}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  EXPECT_EQ(Dump("people"), "1|n1|1.5|\n2|n2|2.5|\n");
}

TEST_F(ExportSqlSqliteTest, UpsertWithoutAUniqueKeyOnTheTableFailsAndChangesNothing) {
  Exec("CREATE TABLE people (id INTEGER, name TEXT, amount DECIMAL(10,2))");
  Exec("INSERT INTO people VALUES (1, 'n1', 0)");
  WriteIdRows(1, 2);
  const Outcome outcome = Run({{"table", "people"}, {"mode", "upsert"}, {"key", {"id"}}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_TRUE(outcome.errors[0].starts_with("/key: ")) << outcome.errors[0];
  EXPECT_NE(outcome.errors[0].find("no primary key or unique index on exactly (id)"),
            std::string::npos)
      << outcome.errors[0];
  EXPECT_EQ(Dump("people"), "1|n1|0|\n");
}

TEST_F(ExportSqlSqliteTest, AFailureMidwayLeavesAnExistingTableExactlyAsItWas) {
  Exec("CREATE TABLE sales (id INTEGER, name TEXT NOT NULL, amount DECIMAL(10,2))");
  for (int id = 1; id <= 10; ++id) {
    Exec("INSERT INTO sales VALUES (" + std::to_string(1000 + id) + ", 'keep', " +
         std::to_string(id) + ")");
  }
  const std::string before = Dump("sales");
  std::vector<TextRow> rows;
  for (int id = 1; id <= 20; ++id) {
    // Row 13 breaks the NOT NULL constraint, after two batches of 5 went in.
    rows.push_back({std::to_string(id), id == 13 ? std::nullopt : std::optional<std::string>("x"),
                    "1.00"});
  }
  WriteDataset(input_,
               {{"id", ds::Type::kInt64}, {"name", ds::Type::kString},
                {"amount", ds::Type::kDecimal, 10, 2}},
               rows);
  for (const char* mode : {"append", "replace"}) {
    const Outcome outcome = Run({{"table", "sales"}, {"mode", mode}, {"batch_rows", 5}});
    EXPECT_NE(outcome.rc, 0) << mode;
    const std::string errors = ErrorsOf(outcome);
    EXPECT_NE(errors.find("inserting rows 11 to 15"), std::string::npos) << errors;
    EXPECT_NE(errors.find("NOT NULL constraint failed: sales.name"), std::string::npos) << errors;
    EXPECT_NE(errors.find("rolled back"), std::string::npos) << errors;
    EXPECT_EQ(Scalar("SELECT count(*) FROM sales"), "10") << mode;
    EXPECT_EQ(Dump("sales"), before) << mode;
  }
}

TEST_F(ExportSqlSqliteTest, AFailureOnATableItCreatedLeavesNoTable) {
  // A null key breaks the NOT NULL of the primary key the created table declares.
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"v", ds::Type::kString}},
               {{"1", "a"}, {std::nullopt, "b"}});
  const Outcome outcome = Run({{"table", "fresh"}, {"mode", "upsert"}, {"key", {"id"}}});
  EXPECT_NE(outcome.rc, 0);
  EXPECT_FALSE(TableExists("fresh"));
}

TEST_F(ExportSqlSqliteTest, AKeyColumnTheDatasetLacksFailsWithoutCreatingTheTable) {
  WriteIdRows(1, 2);
  const Outcome outcome =
      Run({{"table", "people"}, {"mode", "upsert"}, {"key", {"id", "missing"}}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0],
            "/key/1: key column 'missing' is not a column of the input dataset; its columns "
            "are: id, name, amount; fix: correct `key`");
  EXPECT_FALSE(TableExists("people"));
}

TEST_F(ExportSqlSqliteTest, AnExistingTableWithoutSomeDatasetColumnsFailsNamingThem) {
  Exec("CREATE TABLE narrow (ID INTEGER)");  // names compare without case in SQLite
  WriteIdRows(1, 2);
  const Outcome outcome = Run({{"table", "narrow"}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_TRUE(outcome.errors[0].starts_with("/table: table narrow in sqlite://" + db_path_ +
                                            " has no columns name, amount,"))
      << outcome.errors[0];
  EXPECT_EQ(Scalar("SELECT count(*) FROM narrow"), "0");
}

TEST_F(ExportSqlSqliteTest, AMissingTableFailsWhenCreateIsFalse) {
  WriteIdRows(1, 2);
  const Outcome outcome = Run({{"table", "absent"}, {"create", false}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_TRUE(outcome.errors[0].starts_with("/table: table absent does not exist"))
      << outcome.errors[0];
  EXPECT_FALSE(TableExists("absent"));
}

TEST_F(ExportSqlSqliteTest, EveryRowArrivesWhateverTheBatchAndChunkSizes) {
  constexpr int kRows = 1000;
  std::vector<TextRow> rows;
  for (int id = 1; id <= kRows; ++id) rows.push_back({std::to_string(id), "v"});
  // Chunks of 64 rows and batches of 7 rows: batches straddle chunks, the last is short.
  WriteDataset(input_, {{"id", ds::Type::kInt64}, {"v", ds::Type::kString}}, rows, 64);
  const Outcome outcome = Run({{"table", "many"}, {"batch_rows", 7}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  EXPECT_EQ(Scalar("SELECT count(*) FROM many"), std::to_string(kRows));
  EXPECT_EQ(Scalar("SELECT count(DISTINCT id) FROM many"), std::to_string(kRows));
  EXPECT_EQ(Scalar("SELECT sum(id) FROM many"), std::to_string(kRows * (kRows + 1) / 2));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), kRows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), kRows);
  // 8 bytes per id and 1 per "v".
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT), kRows * 9);
  ASSERT_FALSE(outcome.log.empty());
  EXPECT_NE(outcome.log.back().find("wrote 1000 rows into table many"), std::string::npos)
      << outcome.log.back();
  EXPECT_NE(outcome.log.back().find("rows/s"), std::string::npos) << outcome.log.back();
}

TEST_F(ExportSqlSqliteTest, ASchemaQualifiedTableNamesTheAttachedDatabase) {
  WriteIdRows(1, 3);
  const Outcome outcome = Run({{"table", "main.qualified"}});
  ASSERT_EQ(outcome.rc, 0) << ErrorsOf(outcome);
  EXPECT_EQ(Scalar("SELECT sum(id) FROM qualified"), "6");
}

TEST_F(ExportSqlSqliteTest, AnUnopenableFileFailsNamingTheConnection) {
  WriteIdRows(1, 1);
  const Outcome outcome =
      Run({{"table", "t"}, {"connection", "sqlite://" + dir_.string() + "/no/such/dir/x.db"}});
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_TRUE(outcome.errors[0].starts_with("/connection: cannot open sqlite://" +
                                            dir_.string() + "/no/such/dir/x.db"))
      << outcome.errors[0];
}

}  // namespace
}  // namespace sluice::export_sql
