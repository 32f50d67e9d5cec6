#include "build_side.h"

#include <algorithm>
#include <bit>

#include "sluice/plugin.hpp"

namespace sluice::join {

BuildSide::BuildSide(InputTable* table, std::vector<size_t> key_columns, bool track_matches)
    : table_(table), key_columns_(std::move(key_columns)), track_matches_(track_matches) {
  const int64_t rows = table_->row_count();
  if (rows >= int64_t{kNone}) {
    throw sdk::Failure(table_->describe() + " has " + std::to_string(rows) +
                       " rows; a joined input holds at most 4294967294; make it the `from` input");
  }
  const size_t width = key_columns_.size();
  for (size_t column : key_columns_) {
    key_is_string_.push_back(table_->schema()[column].type == dataset::Type::kString ? 1 : 0);
  }
  hash_is_key_ = width == 1 && !key_is_string_[0];
  refs_.resize(static_cast<size_t>(rows));
  next_.assign(static_cast<size_t>(rows), kNone);
  if (track_matches_) matched_.assign(static_cast<size_t>(rows), 0);
  key_bits_.resize(static_cast<size_t>(rows) * width);
  std::vector<uint8_t> has_key(static_cast<size_t>(rows), 0);
  uint32_t index = 0;
  for (uint32_t c = 0; c < table_->chunk_count(); ++c) {
    const dataset::ChunkView& chunk = table_->Chunk(c);
    for (int64_t r = 0; r < chunk.row_count(); ++r, ++index) {
      refs_[index] = RowRef{c, static_cast<uint32_t>(r)};
      bool has_null = false;
      for (size_t k = 0; k < width && !has_null; ++k) {
        const dataset::ColumnView& view = chunk.column(key_columns_[k]);
        has_null = view.IsNull(r);
        if (!has_null) key_bits_[index * width + k] = ReadKey(view, r).bits;
      }
      has_key[index] = has_null ? 0 : 1;
    }
  }
  if (key_is_string_[0] || !TryBuildDirect(has_key)) BuildHashed(has_key);
  unique_keys_ = std::all_of(next_.begin(), next_.end(), [](uint32_t next) { return next == kNone; });
}

bool BuildSide::TryBuildDirect(const std::vector<uint8_t>& has_key) {
  const size_t width = key_columns_.size();
  int64_t lo = 0, hi = -1;
  bool any = false;
  for (size_t i = 0; i < has_key.size(); ++i) {
    if (!has_key[i]) continue;
    const int64_t v = static_cast<int64_t>(key_bits_[i * width]);
    if (!any || v < lo) lo = v;
    if (!any || v > hi) hi = v;
    any = true;
  }
  if (!any) return false;
  // The span as unsigned: hi - lo may exceed int64 for arbitrary keys.
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span >= 2 * has_key.size() + 1024) return false;
  direct_min_ = lo;
  direct_heads_.assign(span + 1, kNone);
  std::vector<uint32_t> tails(span + 1, kNone);
  for (size_t i = 0; i < has_key.size(); ++i) {
    if (!has_key[i]) continue;
    const uint64_t at = key_bits_[i * width] - static_cast<uint64_t>(lo);
    if (tails[at] == kNone) {
      direct_heads_[at] = static_cast<uint32_t>(i);
    } else {
      next_[tails[at]] = static_cast<uint32_t>(i);
    }
    tails[at] = static_cast<uint32_t>(i);
  }
  bool unique = true;
  for (size_t i = 0; i < next_.size() && unique; ++i) unique = next_[i] == kNone;
  if (unique) {
    unique_direct_.resize(direct_heads_.size());
    for (size_t at = 0; at < direct_heads_.size(); ++at) {
      if (const uint32_t row = direct_heads_[at]; row != kNone) unique_direct_[at] = DirectEntry{refs_[row], row};
    }
    direct_heads_ = {};
  }
  return true;
}

void BuildSide::BuildHashed(const std::vector<uint8_t>& has_key) {
  const size_t width = key_columns_.size();
  slots_.resize(std::bit_ceil(has_key.size() * 2 + 2));
  mask_ = slots_.size() - 1;
  for (size_t i = 0; i < has_key.size(); ++i) {
    if (!has_key[i]) continue;
    uint64_t hash = 0;
    for (size_t k = 0; k < width; ++k) hash = MixKey(hash, key_bits_[i * width + k]);
    const uint32_t index = static_cast<uint32_t>(i);
    size_t slot = hash & mask_;
    while (slots_[slot].head != kNone && slots_[slot].hash != hash) slot = (slot + 1) & mask_;
    Slot& s = slots_[slot];
    if (s.head == kNone) {
      s.hash = hash;
      s.head = index;
    } else {
      next_[s.tail] = index;
    }
    s.tail = index;
  }
}

bool BuildSide::KeyEquals(uint32_t row, const KeyValue* key, size_t from) const {
  const size_t width = key_columns_.size();
  for (size_t k = from; k < width; ++k) {
    if (key_bits_[row * width + k] != key[k].bits) return false;
    if (key_is_string_[k]) {
      const RowRef ref = refs_[row];
      if (table_->Chunk(ref.chunk).column(key_columns_[k]).StringAt(ref.row) != key[k].text) return false;
    }
  }
  return true;
}

}  // namespace sluice::join
