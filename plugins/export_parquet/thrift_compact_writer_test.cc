// The compact-protocol encoder against byte strings worked out by hand from the Thrift
// compact protocol specification and parquet.thrift's field ids.
#include "thrift_compact_writer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "parquet_metadata.h"

namespace sluice::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Varint(uint64_t value) {
  Bytes out;
  CompactWriter(&out).AppendVarint(value);
  return out;
}

TEST(CompactWriterTest, VarintsCarrySevenBitsPerByteLowFirst) {
  EXPECT_EQ(Varint(0), (Bytes{0x00}));
  EXPECT_EQ(Varint(1), (Bytes{0x01}));
  EXPECT_EQ(Varint(127), (Bytes{0x7F}));
  EXPECT_EQ(Varint(128), (Bytes{0x80, 0x01}));
  EXPECT_EQ(Varint(300), (Bytes{0xAC, 0x02}));  // 300 = 2 * 128 + 44
  EXPECT_EQ(Varint(16384), (Bytes{0x80, 0x80, 0x01}));
  EXPECT_EQ(Varint(std::numeric_limits<uint64_t>::max()),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}));
}

TEST(CompactWriterTest, ZigZagInterleavesNegativeAndPositive) {
  EXPECT_EQ(CompactWriter::ZigZag(0), 0u);
  EXPECT_EQ(CompactWriter::ZigZag(-1), 1u);
  EXPECT_EQ(CompactWriter::ZigZag(1), 2u);
  EXPECT_EQ(CompactWriter::ZigZag(-2), 3u);
  EXPECT_EQ(CompactWriter::ZigZag(std::numeric_limits<int32_t>::max()), 4294967294u);
  EXPECT_EQ(CompactWriter::ZigZag(std::numeric_limits<int32_t>::min()), 4294967295u);
  EXPECT_EQ(CompactWriter::ZigZag(std::numeric_limits<int64_t>::max()),
            std::numeric_limits<uint64_t>::max() - 1);
  EXPECT_EQ(CompactWriter::ZigZag(std::numeric_limits<int64_t>::min()),
            std::numeric_limits<uint64_t>::max());
}

TEST(CompactWriterTest, FieldsUseIdDeltasNestedStructsAndLists) {
  Bytes out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.I32Field(1, 1);
  w.BinaryField(2, "ab");
  w.I64Field(5, -1);
  w.BoolField(20, true);  // delta 15: still the short form
  w.StructField(21);
  w.BoolField(1, false);  // ids restart at 0 inside the nested struct
  w.EndStruct();
  w.ListField(22, CompactType::kI32, 3);  // delta 1 from 21: the parent's ids resume
  w.I32Element(1);
  w.I32Element(2);
  w.I32Element(3);
  w.I32Field(40, 300);  // delta 18: the long form
  w.EndStruct();
  const Bytes expected = {
      0x15, 0x02,              // 1: i32 (delta 1, type 5), zigzag(1) = 2
      0x18, 0x02, 'a', 'b',    // 2: binary (type 8), length 2
      0x36, 0x01,              // 5: i64 (delta 3, type 6), zigzag(-1) = 1
      0xF1,                    // 20: bool true (delta 15, type 1), no payload
      0x1C,                    // 21: struct (delta 1, type 12)
      0x12,                    //   1: bool false (type 2)
      0x00,                    //   stop
      0x19, 0x35, 0x02, 0x04, 0x06,  // 22: list (type 9); 3 elements of type 5 (i32)
      0x05, 0x50, 0xD8, 0x04,  // 40: type 5 then id zigzag(40) = 80; zigzag(300) = 600
      0x00};                   // stop
  EXPECT_EQ(out, expected);
}

TEST(CompactWriterTest, ListsOfFifteenOrMoreWriteTheirSizeAsVarint) {
  Bytes out;
  CompactWriter w(&out);
  w.BeginStruct();
  w.ListField(1, CompactType::kBinary, 15);
  for (int i = 0; i < 15; ++i) w.BinaryElement("x");
  w.I16Field(3, -2);
  w.EndStruct();
  Bytes expected = {0x19, 0xF8, 0x0F};  // list; 0xF0 | binary; size 15
  for (int i = 0; i < 15; ++i) {
    expected.push_back(0x01);
    expected.push_back('x');
  }
  expected.insert(expected.end(), {0x24, 0x03, 0x00});  // 3: i16 (delta 2, type 4), zigzag(-2)
  EXPECT_EQ(out, expected);
}

TEST(ParquetMetadataTest, DataPageHeaderBytes) {
  PageHeader header;
  header.type = PageType::kDataPage;
  header.uncompressed_page_size = 100;
  header.compressed_page_size = 60;
  header.data_page_header = DataPageHeader{.num_values = 10, .encoding = Encoding::kRleDictionary};
  Bytes out;
  SerializePageHeader(header, &out);
  const Bytes expected = {
      0x15, 0x00,        // 1: type DATA_PAGE = 0
      0x15, 0xC8, 0x01,  // 2: uncompressed_page_size, zigzag(100) = 200
      0x15, 0x78,        // 3: compressed_page_size, zigzag(60) = 120
      0x2C,              // 5: data_page_header (delta 2, struct)
      0x15, 0x14,        //   1: num_values 10
      0x15, 0x10,        //   2: encoding RLE_DICTIONARY = 8
      0x15, 0x06,        //   3: definition_level_encoding RLE = 3
      0x15, 0x06,        //   4: repetition_level_encoding RLE = 3
      0x00, 0x00};
  EXPECT_EQ(out, expected);
}

TEST(ParquetMetadataTest, DictionaryPageHeaderBytes) {
  PageHeader header;
  header.type = PageType::kDictionaryPage;
  header.uncompressed_page_size = 5;
  header.compressed_page_size = 5;
  header.dictionary_page_header = DictionaryPageHeader{.num_values = 2, .encoding = Encoding::kPlain};
  Bytes out;
  SerializePageHeader(header, &out);
  const Bytes expected = {0x15, 0x04,  // 1: DICTIONARY_PAGE = 2
                          0x15, 0x0A,  // 2: 5
                          0x15, 0x0A,  // 3: 5
                          0x4C,        // 7: dictionary_page_header (delta 4, struct)
                          0x15, 0x04,  //   1: num_values 2
                          0x15, 0x00,  //   2: PLAIN
                          0x00, 0x00};
  EXPECT_EQ(out, expected);
}

TEST(ParquetMetadataTest, FileMetaDataWithOneStringColumnBytes) {
  FileMetaData metadata;
  SchemaElement root;
  root.name = "schema";
  root.num_children = 1;
  SchemaElement leaf;
  leaf.type = PhysicalType::kByteArray;
  leaf.repetition = Repetition::kOptional;
  leaf.name = "s";
  leaf.converted_type = ConvertedType::kUtf8;
  leaf.logical_type = LogicalType{LogicalType::Kind::kString};
  metadata.schema = {root, leaf};
  metadata.created_by = "x";
  Bytes out;
  SerializeFileMetaData(metadata, &out);
  const Bytes expected = {
      0x15, 0x02,  // 1: version 1
      0x19, 0x2C,  // 2: schema, list of 2 structs
      0x48, 0x06, 's', 'c', 'h', 'e', 'm', 'a',  //   4: name (delta 4)
      0x15, 0x02,                                //   5: num_children 1
      0x00,
      0x15, 0x0C,       //   1: type BYTE_ARRAY = 6
      0x25, 0x02,       //   3: repetition OPTIONAL = 1 (delta 2)
      0x18, 0x01, 's',  //   4: name
      0x25, 0x00,       //   6: converted_type UTF8 = 0 (delta 2)
      0x4C,             //   10: logicalType (delta 4), a union
      0x1C, 0x00,       //     1: STRING, an empty struct
      0x00,             //   end of the union
      0x00,
      0x16, 0x00,       // 3: num_rows 0 (i64)
      0x19, 0x0C,       // 4: row_groups, empty list of structs
      0x28, 0x01, 'x',  // 6: created_by (delta 2)
      0x19, 0x1C,       // 7: column_orders, list of 1 struct
      0x1C, 0x00,       //   1: TYPE_ORDER, an empty struct
      0x00,             //   end of the union
      0x00};
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace sluice::parquet
