// extract.mysql against a real MariaDB (the ctest fixture `mariadb`). Tables are made by a
// second connection (TestDatabase), and expected values are the literals inserted or what
// the server itself computes — never the plugin's own output.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"
#include "test_database.h"
#include "tests/servers/test_servers.h"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::mysql {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;
using sdk::testing::PluginOutcome;
using testing::TestDatabase;

constexpr const char* kPasswordVariable = "SLUICE_TEST_MYSQL_PASSWORD";

int64_t ToInt64(const std::string& text) { return std::stoll(text); }

class ExtractMysqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = sluice::testing::RequireServer("mariadb");
    if (endpoint_.missing()) GTEST_FAIL() << endpoint_.problem;
    db_ = std::make_unique<TestDatabase>(endpoint_);
    ::setenv(kPasswordVariable, endpoint_.password.c_str(), 1);
    std::string pattern = (fs::temp_directory_path() / "sluice-mysql-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    output_ = (dir_ / "out.sds").string();
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // A table named after the running test, so tests may run in parallel.
  std::string Table(const std::string& suffix = "") const {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string("t_") + info->name() + suffix;
  }

  nlohmann::json Config() const {
    return {{"connection", "mysql://" + endpoint_.user + "@" + endpoint_.host + ":" +
                               std::to_string(endpoint_.port) + "/" + endpoint_.database},
            {"password_env", kPasswordVariable}};
  }
  nlohmann::json TableConfig(const std::string& table) const {
    nlohmann::json config = Config();
    config["table"] = table;
    return config;
  }
  nlohmann::json QueryConfig(const std::string& query, nlohmann::json params = nullptr) const {
    nlohmann::json config = Config();
    config["query"] = query;
    if (!params.is_null()) config["params"] = params;
    return config;
  }

  PluginOutcome Run(const nlohmann::json& config) {
    fs::remove(output_);  // each run starts from nothing, so leftovers cannot pass a check
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.task_id = "extract";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  // Runs and expects success; the dataset is then at output_.
  ds::Reader RunOk(const nlohmann::json& config) {
    const PluginOutcome outcome = Run(config);
    EXPECT_EQ(outcome.rc, 0) << (outcome.errors.empty() ? "" : outcome.errors[0]);
    return ds::Reader(output_);
  }

  // Runs and expects failure with one error; nothing may be left at output_.
  std::string RunError(const nlohmann::json& config) {
    const PluginOutcome outcome = Run(config);
    EXPECT_NE(outcome.rc, 0);
    EXPECT_FALSE(fs::exists(output_)) << "a failed extract left a dataset behind";
    return outcome.errors.empty() ? "" : outcome.errors[0];
  }

  sluice::testing::ServerEndpoint endpoint_;
  std::unique_ptr<TestDatabase> db_;
  fs::path dir_;
  std::string output_;
};

TEST_F(ExtractMysqlTest, IntegersKeepTheirBoundaryValues) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" +
               "CREATE TABLE " + t + " (k INT, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, "
               "mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, y YEAR);\n" +
               "INSERT INTO " + t + " VALUES "
               "(1, -128, 255, -32768, -8388608, -2147483648, 4294967295, "
               "-9223372036854775808, 9223372036854775807, 1901),"
               "(2, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 0, 2155)");
  ds::Reader reader = RunOk(TableConfig(t));
  ASSERT_EQ(reader.row_count(), 2);
  for (const ds::Column& column : reader.schema()) {
    EXPECT_EQ(column.type, ds::Type::kInt64) << column.name;
  }
  const ds::ChunkView chunk = reader.chunk(0);
  const std::vector<std::vector<int64_t>> expected = {
      {1, -128, 255, -32768, -8388608, INT32_MIN, 4294967295, INT64_MIN, INT64_MAX, 1901},
      {2, 127, 0, 32767, 8388607, INT32_MAX, 0, INT64_MAX, 0, 2155}};
  for (int64_t row = 0; row < 2; ++row) {
    for (size_t c = 0; c < expected[0].size(); ++c) {
      EXPECT_EQ(chunk.column(c).Int64At(row), expected[row][c])
          << reader.schema()[c].name << " row " << row;
    }
  }
}

TEST_F(ExtractMysqlTest, UnsignedBigintBeyondInt64FailsNamingColumnAndRow) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (id INT, counter BIGINT UNSIGNED);\n" + "INSERT INTO " + t +
               " VALUES (1, 5), (2, 9223372036854775808)");
  nlohmann::json config = QueryConfig("SELECT id, counter FROM " + t + " ORDER BY id");
  const std::string error = RunError(config);
  EXPECT_NE(error.find("row 2"), std::string::npos) << error;
  EXPECT_NE(error.find("'counter'"), std::string::npos) << error;
  EXPECT_NE(error.find("9223372036854775808"), std::string::npos) << error;
  // Declared as a string, the same value is kept exactly.
  config["columns"] = {{{"name", "counter"}, {"type", "string"}}};
  ds::Reader reader = RunOk(config);
  EXPECT_EQ(reader.chunk(0).column(1).StringAt(1), "9223372036854775808");
}

TEST_F(ExtractMysqlTest, DecimalsAreExactAtTheirPrecisionAndScale) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (k INT, amount DECIMAL(10,2), big DECIMAL(18,4), whole DECIMAL(5,0), "
               "frac DECIMAL(3,3) UNSIGNED);\n" +
               "INSERT INTO " + t + " VALUES "
               "(1, -0.05, 99999999999999.9999, -99999, 0.001),"
               "(2, 12345678.90, -99999999999999.9999, 0, 0.999),"
               "(3, -99999999.99, 0.0001, 99999, 0)");
  ds::Reader reader = RunOk(QueryConfig("SELECT * FROM " + t + " ORDER BY k"));
  EXPECT_EQ(ds::TypeName(reader.schema()[1]), "decimal(10,2)");
  EXPECT_EQ(ds::TypeName(reader.schema()[2]), "decimal(18,4)");
  EXPECT_EQ(ds::TypeName(reader.schema()[3]), "decimal(5,0)");
  EXPECT_EQ(ds::TypeName(reader.schema()[4]), "decimal(3,3)");
  const ds::ChunkView chunk = reader.chunk(0);
  const std::vector<std::vector<int64_t>> unscaled = {  // the literals above, times 10^scale
      {-5, 999999999999999999, -99999, 1},
      {1234567890, -999999999999999999, 0, 999},
      {-9999999999, 1, 99999, 0}};
  for (int64_t row = 0; row < 3; ++row) {
    for (size_t c = 0; c < 4; ++c) {
      EXPECT_EQ(chunk.column(c + 1).DecimalAt(row), unscaled[row][c]) << "row " << row << " col "
                                                                      << c + 1;
    }
  }
  // The server's own sum agrees with the extracted cents.
  int64_t cents = 0;
  for (int64_t row = 0; row < 3; ++row) cents += chunk.column(1).DecimalAt(row);
  EXPECT_EQ(ds::FormatDecimal(cents, 2), db_->Scalar("SELECT SUM(amount) FROM " + t));
}

TEST_F(ExtractMysqlTest, DecimalBeyond18DigitsNeedsACastOrADeclaredType) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (saldo DECIMAL(30,4));\n" + "INSERT INTO " + t + " VALUES (-1234.5678)");
  const std::string error = RunError(TableConfig(t));
  EXPECT_NE(error.find("'saldo'"), std::string::npos) << error;
  EXPECT_NE(error.find("DECIMAL(30,4)"), std::string::npos) << error;
  EXPECT_NE(error.find("CAST(saldo AS DECIMAL(18,4))"), std::string::npos) << error;

  ds::Reader cast = RunOk(QueryConfig("SELECT CAST(saldo AS DECIMAL(18,4)) AS saldo FROM " + t));
  EXPECT_EQ(ds::TypeName(cast.schema()[0]), "decimal(18,4)");
  EXPECT_EQ(cast.chunk(0).column(0).DecimalAt(0), -12345678);

  nlohmann::json declared = TableConfig(t);
  declared["columns"] = {{{"name", "saldo"}, {"type", "decimal(12,2)"}}};
  const std::string rounded = RunError(declared);  // 4 digits do not fit scale 2: no rounding
  EXPECT_NE(rounded.find("'saldo'"), std::string::npos) << rounded;
  declared["columns"] = {{{"name", "saldo"}, {"type", "decimal(18,4)"}}};
  ds::Reader reader = RunOk(declared);
  EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(0), -12345678);
}

TEST_F(ExtractMysqlTest, FloatsAndDoublesAreFloat64) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (k INT, f FLOAT, d DOUBLE);\n" + "INSERT INTO " + t +
               " VALUES (1, 1.5, -2.25), (2, -0.125, 1e300), (3, 0, -1e-300)");
  ds::Reader reader = RunOk(QueryConfig("SELECT f, d FROM " + t + " ORDER BY k"));
  ASSERT_EQ(reader.schema()[0].type, ds::Type::kFloat64);
  ASSERT_EQ(reader.schema()[1].type, ds::Type::kFloat64);
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).Float64At(0), 1.5);
  EXPECT_EQ(chunk.column(1).Float64At(0), -2.25);
  EXPECT_EQ(chunk.column(0).Float64At(1), -0.125);
  EXPECT_EQ(chunk.column(1).Float64At(1), 1e300);
  EXPECT_EQ(chunk.column(1).Float64At(2), -1e-300);
}

TEST_F(ExtractMysqlTest, DatesAndTimestampsMatchTheServersOwnArithmetic) {
  const std::string t = Table();
  // Inserted in a session at +05:00: the TIMESTAMP is stored as 2024-01-01 00:00:00 UTC.
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (k INT, d DATE, dt DATETIME, dt6 DATETIME(6), ts TIMESTAMP(3) NULL);\n" +
               "SET time_zone = '+05:00';\n" + "INSERT INTO " + t + " VALUES "
               "(1, '1969-07-20', '1960-01-01 12:34:56', '1960-01-01 12:34:56.123456', "
               "'2024-01-01 05:00:00.250'),"
               "(2, '0001-01-01', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999', "
               "'1970-01-01 05:00:01'),"
               "(3, '9999-12-31', '9999-12-31 23:59:59', '2024-02-29 00:00:00.000001', "
               "'2038-01-19 08:14:07.999')");
  ds::Reader reader = RunOk(QueryConfig("SELECT d, dt, dt6, ts FROM " + t + " ORDER BY k"));
  EXPECT_EQ(reader.schema()[0].type, ds::Type::kDate);
  for (size_t c = 1; c < 4; ++c) EXPECT_EQ(reader.schema()[c].type, ds::Type::kTimestamp);
  const std::vector<testing::Row> expected = db_->Query(
      "SELECT DATEDIFF(d, '1970-01-01'), "
      "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', dt), "
      "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', dt6), "
      "CAST(UNIX_TIMESTAMP(ts) * 1000000 AS SIGNED) FROM " + t + " ORDER BY k");
  const ds::ChunkView chunk = reader.chunk(0);
  ASSERT_EQ(expected.size(), 3u);
  for (int64_t row = 0; row < 3; ++row) {
    EXPECT_EQ(chunk.column(0).DateAt(row), ToInt64(*expected[row][0])) << row;
    for (size_t c = 1; c < 4; ++c) {
      EXPECT_EQ(chunk.column(c).TimestampAt(row), ToInt64(*expected[row][c])) << row << "," << c;
    }
  }
  EXPECT_EQ(ds::FormatTimestamp(chunk.column(2).TimestampAt(0)), "1960-01-01 12:34:56.123456");
  EXPECT_EQ(ds::FormatTimestamp(chunk.column(3).TimestampAt(0)), "2024-01-01 00:00:00.250000");
}

TEST_F(ExtractMysqlTest, TheZeroDateIsNull) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "SET sql_mode = '';\n" +
               "CREATE TABLE " + t + " (d DATE, dt DATETIME);\n" + "INSERT INTO " + t +
               " VALUES ('0000-00-00', '0000-00-00 00:00:00')");
  ds::Reader reader = RunOk(TableConfig(t));
  EXPECT_TRUE(reader.chunk(0).column(0).IsNull(0));
  EXPECT_TRUE(reader.chunk(0).column(1).IsNull(0));
}

TEST_F(ExtractMysqlTest, TextKeepsUtf8QuotesDelimitersAndNewlines) {
  const std::string t = Table();
  const std::vector<std::string> texts = {
      "São João, Ação", "emoji 😀🇧🇷", "quotes ' \" ` \\ done", "a,b;c\td|e",
      "line one\nline two\r\nthree", "", "   spaces   ",
      std::string(70000, 'x')};  // longer than the connector's and the writer's small buffers
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (k INT, c CHAR(20), v VARCHAR(100), m MEDIUMTEXT, e ENUM('sim','não'), "
               "s SET('a','b'), j JSON) CHARACTER SET utf8mb4");
  for (size_t i = 0; i < texts.size(); ++i) {
    // Each text travels as the hex of its UTF-8 bytes, so no quoting of ours is involved.
    std::string hex;
    static const char* kDigits = "0123456789ABCDEF";
    for (unsigned char ch : texts[i]) {
      hex += kDigits[ch >> 4];
      hex += kDigits[ch & 15];
    }
    db_->Execute("INSERT INTO " + t + " VALUES (" + std::to_string(i) + ", 'ação', 'São', " +
                 (hex.empty() ? "''" : "CONVERT(X'" + hex + "' USING utf8mb4)") +
                 ", 'não', 'a,b', '{\"k\": \"ç\"}')");
  }
  ds::Reader reader = RunOk(QueryConfig("SELECT c, v, m, e, s, j FROM " + t + " ORDER BY k"));
  for (const ds::Column& column : reader.schema()) {
    EXPECT_EQ(column.type, ds::Type::kString) << column.name;
  }
  ASSERT_EQ(reader.row_count(), static_cast<int64_t>(texts.size()));
  const ds::ChunkView chunk = reader.chunk(0);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(chunk.column(2).StringAt(static_cast<int64_t>(i)), texts[i]) << i;
  }
  EXPECT_EQ(chunk.column(0).StringAt(0), "ação");
  EXPECT_EQ(chunk.column(1).StringAt(0), "São");
  EXPECT_EQ(chunk.column(3).StringAt(0), "não");
  EXPECT_EQ(chunk.column(4).StringAt(0), "a,b");
  EXPECT_EQ(chunk.column(5).StringAt(0), db_->Scalar("SELECT j FROM " + t + " WHERE k = 0"));
  // The server counts the same characters.
  EXPECT_EQ(db_->Scalar("SELECT CHAR_LENGTH(m) FROM " + t + " WHERE k = 1"), "9");
}

TEST_F(ExtractMysqlTest, NullInEveryColumnTypeIsNull) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (i INT, bu BIGINT UNSIGNED, d DECIMAL(10,2), f DOUBLE, dt DATE, ts DATETIME(6), "
               "v VARCHAR(5), e ENUM('x'), b BIT(1), w BIT(8));\n" +
               "INSERT INTO " + t + " VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
               "NULL, NULL), (1, 2, 3.5, 4, '2024-01-01', '2024-01-01', 'v', 'x', b'1', b'1')");
  ds::Reader reader = RunOk(QueryConfig("SELECT *, NULL AS nothing FROM " + t + " ORDER BY i"));
  ASSERT_EQ(reader.schema().size(), 11u);
  const ds::ChunkView chunk = reader.chunk(0);
  for (size_t c = 0; c < reader.schema().size(); ++c) {
    EXPECT_TRUE(chunk.column(c).IsNull(0)) << reader.schema()[c].name;
    if (c < 10) {
      EXPECT_FALSE(chunk.column(c).IsNull(1)) << reader.schema()[c].name;
    }
  }
  EXPECT_TRUE(chunk.column(10).IsNull(1));  // a bare NULL column is null on every row
}

TEST_F(ExtractMysqlTest, BitOneIsBoolWhileBooleanStaysAnInteger) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (k INT, flag BIT(1), mask BIT(8), ok BOOLEAN);\n" + "INSERT INTO " + t +
               " VALUES (1, b'1', b'10101010', TRUE), (2, b'0', b'0', 2)");
  ds::Reader reader = RunOk(QueryConfig("SELECT flag, mask, ok FROM " + t + " ORDER BY k"));
  EXPECT_EQ(reader.schema()[0].type, ds::Type::kBool);
  EXPECT_EQ(reader.schema()[1].type, ds::Type::kInt64);
  EXPECT_EQ(reader.schema()[2].type, ds::Type::kInt64);  // BOOLEAN is TINYINT(1): 2 is legal
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_TRUE(chunk.column(0).BoolAt(0));
  EXPECT_FALSE(chunk.column(0).BoolAt(1));
  EXPECT_EQ(chunk.column(1).Int64At(0), 0b10101010);
  EXPECT_EQ(chunk.column(2).Int64At(0), 1);
  EXPECT_EQ(chunk.column(2).Int64At(1), 2);
}

TEST_F(ExtractMysqlTest, UnsupportedTypeFailsWithTheFixAndWorksOnceDeclared) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (hora TIME, ok BOOLEAN);\n" + "INSERT INTO " + t + " VALUES ('12:34:56', 1)");
  const std::string error = RunError(TableConfig(t));
  EXPECT_NE(error.find("column 'hora' is TIME"), std::string::npos) << error;
  EXPECT_NE(error.find("CAST(hora AS CHAR)"), std::string::npos) << error;
  nlohmann::json declared = TableConfig(t);
  declared["columns"] = {{{"name", "hora"}, {"type", "string"}}, {{"name", "ok"}, {"type", "bool"}}};
  ds::Reader reader = RunOk(declared);
  EXPECT_EQ(reader.chunk(0).column(0).StringAt(0), "12:34:56");
  EXPECT_EQ(reader.schema()[1].type, ds::Type::kBool);
  EXPECT_TRUE(reader.chunk(0).column(1).BoolAt(0));
}

TEST_F(ExtractMysqlTest, DeclaringAColumnTheResultLacksNamesTheResultsColumns) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t + " (id INT)");
  nlohmann::json config = TableConfig(t);
  config["columns"] = {{{"name", "vlr"}, {"type", "decimal(12,2)"}}};
  const std::string error = RunError(config);
  EXPECT_NE(error.find("/columns/0/name"), std::string::npos) << error;
  EXPECT_NE(error.find("'vlr'"), std::string::npos) << error;
  EXPECT_NE(error.find("returns: id"), std::string::npos) << error;
}

TEST_F(ExtractMysqlTest, AnEmptyTableGivesAnEmptyTypedDataset) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (id INT, vlr DECIMAL(10,2), quando DATETIME)");
  ds::Reader reader = RunOk(TableConfig(t));
  EXPECT_EQ(reader.row_count(), 0);
  ASSERT_EQ(reader.schema().size(), 3u);
  EXPECT_EQ(ds::TypeName(reader.schema()[1]), "decimal(10,2)");
  EXPECT_EQ(reader.schema()[2].type, ds::Type::kTimestamp);
}

TEST_F(ExtractMysqlTest, ParamsAreBoundAsValuesNeverAsSql) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (id INT, des VARCHAR(50), quando DATETIME);\n" + "INSERT INTO " + t +
               " VALUES (1, 'compra', '2024-01-01 10:00:00'), (2, 'saque', '2024-01-02 00:00:00'),"
               " (3, ''' OR 1=1 --', '2024-01-03 00:00:00'), (4, 'pix', '2023-12-31 23:59:59')");
  const std::string query = "SELECT id, des FROM " + t + " WHERE des = ? ORDER BY id";
  // An injection-looking value matches only the row that holds exactly that text.
  ds::Reader injected = RunOk(QueryConfig(query, {"' OR 1=1 --"}));
  ASSERT_EQ(injected.row_count(), 1);
  EXPECT_EQ(injected.chunk(0).column(0).Int64At(0), 3);
  EXPECT_EQ(RunOk(QueryConfig(query, {"x' OR '1'='1"})).row_count(), 0);
  // A date interval, as a DAG's templates would give it.
  const std::string interval = "SELECT id FROM " + t +
                               " WHERE quando >= ? AND quando < ? ORDER BY id";
  ds::Reader day = RunOk(QueryConfig(interval, {"2024-01-01", "2024-01-02"}));
  EXPECT_EQ(std::to_string(day.row_count()),
            db_->Scalar("SELECT COUNT(*) FROM " + t +
                        " WHERE quando >= '2024-01-01' AND quando < '2024-01-02'"));
  // Numbers, booleans and null keep their types.
  ds::Reader typed = RunOk(QueryConfig("SELECT ? + 1 AS n, ? * 2 AS x, ? IS NULL AS z, ? AS b",
                                       {41, 1.25, nullptr, true}));
  const ds::ChunkView chunk = typed.chunk(0);
  EXPECT_EQ(chunk.column(0).Int64At(0), 42);
  EXPECT_EQ(chunk.column(2).Int64At(0), 1);
  EXPECT_EQ(chunk.column(3).Int64At(0), 1);
}

TEST_F(ExtractMysqlTest, WrongPasswordFailsWithTheServerMessageButNotThePassword) {
  const std::string wrong = "Wr0ng-" + endpoint_.password.substr(0, 6) + "-pw";
  ::setenv("SLUICE_TEST_MYSQL_WRONG", wrong.c_str(), 1);
  nlohmann::json config = QueryConfig("SELECT 1");
  config["password_env"] = "SLUICE_TEST_MYSQL_WRONG";
  const PluginOutcome outcome = Run(config);
  ASSERT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  const std::string& error = outcome.errors[0];
  EXPECT_NE(error.find("1045"), std::string::npos) << error;
  EXPECT_NE(error.find("Access denied"), std::string::npos) << error;
  EXPECT_NE(error.find("mysql://" + endpoint_.user + "@"), std::string::npos) << error;
  EXPECT_NE(error.find("$SLUICE_TEST_MYSQL_WRONG"), std::string::npos) << error;
  for (const std::string& text : outcome.log) {
    EXPECT_EQ(text.find(wrong), std::string::npos) << text;
  }
  EXPECT_EQ(error.find(wrong), std::string::npos) << error;
  EXPECT_EQ(error.find(endpoint_.password), std::string::npos) << error;
}

TEST_F(ExtractMysqlTest, TheRealPasswordAppearsInNoMessageOrLogLine) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t + " (id INT)");
  const PluginOutcome ok = Run(TableConfig(t));
  ASSERT_EQ(ok.rc, 0);
  ASSERT_FALSE(ok.log.empty());
  // A failing query whose text quotes the password: the server echoes the query back.
  const PluginOutcome failed = Run(QueryConfig("SELEC '" + endpoint_.password + "'"));
  ASSERT_NE(failed.rc, 0);
  for (const PluginOutcome* outcome : {&ok, &failed}) {
    for (const std::string& text : outcome->log) {
      EXPECT_EQ(text.find(endpoint_.password), std::string::npos) << text;
    }
    for (const std::string& text : outcome->errors) {
      EXPECT_EQ(text.find(endpoint_.password), std::string::npos) << text;
    }
  }
}

TEST_F(ExtractMysqlTest, BadSqlFailsWithTheServersMessageAndCode) {
  const std::string error = RunError(QueryConfig("SELEC id FROM nowhere"));
  EXPECT_NE(error.find("1064"), std::string::npos) << error;
  EXPECT_NE(error.find("You have an error in your SQL syntax"), std::string::npos) << error;
  EXPECT_NE(error.find("fix:"), std::string::npos) << error;
  const std::string missing = RunError(TableConfig("no_such_table"));
  EXPECT_NE(missing.find("1146"), std::string::npos) << missing;
  EXPECT_NE(missing.find("no_such_table"), std::string::npos) << missing;
}

TEST_F(ExtractMysqlTest, AConnectionKilledMidStreamFailsTheAttemptAndWritesNothing) {
  // The server sends the first rows, then sleeps inside the result; a second connection
  // kills the extracting one while it waits for more.
  const std::string marker = "sluice_kill_" + std::to_string(::getpid());
  const std::string query = "SELECT seq, IF(seq = 20000, SLEEP(30), 0) AS pause, '" + marker +
                            "' AS marker FROM seq_1_to_40000";
  std::atomic<bool> killed{false};
  std::thread killer([&] {
    TestDatabase second(endpoint_);
    for (int i = 0; i < 200 && !killed; ++i) {
      const std::vector<testing::Row> ids = second.Query(
          "SELECT id FROM information_schema.processlist WHERE info LIKE '%" + marker +
          "%' AND info NOT LIKE '%processlist%' AND state = 'User sleep'");
      if (!ids.empty() && ids[0][0]) {
        second.Execute("KILL CONNECTION " + *ids[0][0]);
        killed = true;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  });
  const auto started = std::chrono::steady_clock::now();
  const PluginOutcome outcome = Run(QueryConfig(query));
  killer.join();
  ASSERT_TRUE(killed) << "the extracting connection was never seen sleeping";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
  ASSERT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_NE(outcome.errors[0].find("MySQL error 2013"), std::string::npos) << outcome.errors[0];
  EXPECT_NE(outcome.errors[0].find("retried"), std::string::npos) << outcome.errors[0];
  EXPECT_FALSE(fs::exists(output_));
}

TEST_F(ExtractMysqlTest, ReportsRowsAndBytesAndLogsTheRate) {
  const std::string t = Table();
  db_->Execute("DROP TABLE IF EXISTS " + t + ";\n" + "CREATE TABLE " + t +
               " (id INT PRIMARY KEY, vlr DECIMAL(10,2));\n" + "INSERT INTO " + t +
               " SELECT seq, seq / 100 FROM seq_1_to_70000");  // more than one chunk
  const PluginOutcome outcome = Run(TableConfig(t));
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  const int64_t rows = ToInt64(db_->Scalar("SELECT COUNT(*) FROM " + t));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), rows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), rows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT),
            static_cast<int64_t>(fs::file_size(output_)));
  ASSERT_EQ(outcome.log.size(), 1u);
  EXPECT_NE(outcome.log[0].find("read " + std::to_string(rows) + " rows"), std::string::npos)
      << outcome.log[0];
  EXPECT_NE(outcome.log[0].find("rows/s"), std::string::npos) << outcome.log[0];
  // Every chunk's values add up to the server's sum.
  ds::Reader reader(output_);
  EXPECT_GT(reader.chunk_count(), 1u);
  int64_t cents = 0;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r) cents += chunk.column(1).DecimalAt(r);
  }
  EXPECT_EQ(ds::FormatDecimal(cents, 2), db_->Scalar("SELECT SUM(vlr) FROM " + t));
}

}  // namespace
}  // namespace sluice::mysql
