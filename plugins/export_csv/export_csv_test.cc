// export.csv through its C entry point, as the host calls it.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"
#include "sluice/plugin.h"
#include "sluice/plugin_testing.hpp"

extern "C" const sluice_plugin_descriptor* sluice_plugin_entry(void);

namespace sluice::csv {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

using Rows = std::vector<std::vector<std::string>>;

using Outcome = sdk::testing::PluginOutcome;

class ExportCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-export-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    target_ = (dir_ / "out" / "result.csv").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  static std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Runs export.csv with `config` (plus `path: target_` unless given) over the upstream
  // datasets `inputs` ({task id, dataset path}).
  Outcome Run(nlohmann::json config,
              const std::vector<std::pair<std::string, std::string>>& inputs) {
    if (!config.contains("path")) config["path"] = target_;
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.inputs = inputs;
    call.task_id = "export";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  // Cells of `path` as Python's csv module reads them: an independent RFC 4180 reader.
  Rows PythonCells(const std::string& path, char delimiter = ',') {
    const std::string out = PathOf("python.json");
    const std::string command =
        "/usr/bin/python3 -c 'import csv, json, sys\n"
        "rows = list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8\"), "
        "delimiter=sys.argv[3]))\n"
        "json.dump(rows, open(sys.argv[2], \"w\"))' " +
        path + " " + out + " '" + std::string(1, delimiter) + "'";
    EXPECT_EQ(std::system(command.c_str()), 0);
    std::ifstream in(out);
    return nlohmann::json::parse(in).get<Rows>();
  }

  // A dataset holding awkward strings and every type, with a null in each column.
  std::string TrickyDataset() {
    const std::string path = PathOf("tricky.sds");
    ds::Writer writer(path, {{"name", ds::Type::kString},
                             {"amount", ds::Type::kDecimal, 10, 2},
                             {"day", ds::Type::kDate},
                             {"at", ds::Type::kTimestamp},
                             {"ok", ds::Type::kBool},
                             {"x", ds::Type::kFloat64},
                             {"n", ds::Type::kInt64}});
    const std::vector<std::string> names = {"S\xC3\xA3o Jo\xC3\xA3o", "a,b", "say \"hi\"",
                                            "two\nlines", "crlf\r\nhere", ""};
    for (size_t i = 0; i < names.size(); ++i) {
      writer.AppendString(0, names[i]);
      writer.AppendDecimal(1, i == 0 ? -5 : static_cast<int64_t>(i) * 1000);
      writer.AppendDate(2, 19782);
      writer.AppendTimestamp(3, 1772953200'000000 + static_cast<int64_t>(i) * 500000);
      writer.AppendBool(4, i % 2 == 0);
      writer.AppendFloat64(5, 0.1 * static_cast<double>(i));
      writer.AppendInt64(6, -static_cast<int64_t>(i));
      writer.EndRow();
    }
    for (size_t c = 0; c < 7; ++c) writer.AppendNull(c);
    writer.EndRow();
    writer.Finish();
    return path;
  }

  // The decompressed content of a gzip file, read with zlib itself.
  static std::string Gunzip(const std::string& path) {
    gzFile in = gzopen(path.c_str(), "rb");
    EXPECT_NE(in, nullptr) << path;
    if (in == nullptr) return "";
    std::string out;
    char block[65536];
    int n = 0;
    while ((n = gzread(in, block, sizeof block)) > 0) out.append(block, static_cast<size_t>(n));
    EXPECT_EQ(n, 0) << "gzread failed on " << path;
    gzclose(in);
    return out;
  }

  static bool StartsWithGzipMagic(const std::string& bytes) {
    return bytes.size() >= 2 && bytes[0] == '\x1f' && bytes[1] == '\x8b';
  }

  // Rows 0..n-1 of three columns, in chunks of 1,000 rows.
  std::string NumberedDataset(int rows) {
    const std::string path = PathOf("numbered.sds");
    ds::Writer writer(path,
                      {{"id", ds::Type::kInt64}, {"name", ds::Type::kString},
                       {"amount", ds::Type::kDecimal, 10, 2}},
                      {.chunk_rows = 1000});
    for (int i = 0; i < rows; ++i) {
      writer.AppendInt64(0, i);
      writer.AppendString(1, "name " + std::to_string(i % 977));
      writer.AppendDecimal(2, i * 7 - 5000);
      writer.EndRow();
    }
    writer.Finish();
    return path;
  }

  fs::path dir_;
  std::string target_;
};

TEST_F(ExportCsvTest, PythonCsvModuleReadsTheSameCells) {
  const Outcome outcome = Run(nlohmann::json::object(), {{"extract", TrickyDataset()}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  // Expected cells derived by hand from TrickyDataset(): 2026-03-08 07:00:00 UTC is
  // 1772953200 s; day 19782 is 2024-02-29; i * 0.1 printed shortest.
  const Rows expected = {
      {"name", "amount", "day", "at", "ok", "x", "n"},
      {"São João", "-0.05", "2024-02-29", "2026-03-08 07:00:00", "true", "0", "0"},
      {"a,b", "10.00", "2024-02-29", "2026-03-08 07:00:00.500000", "false", "0.1", "-1"},
      {"say \"hi\"", "20.00", "2024-02-29", "2026-03-08 07:00:01", "true", "0.2", "-2"},
      {"two\nlines", "30.00", "2024-02-29", "2026-03-08 07:00:01.500000", "false",
       "0.30000000000000004", "-3"},
      {"crlf\r\nhere", "40.00", "2024-02-29", "2026-03-08 07:00:02", "true", "0.4", "-4"},
      {"", "50.00", "2024-02-29", "2026-03-08 07:00:02.500000", "false", "0.5", "-5"},
      {"", "", "", "", "", "", ""}};
  EXPECT_EQ(PythonCells(target_), expected);
}

TEST_F(ExportCsvTest, EmptyStringIsQuotedToStayDistinctFromNull) {
  ASSERT_EQ(Run(nlohmann::json::object(), {{"extract", TrickyDataset()}}).rc, 0);
  const std::string csv = ReadBytes(target_);
  EXPECT_NE(csv.find("\n\"\",50.00,"), std::string::npos) << csv;  // empty string
  EXPECT_TRUE(csv.ends_with("\n,,,,,,\n")) << csv;                   // all nulls
}

TEST_F(ExportCsvTest, NullTextDelimiterAndCrlfAreConfigurable) {
  const std::string data = PathOf("d.sds");
  {
    ds::Writer writer(data, {{"a", ds::Type::kString}, {"b", ds::Type::kDecimal, 4, 1}});
    writer.AppendString(0, "x;y");
    writer.AppendNull(1);
    writer.EndRow();
    writer.AppendString(0, "");
    writer.AppendDecimal(1, 15);
    writer.EndRow();
    writer.Finish();
  }
  ASSERT_EQ(Run({{"delimiter", ";"}, {"null", "NULL"}, {"line_ending", "crlf"}}, {{"t", data}}).rc, 0);
  EXPECT_EQ(ReadBytes(target_), "a;b\r\n\"x;y\";NULL\r\n;1.5\r\n");
}

// Numbers, dates and timestamps are formatted straight into the output unless the delimiter
// is one of the characters their text is made of: then they are quoted like any field.
TEST_F(ExportCsvTest, DelimiterInsideNumbersAndTimesGetsTheFieldQuoted) {
  const std::string tricky = TrickyDataset();
  for (const char delimiter : {' ', '.', '-', ':', 'e'}) {
    SCOPED_TRACE(std::string("delimiter '") + delimiter + "'");
    ASSERT_EQ(Run({{"delimiter", std::string(1, delimiter)}}, {{"extract", tricky}}).rc, 0);
    const Rows cells = PythonCells(target_, delimiter);
    ASSERT_EQ(cells.size(), 8u);
    EXPECT_EQ(cells[2], (std::vector<std::string>{"a,b", "10.00", "2024-02-29", "2026-03-08 07:00:00.500000",
                                                  "false", "0.1", "-1"}));
    EXPECT_EQ(cells[4][5], "0.30000000000000004");
  }
}

TEST_F(ExportCsvTest, WithoutHeaderOnlyRowsAreWritten) {
  const std::string data = PathOf("d.sds");
  {
    ds::Writer writer(data, {{"n", ds::Type::kInt64}});
    writer.AppendInt64(0, 42);
    writer.EndRow();
    writer.Finish();
  }
  ASSERT_EQ(Run({{"header", false}}, {{"t", data}}).rc, 0);
  EXPECT_EQ(ReadBytes(target_), "42\n");
}

TEST_F(ExportCsvTest, CanonicalCsvRoundTripsByteForByte) {
  // Canonical: LF line ends, quotes only where needed, "" for empty strings, nothing for
  // nulls, values in the dataset's own text forms.
  const std::string original =
      "id,name,amount,day,at,ok,ratio\n"
      "1,S\xC3\xA3o Jo\xC3\xA3o,-0.05,2024-02-29,2026-03-08 07:00:00,true,0.1\n"
      "2,\"a,b\",0.00,1969-12-31,1969-12-31 23:59:59.999999,false,-2.5\n"
      "3,\"multi\nline \"\"quoted\"\"\",,,,,\n"
      "4,\"\",12345678.90,2000-01-01,2000-01-01 00:00:00.000001,true,1e+300\n";
  const std::string input = PathOf("in.csv");
  std::ofstream(input, std::ios::binary) << original;
  // Imported by the extract.csv plugin this build made, loaded as the host loads it.
  void* extract = ::dlopen(SLUICE_PLUGIN_BUILD_DIR "/libsluice_extract_csv.so", RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(extract, nullptr) << ::dlerror();
  using Entry = const sluice_plugin_descriptor* (*)();
  const auto entry = reinterpret_cast<Entry>(::dlsym(extract, "sluice_plugin_entry"));
  ASSERT_NE(entry, nullptr);
  const std::string data = PathOf("mid.sds");
  sdk::testing::PluginCall import;
  import.config_json = nlohmann::json{
      {"path", input},
      {"columns", {{{"name", "id"}, {"type", "int64"}},       {{"name", "name"}, {"type", "string"}},
                   {{"name", "amount"}, {"type", "decimal(10,2)"}}, {{"name", "day"}, {"type", "date"}},
                   {{"name", "at"}, {"type", "timestamp"}},   {{"name", "ok"}, {"type", "bool"}},
                   {{"name", "ratio"}, {"type", "float64"}}}}}.dump();
  import.output_path = data;
  const Outcome imported = sdk::testing::RunPlugin(*entry(), import);
  ::dlclose(extract);
  ASSERT_EQ(imported.rc, 0) << imported.errors[0];
  ASSERT_EQ(ds::Reader(data).row_count(), 4);
  const Outcome outcome = Run(nlohmann::json::object(), {{"extract", data}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  EXPECT_EQ(ReadBytes(target_), original);
}

TEST_F(ExportCsvTest, ReportsRowsAndBytes) {
  const Outcome outcome = Run(nlohmann::json::object(), {{"extract", TrickyDataset()}});
  ASSERT_EQ(outcome.rc, 0);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), 7);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 7);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT),
            static_cast<int64_t>(fs::file_size(target_)));
}

TEST_F(ExportCsvTest, InputChoosesAmongSeveralUpstreamDatasets) {
  const std::string a = PathOf("a.sds"), b = PathOf("b.sds");
  for (const auto& [path, value] : {std::pair{a, 1}, std::pair{b, 2}}) {
    ds::Writer writer(path, {{"v", ds::Type::kInt64}});
    writer.AppendInt64(0, value);
    writer.EndRow();
    writer.Finish();
  }
  const Outcome ambiguous = Run(nlohmann::json::object(), {{"ta", a}, {"tb", b}});
  ASSERT_NE(ambiguous.rc, 0);
  EXPECT_NE(ambiguous.errors[0].find("name one with `input:`"), std::string::npos);
  ASSERT_EQ(Run({{"input", "tb"}}, {{"ta", a}, {"tb", b}}).rc, 0);
  EXPECT_EQ(ReadBytes(target_), "v\n2\n");
}

TEST_F(ExportCsvTest, FailedExportLeavesExistingTargetAndNoTempFile) {
  // Two chunks of strings; the second chunk's offsets are damaged, so the export fails after
  // it has already written the first chunk's rows to its temporary file.
  const std::string data = PathOf("broken.sds");
  {
    ds::Writer writer(data, {{"s", ds::Type::kString}}, {.chunk_rows = 2});
    for (const char* s : {"a", "b", "c", "d"}) {
      writer.AppendString(0, s);
      writer.EndRow();
    }
    writer.Finish();
  }
  std::string bytes = ReadBytes(data);
  // Layout from docs/dataset-format.md: the footer holds 8 bytes of counts, one 16-byte column
  // entry ("s" padded), 16 bytes of totals, then per chunk 8 + 48 bytes; values_offset is the
  // third uint64 of a column's chunk entry.
  uint64_t footer = 0;
  std::memcpy(&footer, bytes.data() + bytes.size() - ds::kTrailerSize, 8);
  const uint64_t chunk1 = footer + 8 + 16 + 16 + 56;
  uint64_t values_offset = 0;
  std::memcpy(&values_offset, bytes.data() + chunk1 + 8 + 16, 8);
  const uint64_t bad = 1000;
  std::memcpy(bytes.data() + values_offset + 8, &bad, 8);  // offsets[1] past the bytes
  std::ofstream(data, std::ios::binary | std::ios::trunc) << bytes;

  fs::create_directories(fs::path(target_).parent_path());
  std::ofstream(target_) << "previous,export\n";
  const Outcome outcome = Run(nlohmann::json::object(), {{"extract", data}});
  ASSERT_NE(outcome.rc, 0);
  EXPECT_NE(outcome.errors[0].find("chunk 1"), std::string::npos) << outcome.errors[0];
  EXPECT_EQ(ReadBytes(target_), "previous,export\n");
  for (const auto& entry : fs::directory_iterator(fs::path(target_).parent_path())) {
    EXPECT_EQ(entry.path().filename(), "result.csv");
  }
}

TEST_F(ExportCsvTest, EmptyDatasetWritesOnlyTheHeader) {
  const std::string data = PathOf("empty.sds");
  {
    ds::Writer writer(data, {{"a", ds::Type::kString}, {"b", ds::Type::kInt64}});
    writer.Finish();
  }
  ASSERT_EQ(Run(nlohmann::json::object(), {{"t", data}}).rc, 0);
  EXPECT_EQ(ReadBytes(target_), "a,b\n");
}

TEST_F(ExportCsvTest, GzipHoldsExactlyThePlainExport) {
  const std::string data = NumberedDataset(200000);  // several MB: many deflate blocks
  const std::string plain = PathOf("plain.csv");
  ASSERT_EQ(Run({{"path", plain}}, {{"t", data}}).rc, 0);
  const std::string gz = PathOf("out.csv.gz");
  const Outcome outcome = Run({{"path", gz}, {"compression", "gzip"}}, {{"t", data}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  const std::string compressed = ReadBytes(gz);
  EXPECT_TRUE(StartsWithGzipMagic(compressed));
  EXPECT_LT(compressed.size(), fs::file_size(plain) / 2);
  EXPECT_EQ(Gunzip(gz), ReadBytes(plain));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT), static_cast<int64_t>(compressed.size()));
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 200000);
}

TEST_F(ExportCsvTest, GzipOfTheTrickyDatasetIsReadBackByGzip) {
  const std::string gz = PathOf("tricky.csv.gz");
  ASSERT_EQ(Run({{"path", gz}}, {{"t", TrickyDataset()}}).rc, 0);
  ASSERT_EQ(Run(nlohmann::json::object(), {{"t", TrickyDataset()}}).rc, 0);
  // gzip itself, as a user would read the file.
  const std::string unzipped = PathOf("unzipped.csv");
  ASSERT_EQ(std::system(("gzip -dc " + gz + " > " + unzipped).c_str()), 0);
  EXPECT_EQ(ReadBytes(unzipped), ReadBytes(target_));
}

TEST_F(ExportCsvTest, HigherCompressionLevelGivesTheSameContentSmaller) {
  const std::string data = NumberedDataset(50000);
  const std::string fast = PathOf("fast.csv.gz"), small = PathOf("small.csv.gz");
  ASSERT_EQ(Run({{"path", fast}}, {{"t", data}}).rc, 0);
  ASSERT_EQ(Run({{"path", small}, {"compression_level", 9}}, {{"t", data}}).rc, 0);
  EXPECT_LT(fs::file_size(small), fs::file_size(fast));
  EXPECT_EQ(Gunzip(small), Gunzip(fast));
}

TEST_F(ExportCsvTest, GzSuffixImpliesGzipUnlessCompressionIsNone) {
  const std::string data = NumberedDataset(10);
  const std::string implied = PathOf("implied.csv.gz");
  ASSERT_EQ(Run({{"path", implied}}, {{"t", data}}).rc, 0);
  EXPECT_TRUE(StartsWithGzipMagic(ReadBytes(implied)));
  const std::string plain_gz = PathOf("plain.csv.gz");
  ASSERT_EQ(Run({{"path", plain_gz}, {"compression", "none"}}, {{"t", data}}).rc, 0);
  EXPECT_EQ(ReadBytes(plain_gz).rfind("id,name,amount\n0,name 0,-50.00\n", 0), 0u);
  const std::string named = PathOf("named.csv");
  ASSERT_EQ(Run({{"path", named}, {"compression", "gzip"}}, {{"t", data}}).rc, 0);
  EXPECT_TRUE(StartsWithGzipMagic(ReadBytes(named)));
}

TEST_F(ExportCsvTest, ColumnsChooseWhichAndInWhatOrder) {
  const std::string data = NumberedDataset(3);
  ASSERT_EQ(Run({{"columns", {"amount", "id"}}}, {{"t", data}}).rc, 0);
  // By hand from NumberedDataset: amount = i * 7 - 5000 cents.
  EXPECT_EQ(ReadBytes(target_), "amount,id\n-50.00,0\n-49.93,1\n-49.86,2\n");
}

TEST_F(ExportCsvTest, UnknownColumnListsTheDatasetsColumns) {
  const Outcome outcome = Run({{"columns", {"id", "valor"}}}, {{"t", NumberedDataset(1)}});
  ASSERT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].rfind("/columns/1:", 0), 0u) << outcome.errors[0];
  EXPECT_NE(outcome.errors[0].find("'valor'"), std::string::npos) << outcome.errors[0];
  EXPECT_NE(outcome.errors[0].find("its columns are: id, name, amount"), std::string::npos)
      << outcome.errors[0];
  EXPECT_FALSE(fs::exists(target_));
}

TEST_F(ExportCsvTest, ValidateRefusesALevelWithoutCompression) {
  const Outcome outcome = sdk::testing::ValidatePlugin(
      *sluice_plugin_entry(), R"({"path":"x.csv","compression":"none","compression_level":9})");
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].rfind("/compression_level:", 0), 0u) << outcome.errors[0];
}

TEST_F(ExportCsvTest, ValidateRefusesAColumnListedTwice) {
  const Outcome outcome = sdk::testing::ValidatePlugin(
      *sluice_plugin_entry(), R"({"path":"x.csv","columns":["a","b","a"]})");
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].rfind("/columns/2:", 0), 0u) << outcome.errors[0];
}

TEST_F(ExportCsvTest, ConfigSchemaDescribesEveryPropertyAndForbidsOthers) {
  const sluice_plugin_descriptor* descriptor = sluice_plugin_entry();
  EXPECT_STREQ(descriptor->name, "export.csv");
  EXPECT_EQ(descriptor->kind, SLUICE_KIND_EXPORT);
  const nlohmann::json schema = nlohmann::json::parse(descriptor->config_schema_json);
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json::array({"path"}));
  for (const auto& [name, property] : schema["properties"].items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
  const Outcome outcome =
      sdk::testing::ValidatePlugin(*descriptor, R"({"path":"x.csv","delimiter":"\""})");
  EXPECT_NE(outcome.rc, 0);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].rfind("/delimiter:", 0), 0u);
}

}  // namespace
}  // namespace sluice::csv
