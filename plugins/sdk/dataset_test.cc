#include "sluice/dataset.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace sluice::dataset {
namespace {

namespace fs = std::filesystem;

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-dataset-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string PathOf(const std::string& name) const { return (dir_ / name).string(); }

  static std::string ReadBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void WriteBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }
  // The message of the Error that opening `path` throws, or "" if it opens.
  static std::string OpenError(const std::string& path) {
    try {
      Reader reader(path);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  std::string WriteSmallInt64Dataset(const std::string& name, int rows) {
    const std::string path = PathOf(name);
    Writer writer(path, {{"n", Type::kInt64}});
    for (int i = 0; i < rows; ++i) {
      writer.AppendInt64(0, i);
      writer.EndRow();
    }
    writer.Finish();
    return path;
  }

  fs::path dir_;
};

TEST_F(DatasetTest, RoundTripsEveryTypeIncludingNulls) {
  const std::string path = PathOf("all.sds");
  const Schema schema = {{"i", Type::kInt64},         {"f", Type::kFloat64},
                         {"d", Type::kDecimal, 10, 2}, {"s", Type::kString},
                         {"b", Type::kBool},           {"day", Type::kDate},
                         {"ts", Type::kTimestamp}};
  {
    Writer writer(path, schema);
    writer.AppendInt64(0, -7);
    writer.AppendFloat64(1, 2.5);
    writer.AppendDecimal(2, -1230);
    writer.AppendString(3, "São João");
    writer.AppendBool(4, true);
    writer.AppendDate(5, 19782);
    writer.AppendTimestamp(6, 1772953200'000042);
    writer.EndRow();
    for (size_t c = 0; c < schema.size(); ++c) writer.AppendNull(c);
    writer.EndRow();
    // Columns may be filled in any order within a row.
    writer.AppendTimestamp(6, -1);
    writer.AppendDate(5, -1);
    writer.AppendBool(4, false);
    writer.AppendString(3, "");
    writer.AppendDecimal(2, 0);
    writer.AppendFloat64(1, -0.0);
    writer.AppendInt64(0, std::numeric_limits<int64_t>::max());
    writer.EndRow();
    writer.Finish();
  }

  Reader reader(path);
  ASSERT_EQ(reader.schema().size(), schema.size());
  for (size_t c = 0; c < schema.size(); ++c) {
    EXPECT_EQ(reader.schema()[c].name, schema[c].name);
    EXPECT_EQ(reader.schema()[c].type, schema[c].type);
  }
  EXPECT_EQ(reader.schema()[2].precision, 10);
  EXPECT_EQ(reader.schema()[2].scale, 2);
  EXPECT_EQ(reader.row_count(), 3);
  ASSERT_EQ(reader.chunk_count(), 1u);
  const ChunkView chunk = reader.chunk(0);
  ASSERT_EQ(chunk.row_count(), 3);

  EXPECT_EQ(chunk.column(0).Int64At(0), -7);
  EXPECT_EQ(chunk.column(1).Float64At(0), 2.5);
  EXPECT_EQ(chunk.column(2).DecimalAt(0), -1230);
  EXPECT_EQ(chunk.column(3).StringAt(0), "São João");
  EXPECT_TRUE(chunk.column(4).BoolAt(0));
  EXPECT_EQ(chunk.column(5).DateAt(0), 19782);
  EXPECT_EQ(chunk.column(6).TimestampAt(0), 1772953200'000042);

  for (size_t c = 0; c < schema.size(); ++c) {
    EXPECT_FALSE(chunk.column(c).IsNull(0)) << c;
    EXPECT_TRUE(chunk.column(c).IsNull(1)) << c;
    EXPECT_FALSE(chunk.column(c).IsNull(2)) << c;
    EXPECT_EQ(chunk.column(c).null_count(), 1) << c;
    EXPECT_EQ(reader.null_count(c), 1) << c;
  }

  EXPECT_EQ(chunk.column(0).Int64At(2), std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(std::signbit(chunk.column(1).Float64At(2)));
  EXPECT_EQ(chunk.column(2).DecimalAt(2), 0);
  EXPECT_EQ(chunk.column(3).StringAt(2), "");
  EXPECT_FALSE(chunk.column(4).BoolAt(2));
  EXPECT_EQ(chunk.column(5).DateAt(2), -1);
  EXPECT_EQ(chunk.column(6).TimestampAt(2), -1);
}

TEST_F(DatasetTest, ChunkWithoutNullsReportsNoNulls) {
  const std::string path = WriteSmallInt64Dataset("plain.sds", 5);
  Reader reader(path);
  const ChunkView chunk = reader.chunk(0);
  EXPECT_EQ(chunk.column(0).null_count(), 0);
  for (int64_t row = 0; row < 5; ++row) {
    EXPECT_FALSE(chunk.column(0).IsNull(row));
    EXPECT_EQ(chunk.column(0).Int64At(row), row);
  }
}

TEST_F(DatasetTest, SplitsRowsIntoChunksOfTheRequestedSize) {
  const std::string path = PathOf("chunks.sds");
  {
    Writer writer(path, {{"n", Type::kInt64}, {"s", Type::kString}}, {.chunk_rows = 3});
    for (int i = 0; i < 10; ++i) {
      writer.AppendInt64(0, i * 10);
      if (i % 4 == 1) {
        writer.AppendNull(1);
      } else {
        writer.AppendString(1, std::string(static_cast<size_t>(i), 'x'));
      }
      writer.EndRow();
    }
    writer.Finish();
  }
  Reader reader(path);
  EXPECT_EQ(reader.row_count(), 10);
  ASSERT_EQ(reader.chunk_count(), 4u);
  const std::vector<int64_t> expected_sizes = {3, 3, 3, 1};
  int i = 0;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ChunkView chunk = reader.chunk(c);
    EXPECT_EQ(chunk.row_count(), expected_sizes[c]);
    for (int64_t row = 0; row < chunk.row_count(); ++row, ++i) {
      EXPECT_EQ(chunk.column(0).Int64At(row), i * 10);
      EXPECT_EQ(chunk.column(1).IsNull(row), i % 4 == 1);
      if (i % 4 != 1) {
        EXPECT_EQ(chunk.column(1).StringAt(row).size(), static_cast<size_t>(i));
      }
    }
  }
  EXPECT_EQ(i, 10);
  // Rows 1, 5 and 9 are null: chunks 0, 1 and 3 have one each, chunk 2 (rows 6-8) none.
  EXPECT_EQ(reader.chunk(2).column(1).null_count(), 0);
  EXPECT_EQ(reader.null_count(1), 3);
}

// Validity bits appear only at a chunk's first null: a null at any position, after any
// number of present rows (inside a byte, at a byte boundary, late), reads back exactly.
TEST_F(DatasetTest, FirstNullAtAnyRowKeepsEveryEarlierRowPresent) {
  for (const int first_null : {0, 1, 7, 8, 9, 16, 63, 100}) {
    const std::string path = PathOf("late-null-" + std::to_string(first_null) + ".sds");
    {
      Writer writer(path, {{"n", Type::kInt64}, {"s", Type::kString}});
      for (int i = 0; i < 120; ++i) {
        const bool null = i == first_null || (i > first_null && i % 5 == 0);
        if (null) {
          writer.AppendNull(0);
          writer.AppendNull(1);
        } else {
          writer.AppendInt64(0, i);
          writer.AppendString(1, std::to_string(i));
        }
        writer.EndRow();
      }
      writer.Finish();
    }
    Reader reader(path);
    const ChunkView chunk = reader.chunk(0);
    for (int64_t i = 0; i < 120; ++i) {
      const bool null = i == first_null || (i > first_null && i % 5 == 0);
      ASSERT_EQ(chunk.column(0).IsNull(i), null) << "first null " << first_null << ", row " << i;
      ASSERT_EQ(chunk.column(1).IsNull(i), null) << "first null " << first_null << ", row " << i;
      if (!null) {
        EXPECT_EQ(chunk.column(0).Int64At(i), i);
        EXPECT_EQ(chunk.column(1).StringAt(i), std::to_string(i));
      }
    }
  }
}

TEST_F(DatasetTest, ColumnAtATimeAppendsReadBackLikeRowAppends) {
  const std::string path = PathOf("bulk.sds");
  const Schema schema = {{"i", Type::kInt64},       {"d", Type::kDecimal, 10, 2}, {"f", Type::kFloat64},
                         {"b", Type::kBool},        {"day", Type::kDate},         {"ts", Type::kTimestamp},
                         {"s", Type::kString}};
  // 10 rows in batches of 4, 4, 2 with chunk_rows 3: chunks may run over by part of a batch.
  {
    Writer writer(path, schema, {.chunk_rows = 3});
    for (size_t first = 0; first < 10;) {
      const size_t n = first < 8 ? 4 : 2;
      std::vector<uint64_t> ints, decimals, floats, bools, days, stamps;
      std::vector<uint8_t> present;
      std::vector<std::string> texts;
      for (size_t k = 0; k < n; ++k) {
        const int64_t row = static_cast<int64_t>(first + k);
        ints.push_back(static_cast<uint64_t>(row - 5));
        decimals.push_back(static_cast<uint64_t>(-row * 101));
        floats.push_back(std::bit_cast<uint64_t>(row * 0.5));
        bools.push_back(static_cast<uint64_t>(row % 2));
        days.push_back(static_cast<uint64_t>(int64_t{-row}));  // dates before 1970 too
        stamps.push_back(static_cast<uint64_t>(row * 1'000'000));
        present.push_back(row % 3 == 2 ? 0 : 1);
        texts.push_back(std::string(static_cast<size_t>(row), 'a' + static_cast<char>(row)));
      }
      const std::vector<std::string_view> views(texts.begin(), texts.end());
      writer.AppendFixedColumn(0, ints.data(), nullptr, n);
      writer.AppendFixedColumn(1, decimals.data(), present.data(), n);
      writer.AppendFixedColumn(2, floats.data(), nullptr, n);
      writer.AppendFixedColumn(3, bools.data(), present.data(), n);
      writer.AppendFixedColumn(4, days.data(), nullptr, n);
      writer.AppendFixedColumn(5, stamps.data(), present.data(), n);
      writer.AppendStringColumn(6, views.data(), present.data(), n);
      writer.EndRows(n);
      first += n;
    }
    writer.Finish();
  }
  Reader reader(path);
  ASSERT_EQ(reader.row_count(), 10);
  ASSERT_EQ(reader.chunk_count(), 3u);  // 4 (over 3), 4, 2
  int64_t row = 0;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ChunkView chunk = reader.chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r, ++row) {
      const bool null = row % 3 == 2;
      EXPECT_EQ(chunk.column(0).Int64At(r), row - 5);
      EXPECT_EQ(chunk.column(1).IsNull(r), null);
      if (!null) {
        EXPECT_EQ(chunk.column(1).DecimalAt(r), -row * 101);
      }
      EXPECT_EQ(chunk.column(2).Float64At(r), static_cast<double>(row) * 0.5);
      EXPECT_EQ(chunk.column(3).IsNull(r), null);
      if (!null) {
        EXPECT_EQ(chunk.column(3).BoolAt(r), row % 2 == 1);
      }
      EXPECT_EQ(chunk.column(4).DateAt(r), -row);
      EXPECT_EQ(chunk.column(5).IsNull(r), null);
      if (!null) {
        EXPECT_EQ(chunk.column(5).TimestampAt(r), row * 1'000'000);
      }
      EXPECT_EQ(chunk.column(6).IsNull(r), null);
      if (!null) {
        EXPECT_EQ(chunk.column(6).StringAt(r), std::string(static_cast<size_t>(row), 'a' + static_cast<char>(row)));
      }
    }
  }
  EXPECT_EQ(row, 10);
  EXPECT_EQ(reader.null_count(0), 0);
  EXPECT_EQ(reader.null_count(6), 3);  // rows 2, 5, 8
}

TEST_F(DatasetTest, BulkAppendsMustCoverEveryColumnOnce) {
  Writer writer(PathOf("bad-bulk.sds"), {{"n", Type::kInt64}, {"s", Type::kString}});
  const uint64_t bits[2] = {1, 2};
  const std::string_view texts[2] = {"a", "b"};
  writer.AppendFixedColumn(0, bits, nullptr, 2);
  EXPECT_THROW(writer.AppendFixedColumn(0, bits, nullptr, 2), Error);  // twice before EndRows
  EXPECT_THROW(writer.AppendFixedColumn(1, bits, nullptr, 2), Error);  // string column
  EXPECT_THROW(writer.EndRows(2), Error);                              // column s has none
  writer.AppendStringColumn(1, texts, nullptr, 1);
  EXPECT_THROW(writer.EndRows(2), Error);  // s has 1 of 2
}

TEST_F(DatasetTest, EmptyDatasetKeepsItsSchema) {
  const std::string path = PathOf("empty.sds");
  {
    Writer writer(path, {{"a", Type::kString}, {"amount", Type::kDecimal, 12, 4}});
    writer.Finish();
  }
  Reader reader(path);
  EXPECT_EQ(reader.row_count(), 0);
  EXPECT_EQ(reader.chunk_count(), 0u);
  ASSERT_EQ(reader.schema().size(), 2u);
  EXPECT_EQ(TypeName(reader.schema()[1]), "decimal(12,4)");
}

TEST_F(DatasetTest, MillionRowColumnIsWrittenChunkByChunk) {
  const std::string path = PathOf("million.sds");
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  constexpr int64_t kRows = 1'000'000;
  {
    Writer writer(path, {{"n", Type::kInt64}});
    for (int64_t i = 0; i < kRows; ++i) {
      writer.AppendInt64(0, i);
      writer.EndRow();
      // Streaming means full chunks are already on disk, not held in memory until Finish().
      if (i + 1 == 2 * kDefaultChunkRows) {
        EXPECT_GE(fs::file_size(temp), static_cast<uintmax_t>(2 * kDefaultChunkRows * 8));
        EXPECT_FALSE(fs::exists(path));
      }
    }
    writer.Finish();
    EXPECT_EQ(writer.file_size(), fs::file_size(path));
  }
  Reader reader(path);
  EXPECT_EQ(reader.row_count(), kRows);
  EXPECT_EQ(reader.chunk_count(), static_cast<size_t>((kRows + kDefaultChunkRows - 1) / kDefaultChunkRows));
  int64_t sum = 0, expected_next = 0;
  bool in_order = true;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ColumnView column = reader.chunk(c).column(0);
    for (int64_t row = 0; row < column.size(); ++row) {
      const int64_t v = column.Int64At(row);
      in_order = in_order && v == expected_next++;
      sum += v;
    }
  }
  EXPECT_TRUE(in_order);
  EXPECT_EQ(sum, kRows * (kRows - 1) / 2);
}

TEST_F(DatasetTest, TruncatedFileIsRefusedNamingTheFile) {
  const std::string path = WriteSmallInt64Dataset("cut.sds", 100);
  const std::string bytes = ReadBytes(path);
  for (size_t keep : {size_t{0}, size_t{10}, bytes.size() / 2, bytes.size() - 1}) {
    WriteBytes(path, bytes.substr(0, keep));
    const std::string error = OpenError(path);
    EXPECT_NE(error.find(path), std::string::npos) << keep << ": " << error;
  }
}

TEST_F(DatasetTest, CorruptFooterIsRefused) {
  const std::string path = WriteSmallInt64Dataset("flip.sds", 100);
  std::string bytes = ReadBytes(path);
  // The trailer's first 8 bytes hold the footer's offset; flip one byte of the footer.
  uint64_t footer_offset = 0;
  std::memcpy(&footer_offset, bytes.data() + bytes.size() - kTrailerSize, 8);
  bytes[footer_offset + 20] ^= 0x40;
  WriteBytes(path, bytes);
  const std::string error = OpenError(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("checksum"), std::string::npos) << error;
}

TEST_F(DatasetTest, UnknownFormatVersionIsRefused) {
  const std::string path = WriteSmallInt64Dataset("v2.sds", 3);
  std::string bytes = ReadBytes(path);
  bytes[8] = 2;  // the version is the little-endian uint32 after the 8-byte magic
  WriteBytes(path, bytes);
  const std::string error = OpenError(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("version 2"), std::string::npos) << error;
  EXPECT_NE(error.find("upgrade"), std::string::npos) << error;
}

TEST_F(DatasetTest, FileThatIsNotADatasetIsRefused) {
  const std::string path = PathOf("data.csv");
  WriteBytes(path, "id,name\n1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n7,g\n");
  const std::string error = OpenError(path);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("not a sluice dataset"), std::string::npos) << error;
  EXPECT_NE(OpenError(PathOf("missing.sds")).find("cannot open"), std::string::npos);
}

TEST_F(DatasetTest, UnfinishedWriterLeavesNothingBehind) {
  const std::string path = PathOf("partial.sds");
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  {
    Writer writer(path, {{"n", Type::kInt64}});
    writer.AppendInt64(0, 1);
    writer.EndRow();
    EXPECT_TRUE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(path));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(DatasetTest, FinishReplacesAnOlderDataset) {
  const std::string path = WriteSmallInt64Dataset("again.sds", 3);
  WriteSmallInt64Dataset("again.sds", 5);
  EXPECT_EQ(Reader(path).row_count(), 5);
  EXPECT_FALSE(fs::exists(path + ".tmp-" + std::to_string(::getpid())));
}

TEST_F(DatasetTest, RowMissingAColumnIsRefused) {
  Writer writer(PathOf("bad.sds"), {{"a", Type::kInt64}, {"b", Type::kInt64}});
  writer.AppendInt64(0, 1);
  EXPECT_THROW(writer.EndRow(), Error);
  EXPECT_THROW(writer.AppendInt64(0, 2), Error);  // column a already has this row's value
  EXPECT_THROW(writer.AppendString(1, "x"), Error);  // wrong type
}

TEST_F(DatasetTest, SchemaWithDuplicateOrInvalidColumnsIsRefused) {
  EXPECT_THROW(Writer(PathOf("d.sds"), {{"a", Type::kInt64}, {"a", Type::kString}}), Error);
  EXPECT_THROW(Writer(PathOf("e.sds"), {{"", Type::kInt64}}), Error);
  EXPECT_THROW(Writer(PathOf("f.sds"), {{"m", Type::kDecimal, 19, 2}}), Error);
  EXPECT_THROW(Writer(PathOf("g.sds"), Schema{}), Error);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(DatasetTest, BuffersAreEightByteAligned) {
  const std::string path = PathOf("aligned.sds");
  {
    // Odd-sized strings and bools would misalign whatever follows without padding.
    Writer writer(path, {{"s", Type::kString}, {"b", Type::kBool}, {"n", Type::kInt64}},
                  {.chunk_rows = 3});
    for (int i = 0; i < 7; ++i) {
      writer.AppendString(0, std::string(static_cast<size_t>(i % 3 + 1), 'a'));
      writer.AppendBool(1, i % 2 == 0);
      writer.AppendInt64(2, i);
      writer.EndRow();
    }
    writer.Finish();
  }
  Reader reader(path);
  int i = 0;
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ChunkView chunk = reader.chunk(c);
    for (int64_t row = 0; row < chunk.row_count(); ++row, ++i) {
      EXPECT_EQ(chunk.column(2).Int64At(row), i);  // UBSan flags a misaligned load here
      EXPECT_EQ(chunk.column(1).BoolAt(row), i % 2 == 0);
    }
  }
  EXPECT_EQ(fs::file_size(path) % 8, 0u);
}

// --- Text formatting -------------------------------------------------------------------------

TEST(DatasetFormatTest, DecimalKeepsItsScaleAndSign) {
  EXPECT_EQ(FormatDecimal(-1230, 2), "-12.30");
  EXPECT_EQ(FormatDecimal(0, 2), "0.00");
  EXPECT_EQ(FormatDecimal(-5, 2), "-0.05");
  EXPECT_EQ(FormatDecimal(5, 3), "0.005");
  EXPECT_EQ(FormatDecimal(42, 0), "42");
  EXPECT_EQ(FormatDecimal(-100, 2), "-1.00");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<int64_t>::min(), 18), "-9.223372036854775808");
}

TEST(DatasetFormatTest, DateIsIsoCalendarDay) {
  // Day numbers from python3: (date(y, m, d) - date(1970, 1, 1)).days
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(10957), "2000-01-01");
  EXPECT_EQ(FormatDate(19782), "2024-02-29");
  EXPECT_EQ(FormatDate(-25508), "1900-03-01");
}

TEST(DatasetFormatTest, TimestampShowsFractionOnlyWhenPresent) {
  // 2026-03-08T07:00:00Z is 1772953200 s after the epoch (python3 datetime(...).timestamp()).
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(1), "1970-01-01 00:00:00.000001");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(FormatTimestamp(1772953200'000000), "2026-03-08 07:00:00");
  EXPECT_EQ(FormatTimestamp(1772953200'120000), "2026-03-08 07:00:00.120000");
}

TEST(DatasetFormatTest, Float64IsShortestRoundTrip) {
  EXPECT_EQ(FormatFloat64(0.1), "0.1");
  EXPECT_EQ(FormatFloat64(-2.5), "-2.5");
  EXPECT_EQ(FormatFloat64(1e300), "1e+300");
  EXPECT_EQ(FormatFloat64(3.0), "3");
  const double third = 1.0 / 3.0;
  double back = 0;
  std::string error;
  ASSERT_TRUE(ParseFloat64(FormatFloat64(third), &back, &error));
  EXPECT_EQ(back, third);
}

// --- Text parsing ----------------------------------------------------------------------------

TEST(DatasetParseTest, DecimalIsExact) {
  int64_t v = 0;
  std::string error;
  ASSERT_TRUE(ParseDecimal("-0.05", 10, 2, &v, &error)) << error;
  EXPECT_EQ(v, -5);
  ASSERT_TRUE(ParseDecimal("12.3", 10, 2, &v, &error)) << error;
  EXPECT_EQ(v, 1230);
  ASSERT_TRUE(ParseDecimal("1.500", 10, 2, &v, &error)) << error;
  EXPECT_EQ(v, 150);
  ASSERT_TRUE(ParseDecimal("+7", 3, 0, &v, &error)) << error;
  EXPECT_EQ(v, 7);
  ASSERT_TRUE(ParseDecimal("00012345678.12", 10, 2, &v, &error)) << error;
  EXPECT_EQ(v, 1234567812);
  ASSERT_TRUE(ParseDecimal("999999999999999999", 18, 0, &v, &error)) << error;
  EXPECT_EQ(v, 999999999999999999);
}

TEST(DatasetParseTest, DecimalRefusesWhatItCannotHoldExactly) {
  int64_t v = 0;
  std::string error;
  EXPECT_FALSE(ParseDecimal("1.234", 10, 2, &v, &error));
  EXPECT_NE(error.find("more than 2 digits after the point"), std::string::npos) << error;
  EXPECT_FALSE(ParseDecimal("123456789", 10, 2, &v, &error));
  EXPECT_NE(error.find("more than 8 digits before the point"), std::string::npos) << error;
  EXPECT_FALSE(ParseDecimal("12,30", 10, 2, &v, &error));
  EXPECT_FALSE(ParseDecimal("-", 10, 2, &v, &error));
  EXPECT_FALSE(ParseDecimal("1.2.3", 10, 2, &v, &error));
}

TEST(DatasetParseTest, Int64RejectsFractionsAndOverflow) {
  int64_t v = 0;
  std::string error;
  ASSERT_TRUE(ParseInt64(" -42 ", &v, &error)) << error;
  EXPECT_EQ(v, -42);
  EXPECT_FALSE(ParseInt64("1.5", &v, &error));
  EXPECT_FALSE(ParseInt64("", &v, &error));
  EXPECT_FALSE(ParseInt64("9223372036854775808", &v, &error));
  EXPECT_NE(error.find("out of the int64 range"), std::string::npos) << error;
}

TEST(DatasetParseTest, DateMustBeARealDay) {
  int32_t days = 0;
  std::string error;
  ASSERT_TRUE(ParseDate("2024-02-29", &days, &error)) << error;
  EXPECT_EQ(days, 19782);
  EXPECT_FALSE(ParseDate("2023-02-29", &days, &error));
  EXPECT_FALSE(ParseDate("2024-2-29", &days, &error));
  EXPECT_FALSE(ParseDate("29/02/2024", &days, &error));
  EXPECT_NE(error.find("YYYY-MM-DD"), std::string::npos) << error;
}

TEST(DatasetParseTest, TimestampAcceptsFractionsAndOffsets) {
  int64_t us = 0;
  std::string error;
  ASSERT_TRUE(ParseTimestamp("2026-03-08 07:00:00", &us, &error)) << error;
  EXPECT_EQ(us, 1772953200'000000);
  ASSERT_TRUE(ParseTimestamp("2026-03-08T07:00:00.5Z", &us, &error)) << error;
  EXPECT_EQ(us, 1772953200'500000);
  ASSERT_TRUE(ParseTimestamp("2026-03-08T09:00:00+02:00", &us, &error)) << error;
  EXPECT_EQ(us, 1772953200'000000);
  ASSERT_TRUE(ParseTimestamp("2026-03-08", &us, &error)) << error;
  EXPECT_EQ(us, (1772953200 - 7 * 3600) * int64_t{1'000'000});
  EXPECT_FALSE(ParseTimestamp("2026-03-08 24:00:00", &us, &error));
  EXPECT_FALSE(ParseTimestamp("2026-03-08 07:00", &us, &error));
  EXPECT_FALSE(ParseTimestamp("2026-03-08 07:00:00.1234567", &us, &error));
}

TEST(DatasetParseTest, BoolAcceptsWordsAndDigits) {
  bool b = false;
  std::string error;
  ASSERT_TRUE(ParseBool("TRUE", &b, &error));
  EXPECT_TRUE(b);
  ASSERT_TRUE(ParseBool("0", &b, &error));
  EXPECT_FALSE(b);
  EXPECT_FALSE(ParseBool("yes please", &b, &error));
}

TEST(DatasetParseTest, TypeNamesRoundTrip) {
  Column column{"amount"};
  std::string error;
  ASSERT_TRUE(ParseTypeName("decimal(10,2)", &column, &error)) << error;
  EXPECT_EQ(column.type, Type::kDecimal);
  EXPECT_EQ(column.precision, 10);
  EXPECT_EQ(column.scale, 2);
  EXPECT_EQ(column.name, "amount");
  EXPECT_EQ(TypeName(column), "decimal(10,2)");
  ASSERT_TRUE(ParseTypeName("timestamp", &column, &error));
  EXPECT_EQ(column.type, Type::kTimestamp);
  EXPECT_FALSE(ParseTypeName("decimal(19,2)", &column, &error));
  EXPECT_NE(error.find("between 1 and 18"), std::string::npos) << error;
  EXPECT_FALSE(ParseTypeName("decimal(4,5)", &column, &error));
  EXPECT_FALSE(ParseTypeName("varchar", &column, &error));
  EXPECT_NE(error.find("unknown type 'varchar'"), std::string::npos) << error;
}

TEST(DatasetParseTest, AppendParsedStoresTypedValueOrExplains) {
  const std::string path = (fs::temp_directory_path() / ("sluice-parsed-" + std::to_string(::getpid()) + ".sds")).string();
  {
    Writer writer(path, {{"d", Type::kDecimal, 6, 2}, {"day", Type::kDate}});
    std::string error;
    EXPECT_FALSE(writer.AppendParsed(0, "abc", &error));
    EXPECT_NE(error.find("'abc'"), std::string::npos) << error;
    ASSERT_TRUE(writer.AppendParsed(0, "-12.3", &error)) << error;  // the failure appended nothing
    ASSERT_TRUE(writer.AppendParsed(1, "2000-01-01", &error)) << error;
    writer.EndRow();
    writer.Finish();
  }
  {
    Reader reader(path);
    EXPECT_EQ(reader.chunk(0).column(0).DecimalAt(0), -1230);
    EXPECT_EQ(reader.chunk(0).column(1).DateAt(0), 10957);
  }
  fs::remove(path);
}

}  // namespace
}  // namespace sluice::dataset
