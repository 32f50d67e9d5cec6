// export.parquet read back by an independent reader: DuckDB (tests/npm/duckdb_query.js).
// Expected values are computed here from the rows the test wrote, never from the writer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "duckdb_reader.h"
#include "parquet_export.h"
#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::parquet {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;
using testing::QueryDuckDb;
using testing::QueryResult;
using testing::SqlString;
using Outcome = sdk::testing::PluginOutcome;

// A cell of a test table: null, a whole number (int64, decimal unscaled, date days,
// timestamp micros), a double, a string or a bool.
using Cell = std::variant<std::monostate, int64_t, double, std::string, bool>;

struct Table {
  ds::Schema schema;
  std::vector<std::vector<Cell>> rows;
};

// ----------------------------------------------------------------------------------------
// Expected values, formatted here the way DuckDB prints them.

std::string DecimalText(int64_t unscaled, int scale) {
  const bool negative = unscaled < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(unscaled) : static_cast<uint64_t>(unscaled);
  uint64_t power = 1;
  for (int i = 0; i < scale; ++i) power *= 10;
  std::string text = (negative ? "-" : "") + std::to_string(magnitude / power);
  if (scale > 0) {
    std::string fraction = std::to_string(magnitude % power);
    text += "." + std::string(static_cast<size_t>(scale) - fraction.size(), '0') + fraction;
  }
  return text;
}

std::string DateText(int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::string DuckDbTypeOf(const ds::Column& column) {
  switch (column.type) {
    case ds::Type::kInt64: return "BIGINT";
    case ds::Type::kFloat64: return "DOUBLE";
    case ds::Type::kDecimal:
      return "DECIMAL(" + std::to_string(column.precision) + "," + std::to_string(column.scale) + ")";
    case ds::Type::kString: return "VARCHAR";
    case ds::Type::kBool: return "BOOLEAN";
    case ds::Type::kDate: return "DATE";
    case ds::Type::kTimestamp: return "TIMESTAMP";
  }
  return "?";
}

// What the values query prints for a cell (timestamps as epoch microseconds).
std::optional<std::string> ExpectedText(const ds::Column& column, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) return std::nullopt;
  switch (column.type) {
    case ds::Type::kInt64:
    case ds::Type::kTimestamp: return std::to_string(std::get<int64_t>(cell));
    case ds::Type::kDecimal: return DecimalText(std::get<int64_t>(cell), column.scale);
    case ds::Type::kDate: return DateText(std::get<int64_t>(cell));
    case ds::Type::kString: return std::get<std::string>(cell);
    case ds::Type::kBool: return std::get<bool>(cell) ? "true" : "false";
    case ds::Type::kFloat64: return "";  // compared as numbers, see SameDouble
  }
  return std::nullopt;
}

bool SameDouble(double expected, const std::string& text) {
  const double actual = std::strtod(text.c_str(), nullptr);
  if (std::isnan(expected)) return std::isnan(actual);
  return std::memcmp(&expected, &actual, sizeof actual) == 0;  // tells -0.0 from 0.0
}

std::string Quoted(const std::string& name) { return "\"" + name + "\""; }

// ----------------------------------------------------------------------------------------
// Test tables

void WriteDataset(const Table& table, const std::string& path, int64_t chunk_rows) {
  ds::Writer writer(path, table.schema, {.chunk_rows = chunk_rows});
  for (const std::vector<Cell>& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const Cell& cell = row[c];
      if (std::holds_alternative<std::monostate>(cell)) {
        writer.AppendNull(c);
        continue;
      }
      switch (table.schema[c].type) {
        case ds::Type::kInt64: writer.AppendInt64(c, std::get<int64_t>(cell)); break;
        case ds::Type::kDecimal: writer.AppendDecimal(c, std::get<int64_t>(cell)); break;
        case ds::Type::kDate: writer.AppendDate(c, static_cast<int32_t>(std::get<int64_t>(cell))); break;
        case ds::Type::kTimestamp: writer.AppendTimestamp(c, std::get<int64_t>(cell)); break;
        case ds::Type::kFloat64: writer.AppendFloat64(c, std::get<double>(cell)); break;
        case ds::Type::kString: writer.AppendString(c, std::get<std::string>(cell)); break;
        case ds::Type::kBool: writer.AppendBool(c, std::get<bool>(cell)); break;
      }
    }
    writer.EndRow();
  }
  writer.Finish();
}

// Every type, a null in every column, awkward strings, negative decimals (INT32 and INT64
// backed), pre-1970 dates and timestamps, extreme integers and special doubles.
Table EveryTypeTable(int rows) {
  Table table;
  table.schema = {{"id", ds::Type::kInt64},
                  {"amount", ds::Type::kDecimal, 10, 2},
                  {"rate", ds::Type::kDecimal, 5, 3},
                  {"name", ds::Type::kString},
                  {"ok", ds::Type::kBool},
                  {"day", ds::Type::kDate},
                  {"at", ds::Type::kTimestamp},
                  {"ratio", ds::Type::kFloat64},
                  {"category", ds::Type::kString},
                  {"nothing", ds::Type::kInt64}};  // null in every row
  const std::vector<std::string> names = {
      "S\xC3\xA3o Jo\xC3\xA3o",          // São João
      "emoji \xF0\x9F\x98\x80\xF0\x9F\x8E\x89",  // 😀🎉
      "",
      "say \"hi\"",
      "two\nlines",
      "crlf\r\ncomma, semi; tab\t",
      "na\xC3\xAFve caf\xC3\xA9",        // naïve café
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",  // 日本語
      "'single' and back\\slash",
      "trailing space "};
  const std::vector<std::string> categories = {"gold", "silver", "bronze"};
  for (int i = 0; i < rows; ++i) {
    const int64_t n = i;
    std::vector<Cell> row(table.schema.size());
    if (i == 0) row[0] = std::numeric_limits<int64_t>::min();
    else if (i == 1) row[0] = std::numeric_limits<int64_t>::max();
    else if (i % 11 != 3) row[0] = n * 7919 - 500000;

    if (i == 2) row[1] = int64_t{-5};               // -0.05
    else if (i == 5) row[1] = int64_t{9999999999};  // the largest decimal(10,2)
    else if (i == 6) row[1] = int64_t{-9999999999};
    else if (i % 13 != 4) row[1] = (n * 1234567) % 2000001 - 1000000;

    if (i == 7) row[2] = int64_t{-99999};  // -99.999, the smallest decimal(5,3)
    else if (i % 17 != 5) row[2] = (n * 37) % 199999 - 99999;

    if (i % 7 != 6) {
      const std::string& base = names[static_cast<size_t>(i) % names.size()];
      // Repeat the first rows' strings exactly (dictionary hits), then make them distinct.
      row[3] = (i < 40 || base.empty()) ? base : base + " #" + std::to_string(i);
    }

    if (i % 5 != 1) row[4] = i % 3 == 0;

    if (i == 0) row[5] = int64_t{-1};           // 1969-12-31
    else if (i == 1) row[5] = int64_t{-719162};  // 0001-01-01
    else if (i % 9 != 7) row[5] = (n * 97) % 40000 - 20000;

    if (i == 0) row[6] = int64_t{-1};  // 1969-12-31 23:59:59.999999
    else if (i % 8 != 5) row[6] = (n - 150) * 86'399'999'999 + n;

    if (i == 0) row[7] = std::numeric_limits<double>::quiet_NaN();
    else if (i == 1) row[7] = std::numeric_limits<double>::infinity();
    else if (i == 2) row[7] = -std::numeric_limits<double>::infinity();
    else if (i == 3) row[7] = -0.0;
    else if (i == 4) row[7] = 0.1;
    else if (i == 5) row[7] = 1e300;
    else if (i == 6) row[7] = -5e-324;
    else if (i % 6 != 2) row[7] = static_cast<double>(n - 100) * 0.37;

    if (i % 10 != 9) row[8] = categories[static_cast<size_t>(i) % categories.size()];
    table.rows.push_back(std::move(row));
  }
  return table;
}

// ----------------------------------------------------------------------------------------

struct ReadBack {
  QueryResult describe;
  QueryResult values;
  QueryResult metadata;  // one row per column chunk, by row group then column
  QueryResult schema;
};

class ExportParquetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-parquet-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    target_ = (dir_ / "out" / "gold.parquet").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  std::string Dataset(const Table& table, int64_t chunk_rows = 64) {
    const std::string path = PathOf("input-" + std::to_string(datasets_++) + ".sds");
    WriteDataset(table, path, chunk_rows);
    return path;
  }

  Outcome Run(nlohmann::json config, const std::vector<std::pair<std::string, std::string>>& inputs) {
    if (!config.contains("path")) config["path"] = target_;
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.inputs = inputs;
    call.task_id = "gold_parquet";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  // Fails the test, saying how to install DuckDB, when it is missing.
  std::vector<QueryResult> Query(const std::vector<std::string>& statements) {
    if (const std::string missing = testing::DuckDbMissing(); !missing.empty()) {
      throw std::runtime_error(missing);
    }
    return QueryDuckDb(statements, dir_.string());
  }

  ReadBack ReadWithDuckDb(const std::string& parquet, const ds::Schema& schema) {
    const std::string file = SqlString(parquet);
    std::string select;
    for (const ds::Column& column : schema) {
      if (!select.empty()) select += ", ";
      select += column.type == ds::Type::kTimestamp
                    ? "CAST(epoch_us(" + Quoted(column.name) + ") AS VARCHAR)"
                    : "CAST(" + Quoted(column.name) + " AS VARCHAR)";
    }
    std::vector<QueryResult> r = Query({
        "DESCRIBE SELECT * FROM read_parquet(" + file + ")",
        "SELECT " + select + " FROM read_parquet(" + file +
            ", file_row_number = true) ORDER BY file_row_number",
        "SELECT row_group_id, row_group_num_rows, column_id, compression, encodings, "
        "stats_null_count, stats_min_value, stats_max_value FROM parquet_metadata(" + file +
            ") ORDER BY row_group_id, column_id",
        "SELECT name, type, repetition_type, converted_type, logical_type FROM parquet_schema(" +
            file + ")"});
    return {r[0], r[1], r[2], r[3]};
  }

  // Every column type as DuckDB sees it, and every value, against the table written.
  static void ExpectSameTable(const Table& table, const ReadBack& back) {
    ASSERT_EQ(back.describe.rows.size(), table.schema.size());
    for (size_t c = 0; c < table.schema.size(); ++c) {
      EXPECT_EQ(back.describe.rows[c][0], table.schema[c].name);
      EXPECT_EQ(back.describe.rows[c][1], DuckDbTypeOf(table.schema[c])) << table.schema[c].name;
    }
    ASSERT_EQ(back.values.rows.size(), table.rows.size());
    int mismatches = 0;
    for (size_t r = 0; r < table.rows.size() && mismatches < 10; ++r) {
      for (size_t c = 0; c < table.schema.size(); ++c) {
        const Cell& cell = table.rows[r][c];
        const std::optional<std::string>& actual = back.values.rows[r][c];
        bool same;
        if (table.schema[c].type == ds::Type::kFloat64 && std::holds_alternative<double>(cell)) {
          same = actual.has_value() && SameDouble(std::get<double>(cell), *actual);
        } else {
          same = actual == ExpectedText(table.schema[c], cell);
        }
        if (!same) {
          ++mismatches;
          ADD_FAILURE() << "row " << r << " column " << table.schema[c].name << ": DuckDB read "
                        << actual.value_or("NULL") << ", expected "
                        << ExpectedText(table.schema[c], cell).value_or("NULL");
        }
      }
    }
  }

  std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
  std::string target_;
  int datasets_ = 0;
};

// ----------------------------------------------------------------------------------------

class ExportParquetCompressionTest : public ExportParquetTest,
                                     public ::testing::WithParamInterface<const char*> {};

TEST_P(ExportParquetCompressionTest, DuckDbReadsEveryTypeAndValueBack) {
  const Table table = EveryTypeTable(500);
  const Outcome outcome = Run({{"compression", GetParam()}}, {{"gold", Dataset(table)}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors.at(0);
  const ReadBack back = ReadWithDuckDb(target_, table.schema);
  ExpectSameTable(table, back);
  // The codec DuckDB found in every column chunk is the one asked for.
  const std::string codec = std::string(GetParam()) == "none" ? "UNCOMPRESSED" : GetParam();
  for (const auto& chunk : back.metadata.rows) {
    std::string upper = codec;
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(chunk[3], upper);
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, ExportParquetCompressionTest,
                         ::testing::Values("zstd", "snappy", "gzip", "none"));


TEST_F(ExportParquetTest, SchemaMapsEachTypeAsDocumented) {
  const Table table = EveryTypeTable(5);
  ASSERT_EQ(Run(nlohmann::json::object(), {{"gold", Dataset(table)}}).rc, 0);
  const QueryResult schema = ReadWithDuckDb(target_, table.schema).schema;
  using Leaf = std::vector<std::optional<std::string>>;  // name, type, repetition, converted
  const std::vector<Leaf> expected = {
      {"id", "INT64", "OPTIONAL", std::nullopt},
      {"amount", "INT64", "OPTIONAL", "DECIMAL"},  // decimal(10,2): too wide for INT32
      {"rate", "INT32", "OPTIONAL", "DECIMAL"},    // decimal(5,3)
      {"name", "BYTE_ARRAY", "OPTIONAL", "UTF8"},
      {"ok", "BOOLEAN", "OPTIONAL", std::nullopt},
      {"day", "INT32", "OPTIONAL", "DATE"},
      {"at", "INT64", "OPTIONAL", "TIMESTAMP_MICROS"},
      {"ratio", "DOUBLE", "OPTIONAL", std::nullopt},
      {"category", "BYTE_ARRAY", "OPTIONAL", "UTF8"},
      {"nothing", "INT64", "OPTIONAL", std::nullopt}};
  ASSERT_EQ(schema.rows.size(), expected.size() + 1);  // the root group first
  EXPECT_EQ(schema.rows[0][0], "schema");
  for (size_t c = 0; c < expected.size(); ++c) {
    const auto& row = schema.rows[c + 1];
    EXPECT_EQ(Leaf(row.begin(), row.begin() + 4), expected[c]);
  }
  // Wall-clock timestamps: not adjusted to UTC, in microseconds.
  const std::string timestamp = schema.rows[7][4].value_or("");
  EXPECT_NE(timestamp.find("isAdjustedToUTC=0"), std::string::npos) << timestamp;
  EXPECT_NE(timestamp.find("MICROS=MicroSeconds()"), std::string::npos) << timestamp;
  EXPECT_EQ(schema.rows[2][4], "DecimalType(scale=2, precision=10)");
  EXPECT_EQ(schema.rows[3][4], "DecimalType(scale=3, precision=5)");
}

TEST_F(ExportParquetTest, RowGroupsHoldRowGroupRowsEachAcrossDatasetChunks) {
  const Table table = EveryTypeTable(2500);
  // Dataset chunks of 300 rows never line up with row groups of 1000.
  const Outcome outcome =
      Run({{"row_group_rows", 1000}}, {{"gold", Dataset(table, /*chunk_rows=*/300)}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors.at(0);
  const ReadBack back = ReadWithDuckDb(target_, table.schema);
  ExpectSameTable(table, back);
  std::vector<std::string> group_rows;  // one entry per row group, from its first column
  for (const auto& chunk : back.metadata.rows) {
    if (chunk[2] == "0") group_rows.push_back(chunk[1].value_or("?"));
  }
  EXPECT_EQ(group_rows, (std::vector<std::string>{"1000", "1000", "500"}));
}

TEST_F(ExportParquetTest, SmallPagesAndDictionaryFallbackReadBack) {
  const Table table = EveryTypeTable(3000);
  ParquetExportOptions options;
  options.path = target_;
  options.writer.compression = Compression::kNone;
  options.writer.row_group_rows = 1500;
  // Pages of a few dozen values, and a dictionary that fills after a few dozen names: the
  // name column switches to PLAIN pages in the middle of each column chunk.
  // Pages also close every 37 rows, which splits the bool and all-null columns too.
  options.writer.page_limits = {.page_bytes = 256, .page_rows = 37, .dictionary_bytes = 1024};
  const ParquetExportStats stats = ExportParquet(Dataset(table), options);
  EXPECT_EQ(stats.rows, 3000);
  EXPECT_EQ(stats.row_groups, 2);
  ExpectSameTable(table, ReadWithDuckDb(target_, table.schema));
  // The dictionary page of the name column (between its offset and the first data page)
  // stopped near the 1024-byte limit, although each row group has ~1300 distinct names.
  const std::string file = SqlString(target_);
  const QueryResult pages = Query({
      "SELECT dictionary_page_offset, data_page_offset FROM parquet_metadata(" + file +
      ") WHERE path_in_schema = 'name' ORDER BY row_group_id"})[0];
  ASSERT_EQ(pages.rows.size(), 2u);
  for (const auto& row : pages.rows) {
    ASSERT_TRUE(row[0].has_value()) << "the name column has no dictionary page";
    const int64_t dictionary_page = std::stoll(*row[1]) - std::stoll(*row[0]);
    EXPECT_GT(dictionary_page, 900);
    EXPECT_LT(dictionary_page, 1024 + 100);  // limit + one entry + the page header
  }
}

// Row i of the large export, generated twice: once to write, once to check.
std::string LargeCode(int i) { return "code-" + std::to_string(i % 1000); }
bool LargeTextIsNull(int i) { return i % 101 == 7; }
std::string LargeText(int i) { return "row " + std::to_string(i) + " \xC3\xA9t\xC3\xA9 padding"; }
int64_t LargeAmount(int i) { return (int64_t{i} * 7919) % 1'000'001 - 500'000; }

TEST_F(ExportParquetTest, LargeExportWithDefaultsMatchesBruteForceAggregates) {
  // 150,000 rows with the default settings: several 1 MiB pages of text, and a string
  // column whose distinct values pass the 1 MiB dictionary limit.
  constexpr int kRows = 150'000;
  const ds::Schema schema = {{"id", ds::Type::kInt64}, {"code", ds::Type::kString},
                             {"unique_text", ds::Type::kString},
                             {"amount", ds::Type::kDecimal, 12, 2}};
  const std::string data = PathOf("large.sds");
  int64_t id_sum = 0, amount_sum = 0, text_bytes = 0, texts = 0;
  {
    ds::Writer writer(data, schema);
    for (int i = 0; i < kRows; ++i) {
      writer.AppendInt64(0, i);
      writer.AppendString(1, LargeCode(i));
      if (LargeTextIsNull(i)) {
        writer.AppendNull(2);
      } else {
        const std::string text = LargeText(i);
        writer.AppendString(2, text);
        text_bytes += static_cast<int64_t>(text.size());
        ++texts;
      }
      writer.AppendDecimal(3, LargeAmount(i));
      writer.EndRow();
      id_sum += i;
      amount_sum += LargeAmount(i);
    }
    writer.Finish();
  }
  const Outcome outcome = Run({{"compression", "none"}}, {{"gold", data}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors.at(0);
  const std::string file = SqlString(target_);
  const std::vector<QueryResult> r = Query({
      "SELECT count(*), sum(id), count(DISTINCT code), count(unique_text), "
      "count(DISTINCT unique_text), sum(strlen(unique_text)), sum(amount) FROM read_parquet(" +
          file + ")",
      "SELECT id, code, unique_text, amount FROM read_parquet(" + file +
          ") WHERE id % 4999 = 7 OR id % 101 = 7 AND id < 1000 ORDER BY id",
      "SELECT data_page_offset - dictionary_page_offset, total_uncompressed_size FROM "
      "parquet_metadata(" + file + ") WHERE path_in_schema = 'unique_text'"});
  ASSERT_EQ(r[0].rows.size(), 1u);
  const std::vector<std::optional<std::string>> expected_totals = {
      std::to_string(kRows), std::to_string(id_sum), "1000", std::to_string(texts),
      std::to_string(texts), std::to_string(text_bytes), DecimalText(amount_sum, 2)};
  EXPECT_EQ(r[0].rows[0], expected_totals);
  size_t sampled = 0;
  for (int i = 0; i < kRows; ++i) {
    if (!(i % 4999 == 7 || (i % 101 == 7 && i < 1000))) continue;
    ASSERT_LT(sampled, r[1].rows.size());
    const std::vector<std::optional<std::string>> expected = {
        std::to_string(i), LargeCode(i),
        LargeTextIsNull(i) ? std::nullopt : std::optional<std::string>(LargeText(i)),
        DecimalText(LargeAmount(i), 2)};
    EXPECT_EQ(r[1].rows[sampled++], expected) << "row " << i;
  }
  EXPECT_EQ(sampled, r[1].rows.size());
  // The dictionary page stopped at about 1 MiB of the ~4 MB of distinct text.
  ASSERT_EQ(r[2].rows.size(), 1u);
  EXPECT_LT(std::stoll(r[2].rows[0][0].value_or("0")), (1 << 20) + 4096);
  EXPECT_GT(std::stoll(r[2].rows[0][1].value_or("0")), 3'000'000);
}

TEST_F(ExportParquetTest, EmptyDatasetKeepsItsSchema) {
  Table table;
  table.schema = {{"name", ds::Type::kString}, {"amount", ds::Type::kDecimal, 9, 4},
                  {"day", ds::Type::kDate}, {"at", ds::Type::kTimestamp}};
  const Outcome outcome = Run(nlohmann::json::object(), {{"gold", Dataset(table)}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors.at(0);
  const ReadBack back = ReadWithDuckDb(target_, table.schema);
  ExpectSameTable(table, back);
  EXPECT_TRUE(back.values.rows.empty());
  EXPECT_TRUE(back.metadata.rows.empty());  // no row groups
}

TEST_F(ExportParquetTest, StatisticsHoldMinMaxAndNullCountOfEachColumn) {
  const Table table = EveryTypeTable(400);
  ASSERT_EQ(Run(nlohmann::json::object(), {{"gold", Dataset(table)}}).rc, 0);
  const ReadBack back = ReadWithDuckDb(target_, table.schema);
  ASSERT_EQ(back.metadata.rows.size(), table.schema.size());  // one row group
  for (size_t c = 0; c < table.schema.size(); ++c) {
    const ds::Column& column = table.schema[c];
    int64_t nulls = 0;
    std::optional<Cell> min, max;  // brute force over the cells
    for (const std::vector<Cell>& row : table.rows) {
      const Cell& cell = row[c];
      if (std::holds_alternative<std::monostate>(cell)) {
        ++nulls;
        continue;
      }
      if (!min || cell < *min) min = cell;
      if (!max || *max < cell) max = cell;
    }
    const auto& chunk = back.metadata.rows[c];
    EXPECT_EQ(chunk[5], std::to_string(nulls)) << column.name;
    if (!min) {  // only nulls: no minimum or maximum
      EXPECT_EQ(chunk[6], std::nullopt) << column.name;
      EXPECT_EQ(chunk[7], std::nullopt) << column.name;
      continue;
    }
    if (column.type == ds::Type::kFloat64 || column.type == ds::Type::kTimestamp) continue;
    EXPECT_EQ(chunk[6], ExpectedText(column, *min)) << column.name;
    EXPECT_EQ(chunk[7], ExpectedText(column, *max)) << column.name;
  }
}

TEST_F(ExportParquetTest, FileIsFramedByMagicAndFooterLength) {
  ASSERT_EQ(Run(nlohmann::json::object(), {{"gold", Dataset(EveryTypeTable(10))}}).rc, 0);
  const std::string bytes = ReadBytes(target_);
  ASSERT_GT(bytes.size(), 12u);
  EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
  uint32_t footer = 0;
  std::memcpy(&footer, bytes.data() + bytes.size() - 8, 4);
  EXPECT_GT(footer, 0u);
  EXPECT_LT(footer, bytes.size() - 12);
}

TEST_F(ExportParquetTest, ReportsRowsAndBytes) {
  const Outcome outcome = Run(nlohmann::json::object(), {{"gold", Dataset(EveryTypeTable(77))}});
  ASSERT_EQ(outcome.rc, 0);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), 77);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 77);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT),
            static_cast<int64_t>(fs::file_size(target_)));
}

TEST_F(ExportParquetTest, InputChoosesAmongSeveralUpstreamDatasets) {
  Table a, b;
  a.schema = b.schema = {{"v", ds::Type::kInt64}};
  a.rows = {{Cell{int64_t{1}}}};
  b.rows = {{Cell{int64_t{2}}}, {Cell{int64_t{3}}}};
  const std::string a_path = Dataset(a), b_path = Dataset(b);
  const Outcome ambiguous = Run(nlohmann::json::object(), {{"ta", a_path}, {"tb", b_path}});
  ASSERT_NE(ambiguous.rc, 0);
  EXPECT_NE(ambiguous.errors.at(0).find("name one with `input:`"), std::string::npos);
  ASSERT_EQ(Run({{"input", "tb"}}, {{"ta", a_path}, {"tb", b_path}}).rc, 0);
  ExpectSameTable(b, ReadWithDuckDb(target_, b.schema));
}

// A dataset of two string chunks whose second chunk's offsets are damaged: the export fails
// after it has written the first chunk's rows to its temporary file.
std::string DamagedDataset(const std::string& path) {
  {
    ds::Writer writer(path, {{"s", ds::Type::kString}}, {.chunk_rows = 2});
    for (const char* s : {"a", "b", "c", "d"}) {
      writer.AppendString(0, s);
      writer.EndRow();
    }
    writer.Finish();
  }
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  // Layout from docs/dataset-format.md: 8 bytes of counts, one 16-byte column entry ("s"
  // padded), 16 bytes of totals, then per chunk 8 + 48 bytes; values_offset is the third
  // uint64 of a column's chunk entry.
  uint64_t footer = 0;
  std::memcpy(&footer, bytes.data() + bytes.size() - ds::kTrailerSize, 8);
  const uint64_t chunk1 = footer + 8 + 16 + 16 + 56;
  uint64_t values_offset = 0;
  std::memcpy(&values_offset, bytes.data() + chunk1 + 8 + 16, 8);
  const uint64_t bad = 1000;
  std::memcpy(bytes.data() + values_offset + 8, &bad, 8);  // offsets[1] past the bytes
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  return path;
}

std::vector<std::string> FilesIn(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename());
  return names;
}

TEST_F(ExportParquetTest, FailedExportLeavesNoFileAndNoTempFile) {
  const std::string data = DamagedDataset(PathOf("broken.sds"));
  const Outcome outcome = Run(nlohmann::json::object(), {{"extract", data}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors.at(0).find("chunk 1"), std::string::npos) << outcome.errors[0];
  EXPECT_FALSE(fs::exists(target_));
  EXPECT_EQ(FilesIn(fs::path(target_).parent_path()), std::vector<std::string>{});
}

TEST_F(ExportParquetTest, FailedExportKeepsThePreviousFile) {
  const std::string data = DamagedDataset(PathOf("broken.sds"));
  fs::create_directories(fs::path(target_).parent_path());
  std::ofstream(target_) << "previous export";
  ASSERT_NE(Run(nlohmann::json::object(), {{"extract", data}}).rc, 0);
  EXPECT_EQ(ReadBytes(target_), "previous export");
  EXPECT_EQ(FilesIn(fs::path(target_).parent_path()), std::vector<std::string>{"gold.parquet"});
}

TEST_F(ExportParquetTest, ConfigSchemaDescribesEveryPropertyAndForbidsOthers) {
  const sluice_plugin_descriptor* descriptor = sluice_plugin_entry();
  EXPECT_STREQ(descriptor->name, "export.parquet");
  EXPECT_EQ(descriptor->kind, SLUICE_KIND_EXPORT);
  const nlohmann::json schema = nlohmann::json::parse(descriptor->config_schema_json);
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json::array({"path"}));
  EXPECT_EQ(schema["properties"]["compression"]["enum"],
            nlohmann::json::array({"zstd", "snappy", "gzip", "none"}));
  for (const auto& [name, property] : schema["properties"].items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
}

TEST_F(ExportParquetTest, ValidateReportsAFolderPathAndBadSettings) {
  const sluice_plugin_descriptor& plugin = *sluice_plugin_entry();
  EXPECT_EQ(sdk::testing::ValidatePlugin(plugin, R"({"path":"out/gold.parquet"})").rc, 0);
  const Outcome folder = sdk::testing::ValidatePlugin(plugin, R"({"path":"out/"})");
  ASSERT_EQ(folder.errors.size(), 1u);
  EXPECT_EQ(folder.errors[0].rfind("/path:", 0), 0u) << folder.errors[0];
  const Outcome codec =
      sdk::testing::ValidatePlugin(plugin, R"({"path":"a.parquet","compression":"lz4"})");
  ASSERT_EQ(codec.errors.size(), 1u);
  EXPECT_EQ(codec.errors[0].rfind("/compression:", 0), 0u) << codec.errors[0];
  const Outcome rows =
      sdk::testing::ValidatePlugin(plugin, R"({"path":"a.parquet","row_group_rows":0})");
  ASSERT_EQ(rows.errors.size(), 1u);
  EXPECT_EQ(rows.errors[0].rfind("/row_group_rows:", 0), 0u) << rows.errors[0];
}

}  // namespace
}  // namespace sluice::parquet
