#include "rle_hybrid_encoder.h"

#include <algorithm>
#include <cassert>

namespace sluice::parquet {
namespace {

// A bit-packed run may only be cut at a multiple of 8 values.
constexpr int64_t kGroupSize = 8;

}  // namespace

RleHybridEncoder::RleHybridEncoder(int bit_width, ByteBuffer* out)
    : bit_width_(bit_width), out_(out) {
  assert(bit_width >= 1 && bit_width <= 32);
  literals_.reserve(kMaxBufferedLiterals + kGroupSize);
}

void RleHybridEncoder::PutRepeated(uint32_t value, int64_t count) {
  if (count <= 0) return;
  if (run_count_ > 0 && value != run_value_) EndRun();
  run_value_ = value;
  run_count_ += count;
}

void RleHybridEncoder::EndRun() {
  int64_t count = run_count_;
  run_count_ = 0;
  if (count >= kGroupSize) {
    // Complete the pending literals' last group with copies of the run value, so that they
    // can be written before the RLE run starts.
    const int64_t fill = (kGroupSize - static_cast<int64_t>(literals_.size()) % kGroupSize) %
                         kGroupSize;
    const int64_t taken = std::min(fill, count);
    AppendLiterals(run_value_, taken);
    count -= taken;
    if (count >= kGroupSize) {
      WriteLiterals();
      WriteRleRun(run_value_, count);
      return;
    }
  }
  AppendLiterals(run_value_, count);
}

void RleHybridEncoder::AppendLiterals(uint32_t value, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    literals_.push_back(value);
    if (literals_.size() >= kMaxBufferedLiterals) WriteLiterals();
  }
}

void RleHybridEncoder::WriteLiterals() {
  if (literals_.empty()) return;
  // Only the very last run of a stream can have a partial group (Flush pads it); elsewhere
  // callers write whole groups.
  const size_t groups = (literals_.size() + kGroupSize - 1) / kGroupSize;
  literals_.resize(groups * kGroupSize, 0);
  WriteVarint(groups << 1 | 1);
  uint64_t bits = 0;
  int filled = 0;
  for (uint32_t v : literals_) {
    bits |= static_cast<uint64_t>(v) << filled;
    filled += bit_width_;
    while (filled >= 8) {
      out_->PushBack(static_cast<uint8_t>(bits));
      bits >>= 8;
      filled -= 8;
    }
  }
  // groups * 8 values * bit_width bits is a whole number of bytes: nothing is left over.
  assert(filled == 0);
  literals_.clear();
}

void RleHybridEncoder::WriteRleRun(uint32_t value, int64_t count) {
  WriteVarint(static_cast<uint64_t>(count) << 1);
  for (int byte = 0; byte < (bit_width_ + 7) / 8; ++byte) {
    out_->PushBack(static_cast<uint8_t>(value >> (8 * byte)));
  }
}

void RleHybridEncoder::WriteVarint(uint64_t value) {
  while (value >= 0x80) {
    out_->PushBack(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  out_->PushBack(static_cast<uint8_t>(value));
}

void RleHybridEncoder::Flush() {
  if (run_count_ > 0) EndRun();
  WriteLiterals();
}

}  // namespace sluice::parquet
