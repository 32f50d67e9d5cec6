// extract.postgres against a real PostgreSQL server (the ctest fixture `postgres`, started by
// tests/servers/postgres.sh). Every expected value is either the literal the test inserted or
// what the database itself computes on a second connection.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"
#include "tests/servers/test_servers.h"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::postgres {
namespace {

namespace ds = sluice::dataset;
namespace fs = std::filesystem;
using Outcome = sdk::testing::PluginOutcome;

constexpr const char* kPasswordVariable = "SLUICE_TEST_PG_PASSWORD";

struct ConnectionDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};

class ExtractPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::RequireServer("postgres");
    if (server_.missing()) GTEST_FAIL() << server_.problem;
    const std::string port = std::to_string(server_.port);
    const char* keywords[] = {"host", "port", "user", "password", "dbname", nullptr};
    const char* values[] = {server_.host.c_str(), port.c_str(), server_.user.c_str(),
                            server_.password.c_str(), server_.database.c_str(), nullptr};
    admin_.reset(PQconnectdbParams(keywords, values, 0));
    ASSERT_EQ(PQstatus(admin_.get()), CONNECTION_OK) << PQerrorMessage(admin_.get());
    // Tests may run in parallel: each gets its own schema.
    static std::atomic<int> counter{0};
    schema_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    Exec("CREATE SCHEMA " + schema_);
    ::setenv(kPasswordVariable, server_.password.c_str(), 1);

    std::string pattern = (fs::temp_directory_path() / "sluice-pgextract-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    output_ = (dir_ / "out.sds").string();
  }

  void TearDown() override {
    if (admin_) Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!dir_.empty()) fs::remove_all(dir_);
    ::unsetenv(kPasswordVariable);
  }

  void Exec(const std::string& sql) {
    const std::unique_ptr<PGresult, ResultDeleter> result(PQexec(admin_.get(), sql.c_str()));
    const ExecStatusType status = PQresultStatus(result.get());
    ASSERT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(result.get());
  }

  // The first value of the first row of `sql`, as text, computed by the database.
  std::string Scalar(const std::string& sql) {
    const std::unique_ptr<PGresult, ResultDeleter> result(PQexec(admin_.get(), sql.c_str()));
    EXPECT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQresultErrorMessage(result.get());
    if (PQntuples(result.get()) < 1) return "";
    return PQgetvalue(result.get(), 0, 0);
  }

  std::string Connection() const {
    return "postgresql://" + server_.user + "@" + server_.host + ":" +
           std::to_string(server_.port) + "/" + server_.database;
  }

  nlohmann::json TableConfig(const std::string& table) const {
    return {{"connection", Connection()}, {"password_env", kPasswordVariable},
            {"table", schema_ + "." + table}};
  }

  nlohmann::json QueryConfig(const std::string& query) const {
    return {{"connection", Connection()}, {"password_env", kPasswordVariable}, {"query", query}};
  }

  Outcome Run(const nlohmann::json& config) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.task_id = "extract";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  // The single error of a failed run; also checks that no dataset (or temporary) was left.
  std::string RunError(const nlohmann::json& config) {
    const Outcome outcome = Run(config);
    EXPECT_NE(outcome.rc, 0);
    EXPECT_FALSE(fs::exists(output_));
    EXPECT_TRUE(fs::is_empty(dir_)) << "a failed attempt left files in " << dir_;
    EXPECT_EQ(outcome.errors.size(), 1u);
    return outcome.errors.empty() ? "" : outcome.errors[0];
  }

  testing::ServerEndpoint server_;
  std::unique_ptr<PGconn, ConnectionDeleter> admin_;
  std::string schema_;
  fs::path dir_;
  std::string output_;
};

#define ASSERT_RUN_OK(outcome) \
  ASSERT_EQ((outcome).rc, 0) << ((outcome).errors.empty() ? "" : (outcome).errors[0])

TEST_F(ExtractPostgresTest, EveryTypeKeepsItsBoundaryValuesExactly) {
  Exec("CREATE TABLE " + schema_ + ".types (i2 smallint, i4 integer, i8 bigint, "
       "money numeric(18,4), cents numeric(5,2), r real, d double precision, b boolean, "
       "day date, at timestamp, atz timestamptz, t text, v varchar(10), c char(5), "
       "n name, u uuid)");
  Exec("INSERT INTO " + schema_ + ".types VALUES "
       "(-32768, -2147483648, -9223372036854775808, -99999999999999.9999, -0.05, -1.5, "
       " 'NaN', false, '1900-01-01', '1969-12-31 23:59:59.999999', "
       " '2024-03-10 12:34:56.789012+00', '', 'v', 'CC', 'pg_class', "
       " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),"
       "(32767, 2147483647, 9223372036854775807, 99999999999999.9999, 999.99, 0.1, "
       " '-Infinity', true, '0001-01-01', '9999-12-31 23:59:59.999999', "
       " '1969-07-20 20:17:40-03', 'x', 'ten chars!', 'CP   ', 'n', "
       " '00000000-0000-0000-0000-000000000000')");
  const Outcome outcome = Run(TableConfig("types"));
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), 2);
  std::vector<std::string> types;
  for (const ds::Column& column : reader.schema()) types.push_back(ds::TypeName(column));
  EXPECT_EQ(types, (std::vector<std::string>{"int64", "int64", "int64", "decimal(18,4)",
                                             "decimal(5,2)", "float64", "float64", "bool", "date",
                                             "timestamp", "timestamp", "string", "string",
                                             "string", "string", "string"}));
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).Int64At(0), -32768);
  EXPECT_EQ(chunk.column(0).Int64At(1), 32767);
  EXPECT_EQ(chunk.column(1).Int64At(0), -2147483648LL);
  EXPECT_EQ(chunk.column(1).Int64At(1), 2147483647);
  EXPECT_EQ(chunk.column(2).Int64At(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(chunk.column(2).Int64At(1), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(chunk.column(3).DecimalAt(0), -999999999999999999);
  EXPECT_EQ(chunk.column(3).DecimalAt(1), 999999999999999999);
  EXPECT_EQ(chunk.column(4).DecimalAt(0), -5);
  EXPECT_EQ(chunk.column(4).DecimalAt(1), 99999);
  EXPECT_EQ(chunk.column(5).Float64At(0), -1.5);
  EXPECT_EQ(chunk.column(5).Float64At(1), 0.1);  // real 0.1 arrives as its shortest text
  EXPECT_TRUE(std::isnan(chunk.column(6).Float64At(0)));
  EXPECT_EQ(chunk.column(6).Float64At(1), -std::numeric_limits<double>::infinity());
  EXPECT_FALSE(chunk.column(7).BoolAt(0));
  EXPECT_TRUE(chunk.column(7).BoolAt(1));
  // python3: (date(1900,1,1) - date(1970,1,1)).days, (date(1,1,1) - date(1970,1,1)).days
  EXPECT_EQ(chunk.column(8).DateAt(0), -25567);
  EXPECT_EQ(chunk.column(8).DateAt(1), -719162);
  EXPECT_EQ(chunk.column(9).TimestampAt(0), -1);
  // python3: (datetime(9999,12,31) - datetime(1970,1,1)).days == 2932896
  EXPECT_EQ(chunk.column(9).TimestampAt(1), (2932896 + 1) * 86'400'000'000LL - 1);
  EXPECT_EQ(chunk.column(10).TimestampAt(0), 1710074096789012);
  // 1969-07-20 20:17:40-03 is 23:17:40 UTC, 165 days before the epoch:
  // -165 * 86400 + 23 * 3600 + 17 * 60 + 40 = -14172140 seconds.
  EXPECT_EQ(chunk.column(10).TimestampAt(1), -14172140'000000LL);
  EXPECT_EQ(chunk.column(11).StringAt(0), "");
  EXPECT_FALSE(chunk.column(11).IsNull(0));
  EXPECT_EQ(chunk.column(12).StringAt(1), "ten chars!");
  EXPECT_EQ(chunk.column(13).StringAt(0), "CC");  // char(5) padding removed
  EXPECT_EQ(chunk.column(13).StringAt(1), "CP");
  EXPECT_EQ(chunk.column(14).StringAt(0), "pg_class");
  EXPECT_EQ(chunk.column(15).StringAt(0), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
}

TEST_F(ExtractPostgresTest, NullInEveryColumnStaysNull) {
  Exec("CREATE TABLE " + schema_ + ".nulls (i bigint, m numeric(10,2), f float8, b bool, "
       "d date, ts timestamp, tz timestamptz, t text, c char(3), u uuid)");
  Exec("INSERT INTO " + schema_ + ".nulls DEFAULT VALUES");
  Exec("INSERT INTO " + schema_ + ".nulls VALUES (1, 1, 1, true, '2024-01-01', "
       "'2024-01-01', '2024-01-01', 't', 'c', gen_random_uuid())");
  const Outcome outcome = Run(TableConfig("nulls"));
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), 2);
  const ds::ChunkView chunk = reader.chunk(0);
  for (size_t c = 0; c < chunk.column_count(); ++c) {
    EXPECT_TRUE(chunk.column(c).IsNull(0)) << reader.schema()[c].name;
    EXPECT_FALSE(chunk.column(c).IsNull(1)) << reader.schema()[c].name;
  }
}

TEST_F(ExtractPostgresTest, TimestamptzIsUtcWhateverTheSessionDefaultsSay) {
  // libpq applies these to the session; the plugin must override them all.
  ::setenv("PGTZ", "America/Sao_Paulo", 1);
  ::setenv("PGDATESTYLE", "SQL, DMY", 1);
  ::setenv("PGOPTIONS", "-c TimeZone=Asia/Kolkata -c extra_float_digits=-3", 1);
  const Outcome outcome = Run(QueryConfig(
      "SELECT timestamptz '2024-03-10 12:34:56.789012+00' AS at, date '1969-07-20' AS day, "
      "float8 '0.1' + float8 '0.2' AS sum"));
  ::unsetenv("PGTZ");
  ::unsetenv("PGDATESTYLE");
  ::unsetenv("PGOPTIONS");
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).TimestampAt(0), 1710074096789012);
  EXPECT_EQ(chunk.column(1).DateAt(0), -165);
  EXPECT_EQ(chunk.column(2).Float64At(0), 0.1 + 0.2);  // all digits, not 0.3
}

TEST_F(ExtractPostgresTest, Utf8AndCharactersThatBreakTextFormatsRoundTrip) {
  const std::vector<std::string> texts = {
      "S\xC3\xA3o Jo\xC3\xA3o \xE2\x80\x93 a\xC3\xA7\xC3\xA3o",  // São João – ação
      "\xF0\x9F\x98\x80 emoji",                                   // 😀
      "quotes \" and ' and ''",
      "delimiters , ; | \t tab",
      "lines\nLF and\r\nCRLF",
      "backslashes \\ \\N \\t \\\\",
      "\\N",
  };
  Exec("CREATE TABLE " + schema_ + ".texts (id int, t text)");
  for (size_t i = 0; i < texts.size(); ++i) {
    const char* values[] = {texts[i].c_str()};
    const std::string sql = "INSERT INTO " + schema_ + ".texts VALUES (" + std::to_string(i) +
                            ", $1)";
    const std::unique_ptr<PGresult, ResultDeleter> result(
        PQexecParams(admin_.get(), sql.c_str(), 1, nullptr, values, nullptr, nullptr, 0));
    ASSERT_EQ(PQresultStatus(result.get()), PGRES_COMMAND_OK);
  }
  const Outcome outcome =
      Run(QueryConfig("SELECT t FROM " + schema_ + ".texts ORDER BY id"));
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), static_cast<int64_t>(texts.size()));
  const ds::ChunkView chunk = reader.chunk(0);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(chunk.column(0).StringAt(static_cast<int64_t>(i)), texts[i]) << i;
  }
}

TEST_F(ExtractPostgresTest, EmptyTableGivesAnEmptyDatasetWithItsTypes) {
  Exec("CREATE TABLE " + schema_ + ".empty (id bigint, valor numeric(12,2), at timestamptz)");
  const Outcome outcome = Run(TableConfig("empty"));
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.row_count(), 0);
  ASSERT_EQ(reader.schema().size(), 3u);
  EXPECT_EQ(ds::TypeName(reader.schema()[1]), "decimal(12,2)");
  EXPECT_EQ(reader.schema()[2].type, ds::Type::kTimestamp);
}

TEST_F(ExtractPostgresTest, TableNamesAreQuotedSoCaseAndSpacesWork) {
  Exec("CREATE TABLE " + schema_ + ".\"Movimento Diário\" (id int)");
  Exec("INSERT INTO " + schema_ + ".\"Movimento Diário\" VALUES (7)");
  const Outcome outcome = Run(TableConfig("Movimento Diário"));
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), 1);
  EXPECT_EQ(reader.chunk(0).column(0).Int64At(0), 7);
}

TEST_F(ExtractPostgresTest, BoundParamsSelectExactlyAndInjectionStaysAValue) {
  const std::string hostile = "x'); DROP TABLE " + schema_ + ".people; --";
  Exec("CREATE TABLE " + schema_ + ".people (id int, name text, seen date)");
  const char* values[] = {hostile.c_str()};
  const std::unique_ptr<PGresult, ResultDeleter> inserted(PQexecParams(
      admin_.get(),
      ("INSERT INTO " + schema_ + ".people VALUES (1, 'ana', '2024-01-31'), "
       "(2, $1, '2024-02-01'), (3, 'bia', '2024-02-29'), (4, 'caio', '2024-03-01')").c_str(),
      1, nullptr, values, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(inserted.get()), PGRES_COMMAND_OK);

  nlohmann::json config =
      QueryConfig("SELECT id FROM " + schema_ +
                  ".people WHERE name = $1 OR (seen >= $2 AND seen < $3) ORDER BY id");
  config["params"] = {hostile, "2024-02-02", "2024-03-01"};
  const Outcome outcome = Run(config);
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), 2);
  EXPECT_EQ(reader.chunk(0).column(0).Int64At(0), 2);  // the hostile name, matched as a value
  EXPECT_EQ(reader.chunk(0).column(0).Int64At(1), 3);  // 2024-02-29 in [02-02, 03-01)
  EXPECT_EQ(Scalar("SELECT count(*) FROM " + schema_ + ".people"), "4");
}

TEST_F(ExtractPostgresTest, NullParamBindsSqlNull) {
  nlohmann::json config = QueryConfig("SELECT $1::int IS NULL AS missing, $2::int AS five");
  config["params"] = {nullptr, 5};
  const Outcome outcome = Run(config);
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  EXPECT_TRUE(reader.chunk(0).column(0).BoolAt(0));
  EXPECT_EQ(reader.chunk(0).column(1).Int64At(0), 5);
}

TEST_F(ExtractPostgresTest, WrongPasswordFailsWithTheServerMessageButNeverThePassword) {
  const std::string wrong = "Wr0ng-" + server_.password;
  ::setenv("SLUICE_TEST_PG_WRONG", wrong.c_str(), 1);
  nlohmann::json config = TableConfig("anything");
  config["password_env"] = "SLUICE_TEST_PG_WRONG";
  const std::string error = RunError(config);
  ::unsetenv("SLUICE_TEST_PG_WRONG");
  EXPECT_NE(error.find("password authentication failed"), std::string::npos) << error;
  EXPECT_NE(error.find(Connection()), std::string::npos) << error;
  EXPECT_EQ(error.find(wrong), std::string::npos) << error;
  EXPECT_EQ(error.find(server_.password), std::string::npos) << error;
}

TEST_F(ExtractPostgresTest, PasswordFromAFileConnects) {
  const std::string file = (dir_ / "password").string();
  { std::ofstream(file) << server_.password << "\n"; }
  nlohmann::json config = QueryConfig("SELECT current_user AS who");
  config.erase("password_env");
  config["password_file"] = file;
  const Outcome outcome = Run(config);
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.chunk(0).column(0).StringAt(0), server_.user);
}

TEST_F(ExtractPostgresTest, BadSqlReportsTheServerMessageAndSqlstate) {
  const std::string syntax = RunError(QueryConfig("SELEC 1"));
  EXPECT_NE(syntax.find("syntax error at or near \"SELEC\""), std::string::npos) << syntax;
  EXPECT_NE(syntax.find("SQLSTATE 42601"), std::string::npos) << syntax;
  const std::string missing = RunError(TableConfig("no_such_table"));
  EXPECT_NE(missing.find("does not exist"), std::string::npos) << missing;
  EXPECT_NE(missing.find("SQLSTATE 42P01"), std::string::npos) << missing;
}

TEST_F(ExtractPostgresTest, ServerErrorMidStreamFailsTheAttemptAndLeavesNoDataset) {
  // Row g = 100000 divides by zero; the 99999 rows before it have already streamed.
  const std::string error = RunError(
      QueryConfig("SELECT g, 1 / (100000 - g) AS x FROM generate_series(1, 200000) g"));
  EXPECT_NE(error.find("division by zero"), std::string::npos) << error;
  EXPECT_NE(error.find("SQLSTATE 22012"), std::string::npos) << error;
  EXPECT_NE(error.find("after 99999 rows"), std::string::npos) << error;
}

TEST_F(ExtractPostgresTest, WritesAreRefusedBecauseTheSessionIsReadOnly) {
  Exec("CREATE TABLE " + schema_ + ".keep (id int)");
  const std::string error =
      RunError(QueryConfig("INSERT INTO " + schema_ + ".keep VALUES (1) RETURNING id"));
  EXPECT_NE(error.find("SQLSTATE 25006"), std::string::npos) << error;  // read_only_sql_transaction
  EXPECT_EQ(Scalar("SELECT count(*) FROM " + schema_ + ".keep"), "0");
}

TEST_F(ExtractPostgresTest, UnconstrainedNumericNeedsACastOrADeclaredType) {
  Exec("CREATE TABLE " + schema_ + ".amounts (v numeric(12,2))");
  Exec("INSERT INTO " + schema_ + ".amounts SELECT (g * 7919 % 100000 - 50000) / 100.0 "
       "FROM generate_series(1, 1000) g");
  const std::string sql = "SELECT sum(v) AS total FROM " + schema_ + ".amounts";
  const std::string error = RunError(QueryConfig(sql));
  EXPECT_NE(error.find("total::numeric(18,2)"), std::string::npos) << error;

  nlohmann::json declared = QueryConfig(sql);
  declared["columns"] = {{{"name", "total"}, {"type", "decimal(18,2)"}}};
  const Outcome outcome = Run(declared);
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  EXPECT_EQ(ds::FormatDecimal(reader.chunk(0).column(0).DecimalAt(0), 2), Scalar(sql));
}

TEST_F(ExtractPostgresTest, DeclaredColumnMissingFromTheResultPointsAtTheDeclaration) {
  nlohmann::json config = QueryConfig("SELECT 1 AS id");
  config["columns"] = {{{"name", "Id"}, {"type", "string"}}};
  const std::string error = RunError(config);
  EXPECT_EQ(error.rfind("/columns/0/name: ", 0), 0u) << error;
  EXPECT_NE(error.find("its columns: id"), std::string::npos) << error;
}

TEST_F(ExtractPostgresTest, UnmappedTypeNamesTheColumnAndTheFix) {
  const std::string error = RunError(QueryConfig("SELECT '{\"a\":1}'::jsonb AS doc"));
  EXPECT_NE(error.find("column 'doc' has type jsonb"), std::string::npos) << error;
  nlohmann::json declared = QueryConfig("SELECT '{\"a\":1}'::jsonb AS doc");
  declared["columns"] = {{{"name", "doc"}, {"type", "string"}}};
  ASSERT_RUN_OK(Run(declared));
  EXPECT_EQ(ds::Reader(output_).chunk(0).column(0).StringAt(0),
            Scalar("SELECT '{\"a\":1}'::jsonb::text"));
}

TEST_F(ExtractPostgresTest, ManyChunksSumExactlyAndCountersMatchTheDatabase) {
  Exec("CREATE TABLE " + schema_ + ".moves AS SELECT g AS id, "
       "((g * 7919) % 2000001 - 1000000)::numeric(12,2) / 100 AS valor "
       "FROM generate_series(1, 150000) g");
  Exec("ALTER TABLE " + schema_ + ".moves ALTER valor TYPE numeric(12,2)");
  const Outcome outcome = Run(TableConfig("moves"));
  ASSERT_RUN_OK(outcome);
  ds::Reader reader(output_);
  const int64_t expected_rows = std::stoll(Scalar("SELECT count(*) FROM " + schema_ + ".moves"));
  ASSERT_EQ(reader.row_count(), expected_rows);
  EXPECT_GT(reader.chunk_count(), 1u);
  int64_t sum = 0;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r) sum += chunk.column(1).DecimalAt(r);
  }
  EXPECT_EQ(ds::FormatDecimal(sum, 2), Scalar("SELECT sum(valor) FROM " + schema_ + ".moves"));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), expected_rows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), expected_rows);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT),
            static_cast<int64_t>(fs::file_size(output_)));
  ASSERT_FALSE(outcome.log.empty());
  EXPECT_NE(outcome.log.back().find("read " + std::to_string(expected_rows) + " rows"),
            std::string::npos)
      << outcome.log.back();
  EXPECT_NE(outcome.log.back().find("rows/s"), std::string::npos) << outcome.log.back();
}

TEST_F(ExtractPostgresTest, UnreachableServerFailsNamingTheConnection) {
  nlohmann::json config = TableConfig("t");
  config["connection"] = "postgresql://sluice@127.0.0.1:1/sluice_test";
  const std::string error = RunError(config);
  EXPECT_EQ(error.rfind(
                "/connection: cannot connect to postgresql://sluice@127.0.0.1:1/sluice_test", 0),
            0u)
      << error;
}

}  // namespace
}  // namespace sluice::postgres
