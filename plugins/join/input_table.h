// One input dataset of a join under its alias: the mapped file and its chunks' views.
#ifndef SLUICE_PLUGINS_JOIN_INPUT_TABLE_H_
#define SLUICE_PLUGINS_JOIN_INPUT_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sluice/dataset.hpp"

namespace sluice::join {

/// Where one row lives: chunk and row within it. A null reference stands for the nulls an
/// outer join puts where an input has no matching row.
struct RowRef {
  static constexpr uint32_t kNullChunk = std::numeric_limits<uint32_t>::max();
  uint32_t chunk = kNullChunk;
  uint32_t row = 0;
  bool is_null() const { return chunk == kNullChunk; }
};

/// A mapped dataset and the views of its chunks. Views point into the mapping, so rows are
/// addressed by RowRef and never copied. Read-only once open: safe to share between threads.
class InputTable {
 public:
  /// Opens `path`; `describe` names the input in messages, e.g. "c (extract_cartao)".
  InputTable(std::string describe, const std::string& path);

  const std::string& describe() const { return describe_; }
  const dataset::Schema& schema() const { return reader_.schema(); }
  int64_t row_count() const { return reader_.row_count(); }
  size_t chunk_count() const { return reader_.chunk_count(); }

  /// The views of chunk `index` (all built when the table opens, so that several threads may
  /// read them).
  const dataset::ChunkView& Chunk(uint32_t index) const { return chunks_[index]; }

  /// The index of `column`. Throws sdk::Failure at `config_path` listing the input's columns
  /// when there is none of that name.
  size_t ColumnIndex(const std::string& column, const std::string& config_path) const;

 private:
  std::string describe_;
  dataset::Reader reader_;
  std::vector<dataset::ChunkView> chunks_;
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_INPUT_TABLE_H_
