// One output column's values for a run of output rows, gathered group by group and then
// appended to the writer in one call (the writer's bulk append), instead of value by value.
#ifndef SLUICE_PLUGINS_AGGREGATE_COLUMN_SLICE_H_
#define SLUICE_PLUGINS_AGGREGATE_COLUMN_SLICE_H_

#include <cstddef>
#include <cstdint>

#include "sluice/dataset.hpp"
#include "value_cell.h"

namespace sluice::aggregate {

struct ColumnSlice : dataset::ColumnValues {
  explicit ColumnSlice(size_t capacity) { Resize(capacity); }

  void SetNull(size_t i) { present[i] = 0; }
  void Set(size_t i, uint64_t value) {
    present[i] = 1;
    bits[i] = value;
  }
  void Set(size_t i, const ValueCell& cell) {
    present[i] = cell.null ? 0 : 1;
    bits[i] = cell.bits;
    text[i] = cell.text;
  }
};

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_COLUMN_SLICE_H_
