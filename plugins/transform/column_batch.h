// The in-memory form of one chunk while the steps work on it: one Vector per column, values
// in flat lanes so expressions run as tight loops over a whole chunk.
#ifndef SLUICE_PLUGINS_TRANSFORM_COLUMN_BATCH_H_
#define SLUICE_PLUGINS_TRANSFORM_COLUMN_BATCH_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr_type.h"
#include "sluice/dataset.hpp"

namespace sluice::transform {

/// Owns the bytes of strings that expressions create, for the life of one chunk. Memory is
/// kept across Reset() so a steady stream of chunks allocates nothing after the first.
class StringArena {
 public:
  /// Room for `size` bytes, valid until Reset().
  char* Allocate(size_t size);
  std::string_view Copy(std::string_view text);
  void Reset();

 private:
  static constexpr size_t kBlockSize = 1 << 20;
  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t size = 0;
  };
  std::vector<Block> blocks_;
  size_t current_ = 0;  // index of the block being filled
  size_t used_ = 0;     // bytes used in it
};

/// One column of a chunk. The lane used depends on the type: `ints` for int64, decimal
/// (unscaled), bool (0/1), date (days) and timestamp (microseconds); `floats` for float64;
/// `strings` for string (views into the mapped input or a StringArena).
/// `valid[i]` is 0 when row i is null; the lane's value there is unspecified.
struct Vector {
  ExprType type;
  std::vector<uint8_t> valid;
  std::vector<int64_t> ints;
  std::vector<double> floats;
  std::vector<std::string_view> strings;

  /// Sizes `valid` and the type's lane to `rows` (keeping capacity).
  void Resize(int64_t rows);
  /// Copies the rows of `other` (same type) into this vector.
  void CopyFrom(const Vector& other);
  /// Keeps the rows whose `keep` is 1, in order. Returns the new row count.
  int64_t Compact(const std::vector<uint8_t>& keep, int64_t kept);
};

/// The rows of one chunk as the steps see them.
struct Batch {
  int64_t rows = 0;
  std::vector<Vector> columns;      ///< in the order of the current schema
  std::vector<int64_t> row_numbers;  ///< 1-based input row of each row, for error messages
  StringArena* arena = nullptr;     ///< where created strings live

  /// Keeps the rows whose `keep` is 1 in every column.
  void Compact(const std::vector<uint8_t>& keep);
};

/// Fills `batch` with `chunk`'s rows, numbered from `first_row_number`. A column whose
/// `needed` flag is 0 is not read: it holds nulls (nullptr: every column is read).
void LoadChunk(const dataset::ChunkView& chunk, const dataset::Schema& schema,
               int64_t first_row_number, Batch* batch, const std::vector<uint8_t>* needed = nullptr);

/// Appends every row of `batch` to `writer`, whose schema matches the batch's columns.
void AppendBatch(const Batch& batch, dataset::Writer* writer);

/// Appends the text of row `row` of `vector` (not null) as the dataset formats it.
void AppendValueText(std::string* out, const Vector& vector, int64_t row);

}  // namespace sluice::transform

#endif  // SLUICE_PLUGINS_TRANSFORM_COLUMN_BATCH_H_
