// One output column's values for a run of output rows, gathered group by group and then
// appended to the writer in one call (the writer's bulk append), instead of value by value.
#ifndef SLUICE_PLUGINS_AGGREGATE_COLUMN_SLICE_H_
#define SLUICE_PLUGINS_AGGREGATE_COLUMN_SLICE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sluice/dataset.hpp"
#include "value_cell.h"

namespace sluice::aggregate {

struct ColumnSlice {
  explicit ColumnSlice(size_t capacity) : bits(capacity), present(capacity), text(capacity) {}

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

  /// Appends values 0..n-1 as column `column` (of type `type`) of `writer`.
  void AppendTo(dataset::Writer& writer, size_t column, dataset::Type type, size_t n) const {
    if (type == dataset::Type::kString) {
      writer.AppendStringColumn(column, text.data(), present.data(), n);
    } else {
      writer.AppendFixedColumn(column, bits.data(), present.data(), n);
    }
  }

  std::vector<uint64_t> bits;  ///< fixed-width values as the writer's bulk append takes them
  std::vector<uint8_t> present;
  std::vector<std::string_view> text;  ///< strings
};

}  // namespace sluice::aggregate

#endif  // SLUICE_PLUGINS_AGGREGATE_COLUMN_SLICE_H_
