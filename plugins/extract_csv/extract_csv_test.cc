// extract.csv through its C entry point, as the host calls it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
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

using Outcome = sdk::testing::PluginOutcome;

class ExtractCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-extract-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    output_ = (dir_ / "out.sds").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& bytes, const std::string& name = "data.csv") {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  Outcome Run(const nlohmann::json& config) {
    sdk::testing::PluginCall call;
    call.config_json = config.dump();
    call.workspace_dir = dir_.string();
    call.output_path = output_;
    call.task_id = "extract";
    return sdk::testing::RunPlugin(*sluice_plugin_entry(), call);
  }

  std::vector<std::string> Validate(const nlohmann::json& config) {
    return sdk::testing::ValidatePlugin(*sluice_plugin_entry(), config.dump()).errors;
  }

  // The single error of a failed run.
  std::string RunError(const nlohmann::json& config) {
    const Outcome outcome = Run(config);
    EXPECT_NE(outcome.rc, 0);
    return outcome.errors.empty() ? "" : outcome.errors[0];
  }

  // Cells of a CSV file as Python's csv module reads them: an independent reader.
  std::vector<std::vector<std::string>> PythonCells(const std::string& path,
                                                    const std::string& encoding = "utf-8") {
    const std::string out = (dir_ / "python.json").string();
    const std::string command =
        "/usr/bin/python3 -c 'import csv, json, sys\n"
        "rows = list(csv.reader(open(sys.argv[1], newline=\"\", encoding=sys.argv[3])))\n"
        "json.dump(rows, open(sys.argv[2], \"w\"))' " + path + " " + out + " " + encoding;
    EXPECT_EQ(std::system(command.c_str()), 0);
    std::ifstream in(out);
    return nlohmann::json::parse(in).get<std::vector<std::vector<std::string>>>();
  }

  static std::vector<std::string> TypeNames(const ds::Reader& reader) {
    std::vector<std::string> names;
    for (const ds::Column& column : reader.schema()) names.push_back(ds::TypeName(column));
    return names;
  }

  fs::path dir_;
  std::string output_;
};

TEST_F(ExtractCsvTest, TypedColumnsAreStoredAsTheirTypes) {
  const std::string path = Write(
      "id,amount,day,at,paid,ratio,name\n"
      "1,-0.05,2024-02-29,2026-03-08 07:00:00.25,true,0.5,S\xC3\xA3o Jo\xC3\xA3o\n"
      "2,1234.5,1970-01-01,1970-01-01T00:00:01Z,0,-1e3,\"a,b\"\n");
  const Outcome outcome = Run({{"path", path},
                               {"columns", {{{"name", "id"}, {"type", "int64"}},
                                            {{"name", "amount"}, {"type", "decimal(10,2)"}},
                                            {{"name", "day"}, {"type", "date"}},
                                            {{"name", "at"}, {"type", "timestamp"}},
                                            {{"name", "paid"}, {"type", "bool"}},
                                            {{"name", "ratio"}, {"type", "float64"}},
                                            {{"name", "name"}, {"type", "string"}}}}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), 2);
  EXPECT_EQ(ds::TypeName(reader.schema()[1]), "decimal(10,2)");
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).Int64At(0), 1);
  EXPECT_EQ(chunk.column(1).DecimalAt(0), -5);
  EXPECT_EQ(chunk.column(1).DecimalAt(1), 123450);
  EXPECT_EQ(chunk.column(2).DateAt(0), 19782);  // python3: (date(2024,2,29)-date(1970,1,1)).days
  EXPECT_EQ(chunk.column(2).DateAt(1), 0);
  EXPECT_EQ(chunk.column(3).TimestampAt(0), 1772953200'250000);
  EXPECT_EQ(chunk.column(3).TimestampAt(1), 1'000000);
  EXPECT_TRUE(chunk.column(4).BoolAt(0));
  EXPECT_FALSE(chunk.column(4).BoolAt(1));
  EXPECT_EQ(chunk.column(5).Float64At(0), 0.5);
  EXPECT_EQ(chunk.column(5).Float64At(1), -1000.0);
  EXPECT_EQ(chunk.column(6).StringAt(0), "São João");
  EXPECT_EQ(chunk.column(6).StringAt(1), "a,b");
}

TEST_F(ExtractCsvTest, EmptyFieldIsNullButQuotedEmptyIsEmptyString) {
  const std::string path = Write("s,n\n,\n\"\",\"\"\nx,3\n");
  const Outcome outcome =
      Run({{"path", path},
           {"columns", {{{"name", "s"}, {"type", "string"}}, {{"name", "n"}, {"type", "int64"}}}}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_TRUE(chunk.column(0).IsNull(0));
  EXPECT_FALSE(chunk.column(0).IsNull(1));
  EXPECT_EQ(chunk.column(0).StringAt(1), "");
  EXPECT_TRUE(chunk.column(1).IsNull(0));
  EXPECT_TRUE(chunk.column(1).IsNull(1));  // "" cannot be a number: null
  EXPECT_EQ(chunk.column(1).Int64At(2), 3);
}

TEST_F(ExtractCsvTest, WithoutColumnsEveryColumnIsANamedString) {
  const std::string path = Write("id;city\n007;Montr\xC3\xA9" "al\n");
  ASSERT_EQ(Run({{"path", path}, {"delimiter", ";"}}).rc, 0);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.schema().size(), 2u);
  EXPECT_EQ(reader.schema()[0].name, "id");
  EXPECT_EQ(reader.schema()[0].type, ds::Type::kString);
  EXPECT_EQ(reader.chunk(0).column(0).StringAt(0), "007");  // leading zeros kept
  EXPECT_EQ(reader.chunk(0).column(1).StringAt(0), "Montréal");
}

TEST_F(ExtractCsvTest, WithoutHeaderColumnsAreNumbered) {
  const std::string path = Write("a,b,c\nd,e,f\n");
  ASSERT_EQ(Run({{"path", path}, {"header", false}}).rc, 0);
  ds::Reader reader(output_);
  ASSERT_EQ(reader.schema().size(), 3u);
  EXPECT_EQ(reader.schema()[0].name, "c1");
  EXPECT_EQ(reader.schema()[2].name, "c3");
  EXPECT_EQ(reader.row_count(), 2);
  EXPECT_EQ(reader.chunk(0).column(2).StringAt(0), "c");
}

TEST_F(ExtractCsvTest, ReportsRowsAndBytes) {
  const std::string path = Write("a\n1\n2\n3\n");
  const Outcome outcome = Run({{"path", path}});
  ASSERT_EQ(outcome.rc, 0);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), 3);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 3);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_BYTES_OUT),
            static_cast<int64_t>(fs::file_size(output_)));
}

TEST_F(ExtractCsvTest, WrongFieldCountNamesPhysicalLine) {
  // The record on lines 2-3 holds a newline inside quotes, so the short record is on line 4.
  const std::string path = Write("a,b\n\"x\ny\",1\n2\n");
  const std::string error = RunError({{"path", path}});
  EXPECT_NE(error.find(path + ":4:"), std::string::npos) << error;
  EXPECT_NE(error.find("expected 2 fields but found 1"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(output_));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST_F(ExtractCsvTest, UnparsableValueNamesLineColumnAndFix) {
  const std::string path = Write("id,amount\n1,2.50\n2,12.345\n");
  const std::string error = RunError(
      {{"path", path},
       {"columns", {{{"name", "id"}, {"type", "int64"}}, {{"name", "amount"}, {"type", "decimal(8,2)"}}}}});
  EXPECT_NE(error.find(path + ":3:"), std::string::npos) << error;
  EXPECT_NE(error.find("column 'amount'"), std::string::npos) << error;
  EXPECT_NE(error.find("'12.345'"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(output_));
}

TEST_F(ExtractCsvTest, InvalidUtf8IsRejected) {
  const std::string path = Write("name\nS\xE3o Jo\xE3o\n");  // Latin-1
  const std::string error = RunError({{"path", path}});
  EXPECT_NE(error.find(path + ":2:"), std::string::npos) << error;
  EXPECT_NE(error.find("UTF-8"), std::string::npos) << error;
}

TEST_F(ExtractCsvTest, DeclaredColumnsMustMatchTheHeader) {
  const std::string path = Write("id,amount\n1,2\n");
  const std::string error =
      RunError({{"path", path},
                {"columns", {{{"name", "id"}, {"type", "int64"}}, {{"name", "amt"}, {"type", "int64"}}}}});
  EXPECT_NE(error.find("'amount' in the header but 'amt'"), std::string::npos) << error;
  EXPECT_EQ(error.rfind("/columns/1/name", 0), 0u) << error;
}

TEST_F(ExtractCsvTest, EmptyFileWithHeaderExpectedFails) {
  const std::string error = RunError({{"path", Write("")}});
  EXPECT_NE(error.find("is empty"), std::string::npos) << error;
}

TEST_F(ExtractCsvTest, EmptyFileWithDeclaredColumnsGivesEmptyDataset) {
  const std::string path = Write("");
  ASSERT_EQ(Run({{"path", path}, {"header", false}, {"columns", {{{"name", "n"}, {"type", "int64"}}}}}).rc,
            0);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.row_count(), 0);
  EXPECT_EQ(reader.schema()[0].type, ds::Type::kInt64);
}

TEST_F(ExtractCsvTest, InferGivesEachColumnTheNarrowestTypeThatFits) {
  const std::string path = Write(
      "id,amount,ratio,day,at,paid,code,name\n"
      "1,12.30,1e-3,2024-02-29,2024-02-29 10:00:00,true,007,ana\n"
      "2,-0.05,2.5,1970-01-01,1970-01-01,false,010,\n"
      ",7,,,,,,bia\n");
  const Outcome outcome = Run({{"path", path}, {"infer", true}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  EXPECT_EQ(TypeNames(reader), (std::vector<std::string>{"int64", "decimal(18,2)", "float64", "date",
                                                         "timestamp", "bool", "string", "string"}));
  const ds::ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).Int64At(1), 2);
  EXPECT_TRUE(chunk.column(0).IsNull(2));
  EXPECT_EQ(chunk.column(1).DecimalAt(0), 1230);
  EXPECT_EQ(chunk.column(1).DecimalAt(1), -5);
  EXPECT_EQ(chunk.column(1).DecimalAt(2), 700);
  EXPECT_EQ(chunk.column(2).Float64At(0), 0.001);
  EXPECT_EQ(chunk.column(3).DateAt(0), 19782);  // python3: (date(2024,2,29)-date(1970,1,1)).days
  EXPECT_EQ(chunk.column(4).TimestampAt(1), 0);
  EXPECT_FALSE(chunk.column(5).BoolAt(1));
  EXPECT_EQ(chunk.column(6).StringAt(0), "007");
  bool logged = false;
  for (const std::string& line : outcome.log) {
    logged |= line.find("inferred columns: id int64, amount decimal(18,2)") != std::string::npos;
  }
  EXPECT_TRUE(logged);
}

TEST_F(ExtractCsvTest, InferWithoutHeaderNamesAndTypesColumns) {
  const std::string path = Write("1,x\n2,y\n");
  ASSERT_EQ(Run({{"path", path}, {"header", false}, {"infer", true}}).rc, 0);
  ds::Reader reader(output_);
  EXPECT_EQ(reader.schema()[0].name, "c1");
  EXPECT_EQ(TypeNames(reader), (std::vector<std::string>{"int64", "string"}));
  EXPECT_EQ(reader.row_count(), 2);
}

TEST_F(ExtractCsvTest, RowsAfterTheSampleMustFitTheInferredType) {
  // sample_rows: 2 sees "1" and "2"; the third record, on line 4, is not an int64.
  const std::string path = Write("n\n1\n2\n3.5\n");
  const std::string error = RunError({{"path", path}, {"infer", {{"sample_rows", 2}}}});
  EXPECT_NE(error.find(path + ":4:"), std::string::npos) << error;
  EXPECT_NE(error.find("column 'n' (int64)"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(output_));
  // A sample that reaches the third record types the column as a decimal instead.
  ASSERT_EQ(Run({{"path", path}, {"infer", {{"sample_rows", 3}}}}).rc, 0);
  EXPECT_EQ(TypeNames(ds::Reader(output_)), (std::vector<std::string>{"decimal(18,1)"}));
}

TEST_F(ExtractCsvTest, RejectedRecordsGoToTheRejectFileWithLineErrorAndRawText) {
  // Line 1 header; 2 good; 3 has two fields too many; 4 a bad decimal; 5-6 one good record
  // spanning two lines; 7 invalid UTF-8 (Latin-1); 8 a bad record spanning lines 8-9; 10 good.
  const std::string path = Write(
      "id,amount,note\n"
      "1,2.50,ok\n"
      "2,3.00,x,y,z\n"
      "3,12.345,\"a, b\"\n"
      "4,1.00,\"two\nlines\"\n"
      "5,1.00,S\xE3o\n"
      "6,abc,\"multi\r\nline \"\"q\"\"\"\n"
      "7,0.10,\n");
  const std::string rejects = (dir_ / "rejects" / "bad.csv").string();
  const Outcome outcome =
      Run({{"path", path},
           {"on_error", "reject"},
           {"reject_path", rejects},
           {"columns", {{{"name", "id"}, {"type", "int64"}},
                        {{"name", "amount"}, {"type", "decimal(8,2)"}},
                        {{"name", "note"}, {"type", "string"}}}}});
  ASSERT_EQ(outcome.rc, 0) << outcome.errors[0];
  ds::Reader reader(output_);
  ASSERT_EQ(reader.row_count(), 3);
  EXPECT_EQ(reader.chunk(0).column(0).Int64At(0), 1);
  EXPECT_EQ(reader.chunk(0).column(0).Int64At(1), 4);
  EXPECT_EQ(reader.chunk(0).column(2).StringAt(1), "two\nlines");
  EXPECT_EQ(reader.chunk(0).column(0).Int64At(2), 7);

  // Read as Latin-1: the rejected line 7 is kept byte for byte, not valid UTF-8; Python's
  // 'ã' for the byte E3 comes back through JSON as UTF-8.
  const auto cells = PythonCells(rejects, "latin-1");
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_EQ(cells[0], (std::vector<std::string>{"line", "error", "record"}));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"3", "2,3.00,x,y,z"},
      {"4", "3,12.345,\"a, b\""},
      {"7", "5,1.00,S\xC3\xA3o"},
      {"8", "6,abc,\"multi\r\nline \"\"q\"\"\""}};
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(cells[i + 1].size(), 3u);
    EXPECT_EQ(cells[i + 1][0], expected[i].first) << i;
    EXPECT_EQ(cells[i + 1][2], expected[i].second) << i;
  }
  EXPECT_NE(cells[1][1].find("expected 3 fields but found 5"), std::string::npos) << cells[1][1];
  EXPECT_NE(cells[2][1].find("column 'amount' (decimal(8,2)): '12.345'"), std::string::npos)
      << cells[2][1];
  EXPECT_NE(cells[3][1].find("UTF-8"), std::string::npos) << cells[3][1];
  EXPECT_NE(cells[4][1].find("'abc'"), std::string::npos) << cells[4][1];

  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_IN), 7);
  EXPECT_EQ(outcome.counters.at(SLUICE_COUNTER_ROWS_OUT), 3);
  bool warned = false;
  for (const std::string& line : outcome.log) {
    warned |= line.find("rejected 4 of 7 records into " + rejects) != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

TEST_F(ExtractCsvTest, MaxRejectsFailsPastTheLimitButKeepsTheRejects) {
  // Three bad records (lines 3, 4, 6) among five.
  const std::string path = Write("n\n1\nx\ny\n2\nz\n");
  const std::string rejects = (dir_ / "bad.csv").string();
  const nlohmann::json config = {{"path", path},
                                 {"on_error", "reject"},
                                 {"reject_path", rejects},
                                 {"columns", {{{"name", "n"}, {"type", "int64"}}}}};
  nlohmann::json limited = config;
  limited["max_rejects"] = 3;
  ASSERT_EQ(Run(limited).rc, 0);
  EXPECT_EQ(ds::Reader(output_).row_count(), 2);
  fs::remove(output_);

  limited["max_rejects"] = 1;
  const std::string error = RunError(limited);
  EXPECT_EQ(error.rfind("/max_rejects:", 0), 0u) << error;
  EXPECT_NE(error.find("more than 1 records were rejected"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(output_));
  // The first two rejects (lines 3 and 4) are there to look at.
  const auto cells = PythonCells(rejects);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[1][0], "3");
  EXPECT_EQ(cells[2][0], "4");
  EXPECT_EQ(cells[2][2], "y");
}

TEST_F(ExtractCsvTest, RejectModeWithNoBadRecordsWritesAnEmptyRejectFile) {
  const std::string path = Write("n\n1\n");
  const std::string rejects = (dir_ / "bad.csv").string();
  std::ofstream(rejects) << "stale,from,yesterday\n";
  ASSERT_EQ(Run({{"path", path}, {"on_error", "reject"}, {"reject_path", rejects}}).rc, 0);
  std::ifstream in(rejects);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "line,error,record\n");
}

TEST_F(ExtractCsvTest, RejectModeStillFailsOnBrokenQuoting) {
  const std::string path = Write("a,b\n1,\"never closed\n2,3\n");
  const std::string rejects = (dir_ / "bad.csv").string();
  const std::string error =
      RunError({{"path", path}, {"on_error", "reject"}, {"reject_path", rejects}});
  EXPECT_NE(error.find(path + ":2:"), std::string::npos) << error;
  EXPECT_FALSE(fs::exists(rejects));
}

TEST_F(ExtractCsvTest, ValidateChecksInferAndRejectSettings) {
  EXPECT_TRUE(Validate({{"path", "x.csv"}, {"infer", {{"sample_rows", 10}}}}).empty());
  EXPECT_TRUE(Validate({{"path", "x.csv"}, {"on_error", "reject"}, {"reject_path", "r.csv"},
                        {"max_rejects", 5}})
                  .empty());
  std::vector<std::string> errors =
      Validate({{"path", "x.csv"}, {"infer", true}, {"columns", {{{"name", "a"}, {"type", "int64"}}}}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("/infer:", 0), 0u) << errors[0];
  errors = Validate({{"path", "x.csv"}, {"on_error", "reject"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("/on_error:", 0), 0u) << errors[0];
  errors = Validate({{"path", "x.csv"}, {"reject_path", "r.csv"}, {"max_rejects", 1}});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].rfind("/reject_path:", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind("/max_rejects:", 0), 0u) << errors[1];
  errors = Validate({{"path", "x.csv"}, {"on_error", "reject"}, {"reject_path", "x.csv"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("/reject_path:", 0), 0u) << errors[0];
}

TEST_F(ExtractCsvTest, ValidateReportsWhatTheSchemaCannot) {
  EXPECT_TRUE(Validate({{"path", "x.csv"}, {"delimiter", ";"}}).empty());
  const std::vector<std::string> errors =
      Validate({{"path", "x.csv"},
                {"delimiter", "\xC2\xA7"},
                {"columns", {{{"name", "a"}, {"type", "decimal(30,2)"}}, {{"name", "a"}, {"type", "int64"}}}}});
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].rfind("/delimiter:", 0), 0u) << errors[0];
  EXPECT_EQ(errors[1].rfind("/columns/0/type:", 0), 0u) << errors[1];
  EXPECT_EQ(errors[2].rfind("/columns/1/name:", 0), 0u) << errors[2];
}

TEST_F(ExtractCsvTest, ConfigSchemaDescribesEveryPropertyAndForbidsOthers) {
  const sluice_plugin_descriptor* descriptor = sluice_plugin_entry();
  EXPECT_STREQ(descriptor->name, "extract.csv");
  EXPECT_EQ(descriptor->kind, SLUICE_KIND_EXTRACT);
  const nlohmann::json schema = nlohmann::json::parse(descriptor->config_schema_json);
  EXPECT_EQ(schema["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], nlohmann::json::array({"path"}));
  for (const auto& [name, property] : schema["properties"].items()) {
    EXPECT_TRUE(property.contains("description")) << name;
  }
  EXPECT_EQ(schema["properties"]["delimiter"]["default"], ",");
  EXPECT_EQ(schema["properties"]["header"]["default"], true);
  EXPECT_EQ(schema["properties"]["columns"]["items"]["additionalProperties"], false);
}

}  // namespace
}  // namespace sluice::csv
