#include "csv_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sluice/plugin.hpp"

namespace sluice::csv {
namespace {

namespace fs = std::filesystem;

using Rows = std::vector<std::vector<std::string>>;

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-csv-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& bytes, const std::string& name = "in.csv") {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  static Rows ReadAll(const std::string& path, char delimiter = ',') {
    CsvReader reader(path, delimiter);
    std::vector<CsvField> fields;
    Rows rows;
    while (reader.Next(&fields)) {
      rows.emplace_back();
      for (const CsvField& f : fields) rows.back().emplace_back(f.text);
    }
    return rows;
  }

  static std::string FailureOf(const std::string& path) {
    try {
      ReadAll(path);
    } catch (const sdk::Failure& f) {
      return f.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(CsvReaderTest, QuotedFieldKeepsDelimiterQuotesAndNewline) {
  const std::string path = Write("a,\"b,\"\"c\"\"\nd\",e\n");
  EXPECT_EQ(ReadAll(path), (Rows{{"a", "b,\"c\"\nd", "e"}}));
}

TEST_F(CsvReaderTest, CrlfLfAndCrAllEndRecordsButCrlfInsideQuotesIsKept) {
  const std::string path = Write("a,b\r\nc,d\ne,f\rg,\"x\r\ny\"\r\n");
  EXPECT_EQ(ReadAll(path), (Rows{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "x\r\ny"}}));
}

TEST_F(CsvReaderTest, LastRecordWithoutLineEndIsRead) {
  EXPECT_EQ(ReadAll(Write("a,b\n1,2")), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST_F(CsvReaderTest, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(ReadAll(Write("\xEF\xBB\xBFid,nome\n1,S\xC3\xA3o Jo\xC3\xA3o\n")),
            (Rows{{"id", "nome"}, {"1", "São João"}}));
}

TEST_F(CsvReaderTest, SemicolonDelimiterLeavesCommasInFields) {
  EXPECT_EQ(ReadAll(Write("a;b\n1,5;\"x;y\"\n"), ';'), (Rows{{"a", "b"}, {"1,5", "x;y"}}));
}

TEST_F(CsvReaderTest, EmptyUnquotedAndQuotedEmptyAreDistinguished) {
  CsvReader reader(Write(",\"\",x,\n"), ',');
  std::vector<CsvField> fields;
  ASSERT_TRUE(reader.Next(&fields));
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].text, "");
  EXPECT_FALSE(fields[0].quoted);
  EXPECT_EQ(fields[1].text, "");
  EXPECT_TRUE(fields[1].quoted);
  EXPECT_EQ(fields[2].text, "x");
  EXPECT_EQ(fields[3].text, "");
  EXPECT_FALSE(fields[3].quoted);
  EXPECT_FALSE(reader.Next(&fields));
}

TEST_F(CsvReaderTest, BlankLinesAreSkipped) {
  EXPECT_EQ(ReadAll(Write("a\n\n\r\nb\n\n")), (Rows{{"a"}, {"b"}}));
}

TEST_F(CsvReaderTest, LineNumbersCountNewlinesInsideQuotes) {
  // Line 1: header. Lines 2-4: one record whose second field spans three lines (LF, CRLF).
  // Line 5: blank. Line 6: a record.
  CsvReader reader(Write("h1,h2\n1,\"x\ny\r\nz\"\n\n2,\"w\"\n"), ',');
  std::vector<CsvField> fields;
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_EQ(reader.record_line(), 1);
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_EQ(reader.record_line(), 2);
  ASSERT_TRUE(reader.Next(&fields));
  EXPECT_EQ(reader.record_line(), 6);
  EXPECT_EQ(fields[1].line, 6);
}

TEST_F(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItStarts) {
  const std::string path = Write("a,b\n1,2\n3,\"never\nclosed\n");
  const std::string error = FailureOf(path);
  EXPECT_NE(error.find(path + ":3:"), std::string::npos) << error;
  EXPECT_NE(error.find("closing quote"), std::string::npos) << error;
}

TEST_F(CsvReaderTest, TextAfterClosingQuoteIsRejected) {
  const std::string path = Write("a,b\n\"x\"y,2\n");
  const std::string error = FailureOf(path);
  EXPECT_NE(error.find(path + ":2:"), std::string::npos) << error;
  EXPECT_NE(error.find("'y'"), std::string::npos) << error;
}

TEST_F(CsvReaderTest, QuoteInsideUnquotedFieldIsText) {
  EXPECT_EQ(ReadAll(Write("5\"10,x\n")), (Rows{{"5\"10", "x"}}));
}

TEST_F(CsvReaderTest, MissingFileIsAFailure) {
  EXPECT_THROW(CsvReader((dir_ / "nope.csv").string(), ','), sdk::Failure);
}

TEST_F(CsvReaderTest, FieldsSpanningTheReadBufferAreIntact) {
  // 200,000 records of ~20 bytes cross the 1 MiB read buffer several times, inside quoted
  // fields, doubled quotes and CRLF pairs alike.
  std::string csv;
  for (int i = 0; i < 200000; ++i) {
    csv += std::to_string(i) + ",\"q\"\"" + std::to_string(i) + "\r\nz\"\r\n";
  }
  CsvReader reader(Write(csv), ',');
  std::vector<CsvField> fields;
  int count = 0;
  bool all_match = true;
  while (reader.Next(&fields)) {
    all_match = all_match && fields.size() == 2 && fields[0].text == std::to_string(count) &&
                fields[1].text == "q\"" + std::to_string(count) + "\r\nz" &&
                reader.record_line() == 2 * count + 1;
    ++count;
  }
  EXPECT_EQ(count, 200000);
  EXPECT_TRUE(all_match);
}

TEST_F(CsvReaderTest, RawRecordIsTheRecordsBytesWithoutItsLineEnd) {
  CsvReader reader(Write("\xEF\xBB\xBF" "a,\"b\"\"c\"\r\n\n1,\"x\ny\"\r2,3"), ',');
  reader.KeepRawRecords();
  std::vector<CsvField> fields;
  std::vector<std::string> raws;
  while (reader.Next(&fields)) raws.emplace_back(reader.raw_record());
  EXPECT_EQ(raws, (std::vector<std::string>{"a,\"b\"\"c\"", "1,\"x\ny\"", "2,3"}));
}

TEST_F(CsvReaderTest, RawRecordsSpanningTheReadBufferAreWhole) {
  // Every record crosses the 1 MiB read buffer at a different place.
  std::vector<std::string> records;
  std::string csv;
  for (int i = 0; i < 5; ++i) {
    records.push_back(std::to_string(i) + ",\"" + std::string(400000 + i * 7, 'x') + "\n\"\"z\"");
    csv += records.back() + "\r\n";
  }
  CsvReader reader(Write(csv), ',');
  reader.KeepRawRecords();
  std::vector<CsvField> fields;
  size_t i = 0;
  for (; reader.Next(&fields); ++i) {
    ASSERT_LT(i, records.size());
    EXPECT_TRUE(reader.raw_record() == records[i]) << "record " << i;
  }
  EXPECT_EQ(i, records.size());
}

TEST_F(CsvReaderTest, AgreesWithPythonCsvModule) {
  const std::string csv =
      "id,text,note\r\n"
      "1,\"multi\nline\",\"with \"\"quotes\"\"\"\r\n"
      "2,,\"\"\r\n"
      "3,S\xC3\xA3o Jo\xC3\xA3o,\"a,b\"\n"
      "4,\"\",\"x\r\ny\"\n";
  const std::string path = Write(csv);
  const std::string out = (dir_ / "py.json").string();
  const std::string command =
      "/usr/bin/python3 -c 'import csv, json, sys\n"
      "rows = list(csv.reader(open(sys.argv[1], newline=\"\", encoding=\"utf-8\")))\n"
      "json.dump(rows, open(sys.argv[2], \"w\"))' " + path + " " + out;
  ASSERT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(out);
  const Rows python = nlohmann::json::parse(in).get<Rows>();
  EXPECT_EQ(ReadAll(path), python);
  EXPECT_EQ(python.size(), 5u);
}

TEST(Utf8Test, AcceptsWellFormedAndRejectsMalformed) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("S\xC3\xA3o Jo\xC3\xA3o"));
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC \xF0\x9F\x98\x80"));  // euro sign, emoji
  EXPECT_FALSE(IsValidUtf8("\xE3o"));                          // Latin-1 "ão"
  EXPECT_FALSE(IsValidUtf8("\xC3"));                           // cut short
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                       // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                   // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));               // past U+10FFFF
}

}  // namespace
}  // namespace sluice::csv
