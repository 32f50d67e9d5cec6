#include "csv_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "atomic_file.h"
#include "sluice/plugin.hpp"

namespace sluice::csv {
namespace {

namespace fs = std::filesystem;

class CsvWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-csvw-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // Writes one record of `fields` and returns the file's bytes.
  std::string OneRecord(std::initializer_list<std::string_view> fields, char delimiter = ',') {
    const std::string path = (dir_ / "out.csv").string();
    AtomicFile file(path);
    CsvWriter writer(&file, delimiter, "\n");
    for (std::string_view f : fields) writer.AppendField(f);
    writer.EndRecord();
    writer.Flush();
    file.Commit();
    return ReadBytes(path);
  }

  fs::path dir_;
};

TEST_F(CsvWriterTest, PlainFieldsAreNotQuoted) {
  EXPECT_EQ(OneRecord({"a", "b c", "S\xC3\xA3o Jo\xC3\xA3o", ""}), "a,b c,S\xC3\xA3o Jo\xC3\xA3o,\n");
}

TEST_F(CsvWriterTest, DelimiterQuoteAndLineBreaksForceQuotes) {
  EXPECT_EQ(OneRecord({"a,b", "say \"hi\"", "x\ny", "x\r\ny", "\""}),
            "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\",\"x\r\ny\",\"\"\"\"\n");
}

TEST_F(CsvWriterTest, OnlyTheChosenDelimiterForcesQuotes) {
  EXPECT_EQ(OneRecord({"1,5", "a;b"}, ';'), "1,5;\"a;b\"\n");
}

TEST_F(CsvWriterTest, ForcedQuotesMarkAnEmptyString) {
  const std::string path = (dir_ / "out.csv").string();
  AtomicFile file(path);
  CsvWriter writer(&file, ',', "\r\n");
  writer.AppendField("", true);
  writer.AppendField("");
  writer.EndRecord();
  writer.Flush();
  file.Commit();
  EXPECT_EQ(ReadBytes(path), "\"\",\r\n");
}

TEST_F(CsvWriterTest, AtomicFileCreatesParentFolders) {
  const std::string path = (dir_ / "a" / "b" / "out.csv").string();
  AtomicFile file(path);
  file.Write("x\n", 2);
  file.Commit();
  EXPECT_EQ(ReadBytes(path), "x\n");
}

TEST_F(CsvWriterTest, UncommittedAtomicFileLeavesTargetUntouched) {
  const std::string path = (dir_ / "out.csv").string();
  std::ofstream(path) << "old\n";
  std::string temp;
  {
    AtomicFile file(path);
    temp = file.temp_path();
    file.Write("new\n", 4);
    EXPECT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(ReadBytes(path), "old\n");
}

TEST_F(CsvWriterTest, UnwritableFolderIsAFailure) {
  const std::string blocker = (dir_ / "file").string();
  std::ofstream(blocker) << "x";
  EXPECT_THROW(AtomicFile(blocker + "/out.csv"), sdk::Failure);
}

}  // namespace
}  // namespace sluice::csv
