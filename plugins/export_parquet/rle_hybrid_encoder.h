// Parquet's RLE / bit-packing hybrid encoding, used for definition levels and dictionary
// indices (Encodings.md, "Run Length Encoding / Bit-Packing Hybrid"):
//
//   encoded   := run*
//   run       := rle-run | bit-packed-run
//   rle-run   := varint(count << 1) value      value: ceil(bit_width / 8) bytes, little-endian
//   bit-packed-run := varint(groups << 1 | 1) groups * bit_width bytes
//                     (8 values a group, packed from the least significant bit of each
//                     byte; only the last group of the whole stream may be padded)
//
// A value repeated 8 or more times becomes an RLE run; the rest are bit-packed.
#ifndef SLUICE_PLUGINS_EXPORT_PARQUET_RLE_HYBRID_ENCODER_H_
#define SLUICE_PLUGINS_EXPORT_PARQUET_RLE_HYBRID_ENCODER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "byte_buffer.h"

namespace sluice::parquet {

/// Appends the hybrid encoding of the values it is given to `out` (no length prefix: the
/// caller adds one where the format wants it). Call Flush() once after the last value.
class RleHybridEncoder {
 public:
  /// REQUIRES: 1 <= bit_width <= 32; every value put is below 2^bit_width.
  RleHybridEncoder(int bit_width, ByteBuffer* out);

  void Put(uint32_t value) {
    if (run_count_ > 0 && value == run_value_) {
      ++run_count_;  // the common case, kept inline: levels of a column without nulls
      return;
    }
    PutRepeated(value, 1);
  }
  void PutRepeated(uint32_t value, int64_t count);
  /// Writes what is pending. The encoder may be reused afterwards for a new stream.
  void Flush();

 private:
  // Hands the current run to either an RLE run or the pending literals.
  void EndRun();
  void AppendLiterals(uint32_t value, int64_t count);
  // Writes pending literals as one bit-packed run, padding the last group with zeros.
  void WriteLiterals();
  void WriteRleRun(uint32_t value, int64_t count);
  void WriteVarint(uint64_t value);

  // Whole groups buffered before they are written as one run; bounds memory.
  static constexpr size_t kMaxBufferedLiterals = 512;

  int bit_width_;
  ByteBuffer* out_;
  uint32_t run_value_ = 0;
  int64_t run_count_ = 0;
  std::vector<uint32_t> literals_;  // pending values for a bit-packed run
};

}  // namespace sluice::parquet

#endif  // SLUICE_PLUGINS_EXPORT_PARQUET_RLE_HYBRID_ENCODER_H_
