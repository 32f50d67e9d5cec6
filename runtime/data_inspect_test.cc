#include "runtime/data_inspect.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/dataset.hpp"

namespace sluice {
namespace {

namespace fs = std::filesystem;
namespace ds = sluice::dataset;

class DataInspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-inspect-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = (dir_ / "orders.sds").string();
    // id | name     | amount (decimal(6,2)) | day
    //  1 | São      | -0.05                 | 2024-02-29
    // 22 | NULL     | 1234.50               | NULL
    //  3 | "a\nb"   | 0.00                  | 1970-01-01
    ds::Writer writer(path_, {{"id", ds::Type::kInt64},
                              {"name", ds::Type::kString},
                              {"amount", ds::Type::kDecimal, 6, 2},
                              {"day", ds::Type::kDate}},
                      {.chunk_rows = 2});
    writer.AppendInt64(0, 1);
    writer.AppendString(1, "S\xC3\xA3o");
    writer.AppendDecimal(2, -5);
    writer.AppendDate(3, 19782);
    writer.EndRow();
    writer.AppendInt64(0, 22);
    writer.AppendNull(1);
    writer.AppendDecimal(2, 123450);
    writer.AppendNull(3);
    writer.EndRow();
    writer.AppendInt64(0, 3);
    writer.AppendString(1, "a\nb");
    writer.AppendDecimal(2, 0);
    writer.AppendDate(3, 0);
    writer.EndRow();
    writer.Finish();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string path_;
};

TEST_F(DataInspectTest, SchemaTableListsTypesAndCounts) {
  std::ostringstream out;
  ASSERT_TRUE(PrintDatasetSchema(path_, false, out).ok());
  EXPECT_EQ(out.str(), path_ + ": 3 rows in 2 chunks, format version 1\n"
                       "column  type          nullable  nulls\n"
                       "id      int64         yes           0\n"
                       "name    string        yes           1\n"
                       "amount  decimal(6,2)  yes           0\n"
                       "day     date          yes           1\n");
}

TEST_F(DataInspectTest, SchemaJsonIsOneObject) {
  std::ostringstream out;
  ASSERT_TRUE(PrintDatasetSchema(path_, true, out).ok());
  const nlohmann::json doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["rows"], 3);
  EXPECT_EQ(doc["chunks"], 2);
  EXPECT_EQ(doc["format_version"], 1);
  ASSERT_EQ(doc["columns"].size(), 4u);
  EXPECT_EQ(doc["columns"][2]["name"], "amount");
  EXPECT_EQ(doc["columns"][2]["type"], "decimal(6,2)");
  EXPECT_EQ(doc["columns"][2]["nullable"], true);
  EXPECT_EQ(doc["columns"][3]["nulls"], 1);
}

TEST_F(DataInspectTest, HeadTableAlignsNumbersRightAndShowsNull) {
  std::ostringstream out;
  ASSERT_TRUE(PrintDatasetHead(path_, 10, false, out).ok());
  // Widths: id 2, name 4 ("name", "NULL", "a\nb" escaped), amount 7 ("1234.50"), day 10.
  EXPECT_EQ(out.str(),
            "id  name   amount  day\n"
            " 1  São     -0.05  2024-02-29\n"
            "22  NULL  1234.50  NULL\n"
            " 3  a\\nb     0.00  1970-01-01\n");
}

TEST_F(DataInspectTest, HeadStopsAfterNRowsAcrossChunks) {
  std::ostringstream out;
  ASSERT_TRUE(PrintDatasetHead(path_, 2, false, out).ok());
  EXPECT_EQ(out.str(),
            "id  name   amount  day\n"
            " 1  São     -0.05  2024-02-29\n"
            "22  NULL  1234.50  NULL\n");
  std::ostringstream none;
  ASSERT_TRUE(PrintDatasetHead(path_, 0, false, none).ok());
  EXPECT_EQ(none.str(), "id  name  amount  day\n");
}

TEST_F(DataInspectTest, HeadJsonLinesKeepTypesAndExactDecimals) {
  std::ostringstream out;
  ASSERT_TRUE(PrintDatasetHead(path_, 3, true, out).ok());
  std::istringstream lines(out.str());
  std::vector<nlohmann::json> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["id"], 1);
  EXPECT_EQ(rows[0]["name"], "São");
  EXPECT_EQ(rows[0]["amount"], "-0.05");
  EXPECT_EQ(rows[0]["day"], "2024-02-29");
  EXPECT_TRUE(rows[1]["name"].is_null());
  EXPECT_EQ(rows[1]["amount"], "1234.50");
  EXPECT_EQ(rows[2]["name"], "a\nb");
}

TEST_F(DataInspectTest, MissingFileIsAnErrorNamingIt) {
  std::ostringstream out;
  const std::string missing = (dir_ / "nope.sds").string();
  const Status status = PrintDatasetSchema(missing, false, out);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(missing), std::string::npos) << status.message();
}

TEST_F(DataInspectTest, FileThatIsNotADatasetIsAnErrorNamingIt) {
  const std::string csv = (dir_ / "orders.csv").string();
  std::ofstream(csv) << "id,name\n1,a\n";
  std::ostringstream out;
  const Status status = PrintDatasetHead(csv, 5, false, out);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(csv), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("not a sluice dataset"), std::string::npos);
  EXPECT_TRUE(out.str().empty());
}

TEST_F(DataInspectTest, NegativeRowCountIsRefused) {
  std::ostringstream out;
  EXPECT_FALSE(PrintDatasetHead(path_, -1, false, out).ok());
}

TEST_F(DataInspectTest, PreviewHasTheSchemaCountsAndTheFirstRowsInColumnOrder) {
  Result<nlohmann::json> preview = DatasetPreview(path_, 2);
  ASSERT_TRUE(preview.ok()) << preview.message();
  const nlohmann::json& p = *preview;
  EXPECT_EQ(p["rows"], 3);
  EXPECT_EQ(p["chunks"], 2);
  ASSERT_EQ(p["columns"].size(), 4u);
  EXPECT_EQ(p["columns"][2], (nlohmann::json{{"name", "amount"}, {"type", "decimal(6,2)"}, {"nulls", 0}}));
  EXPECT_EQ(p["columns"][1]["nulls"], 1);
  ASSERT_EQ(p["head"].size(), 2u) << "2 of the 3 rows";
  EXPECT_EQ(p["head"][0], (nlohmann::json{1, "S\xC3\xA3o", "-0.05", "2024-02-29"}));
  EXPECT_EQ(p["head"][1], (nlohmann::json{22, nullptr, "1234.50", nullptr}));
  EXPECT_FALSE(DatasetPreview(path_, -1).ok());
  Result<nlohmann::json> missing = DatasetPreview((dir_ / "nope.sds").string(), 5);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("nope.sds"), std::string::npos) << missing.message();
}

}  // namespace
}  // namespace sluice
