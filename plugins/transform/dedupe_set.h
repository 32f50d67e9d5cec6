// Remembers the keys of rows seen so far, across chunks, so dedupe keeps only the first
// occurrence of each. Memory grows with the number of distinct keys (their bytes plus 24
// bytes each), not with the number of rows.
#ifndef SLUICE_PLUGINS_TRANSFORM_DEDUPE_SET_H_
#define SLUICE_PLUGINS_TRANSFORM_DEDUPE_SET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "column_batch.h"

namespace sluice::transform {

class DedupeSet {
 public:
  /// `key_columns` index the batches given to Mark. Nulls are equal to each other (as SQL's
  /// DISTINCT treats them), and so are -0.0 and 0.0, and NaNs.
  explicit DedupeSet(std::vector<size_t> key_columns) : key_columns_(std::move(key_columns)) {}

  /// Sets (*keep)[i] to 1 for each row whose key has not been seen before, and records it.
  void Mark(const Batch& batch, std::vector<uint8_t>* keep);

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t offset = 0;
    uint64_t size = kEmpty;
  };
  static constexpr uint64_t kEmpty = UINT64_MAX;

  void EncodeKey(const Batch& batch, int64_t row);
  bool Insert(uint64_t hash);  // key_ into the set; false when already there
  void Grow();

  std::vector<size_t> key_columns_;
  std::string key_;   // the current row's key, reused
  std::string keys_;  // every distinct key, back to back
  std::vector<Slot> slots_ = std::vector<Slot>(1024);
  size_t used_ = 0;
};

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_DEDUPE_SET_H_
