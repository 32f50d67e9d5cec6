// The RLE / bit-packing hybrid encoder, checked against bytes worked out by hand from
// Parquet's Encodings.md and decoded back by an independent decoder written here.
#include "rle_hybrid_encoder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace sluice::parquet {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes Encode(int bit_width, const std::vector<uint32_t>& values) {
  ByteBuffer buffer;
  RleHybridEncoder encoder(bit_width, &buffer);
  for (uint32_t v : values) encoder.Put(v);
  encoder.Flush();
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

struct Decoded {
  std::vector<uint32_t> values;
  int rle_runs = 0;
  int bit_packed_runs = 0;
};

// Decodes `count` values, straight from the specification: runs until `count` values are
// out; a bit-packed run's padding past `count` is dropped.
Decoded Decode(const Bytes& bytes, int bit_width, size_t count) {
  Decoded out;
  size_t pos = 0;
  auto varint = [&] {
    uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t byte = bytes.at(pos++);
      value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
  };
  while (out.values.size() < count) {
    const uint64_t header = varint();
    if (header & 1) {
      ++out.bit_packed_runs;
      const uint64_t values = (header >> 1) * 8;
      const size_t start_bit = pos * 8;
      for (uint64_t i = 0; i < values; ++i) {
        uint32_t value = 0;
        for (int b = 0; b < bit_width; ++b) {
          const size_t bit = start_bit + i * static_cast<size_t>(bit_width) + static_cast<size_t>(b);
          if (bytes.at(bit / 8) >> (bit % 8) & 1) value |= 1u << b;
        }
        if (out.values.size() < count) out.values.push_back(value);
      }
      pos += (header >> 1) * static_cast<uint64_t>(bit_width);
    } else {
      ++out.rle_runs;
      uint32_t value = 0;
      for (int b = 0; b < (bit_width + 7) / 8; ++b) value |= uint32_t{bytes.at(pos++)} << (8 * b);
      out.values.insert(out.values.end(), header >> 1, value);
    }
  }
  EXPECT_EQ(pos, bytes.size()) << "bytes left after " << count << " values";
  return out;
}

TEST(RleHybridEncoderTest, EightRepeatsBecomeOneRleRun) {
  // header = 8 << 1; the value in ceil(3 / 8) = 1 byte.
  EXPECT_EQ(Encode(3, {5, 5, 5, 5, 5, 5, 5, 5}), (Bytes{0x10, 0x05}));
}

TEST(RleHybridEncoderTest, DistinctValuesAreBitPackedFromTheLowBit) {
  // Encodings.md's own example: 0..7 at bit width 3 pack to 10001000 11000110 11111010.
  EXPECT_EQ(Encode(3, {0, 1, 2, 3, 4, 5, 6, 7}), (Bytes{0x03, 0x88, 0xC6, 0xFA}));
}

TEST(RleHybridEncoderTest, ALastPartialGroupIsPaddedWithZeros) {
  EXPECT_EQ(Encode(1, {1, 0, 1}), (Bytes{0x03, 0x05}));  // one group; bits 1, 0, 1
}

TEST(RleHybridEncoderTest, ARunCompletesThePendingGroupThenRunsLength) {
  // [2] + fifteen 3s at width 2: the group [2, 3 x 7] is bit-packed, then an RLE run of 8.
  std::vector<uint32_t> values = {2};
  values.insert(values.end(), 15, 3);
  EXPECT_EQ(Encode(2, values), (Bytes{0x03,  // 1 group
                                      0xFE,  // 2 | 3 << 2 | 3 << 4 | 3 << 6
                                      0xFF,  // 3, 3, 3, 3
                                      0x10, 0x03}));  // 8 x 3
}

TEST(RleHybridEncoderTest, RleValuesTakeWholeLittleEndianBytes) {
  EXPECT_EQ(Encode(9, std::vector<uint32_t>(10, 300)), (Bytes{0x14, 0x2C, 0x01}));
}

TEST(RleHybridEncoderTest, AMillionEqualLevelsAreFourBytes) {
  ByteBuffer buffer;
  RleHybridEncoder encoder(1, &buffer);
  for (int i = 0; i < 1'000'000; ++i) encoder.Put(1);
  encoder.Flush();
  // header 2,000,000 = 122 * 16384 + 9 * 128 + 0.
  EXPECT_EQ(Bytes(buffer.data(), buffer.data() + buffer.size()), (Bytes{0x80, 0x89, 0x7A, 0x01}));
}

TEST(RleHybridEncoderTest, RandomRunsDecodeBackAtEveryBitWidth) {
  std::mt19937 random(42);
  for (int bit_width = 1; bit_width <= 32; ++bit_width) {
    const uint64_t limit = bit_width == 32 ? 0xFFFFFFFFull : (1ull << bit_width) - 1;
    std::vector<uint32_t> values;
    while (values.size() < 5000) {
      const auto value = static_cast<uint32_t>(random() % (limit + 1));
      // Runs of 1 to 30: both sides of the 8-value threshold.
      values.insert(values.end(), random() % 30 + 1, value);
    }
    const Decoded decoded = Decode(Encode(bit_width, values), bit_width, values.size());
    ASSERT_EQ(decoded.values, values) << "bit width " << bit_width;
    EXPECT_GT(decoded.rle_runs, 0);
    EXPECT_GT(decoded.bit_packed_runs, 0);
  }
}

TEST(RleHybridEncoderTest, EncoderIsReusableAfterFlush) {
  ByteBuffer buffer;
  RleHybridEncoder encoder(4, &buffer);
  const std::vector<uint32_t> first = {1, 2, 3}, second = {9, 9, 9, 9, 9, 9, 9, 9, 9, 4};
  for (uint32_t v : first) encoder.Put(v);
  encoder.Flush();
  const size_t first_size = buffer.size();
  for (uint32_t v : second) encoder.Put(v);
  encoder.Flush();
  const Bytes all(buffer.data(), buffer.data() + buffer.size());
  EXPECT_EQ(Decode(Bytes(all.begin(), all.begin() + static_cast<long>(first_size)), 4, 3).values, first);
  EXPECT_EQ(Decode(Bytes(all.begin() + static_cast<long>(first_size), all.end()), 4, 10).values, second);
}

}  // namespace
}  // namespace sluice::parquet
