#include "runtime/dataset_max.h"

#include <cstdint>
#include <string_view>

#include "sluice/dataset.hpp"

namespace sluice {
namespace {

namespace ds = dataset;

// The row of the largest value seen so far, compared with `Less` on the column's values.
struct Best {
  size_t chunk = 0;
  int64_t row = -1;
};

template <typename Value, typename Get>
Best FindMax(const ds::Reader& reader, size_t column, Get get) {
  Best best;
  Value best_value{};
  for (size_t c = 0; c < reader.chunk_count(); ++c) {
    const ds::ChunkView chunk = reader.chunk(c);
    const ds::ColumnView& view = chunk.column(column);
    for (int64_t row = 0; row < chunk.row_count(); ++row) {
      if (view.IsNull(row)) continue;
      const Value value = get(view, row);
      if (best.row < 0 || best_value < value) {
        best = {c, row};
        best_value = value;
      }
    }
  }
  return best;
}

}  // namespace

Result<std::optional<std::string>> MaxColumnValue(const std::string& path, const std::string& column) {
  try {
    const ds::Reader reader(path);
    const ds::Schema& schema = reader.schema();
    size_t index = schema.size();
    std::string names;
    for (size_t i = 0; i < schema.size(); ++i) {
      if (schema[i].name == column) index = i;
      names += (names.empty() ? "" : ", ") + schema[i].name;
    }
    if (index == schema.size()) {
      return Status::Error("the watermark column '" + column + "' is not in the task's output (" +
                           names + "); name one of these in `watermark: {column: ...}`");
    }
    Best best;
    switch (schema[index].type) {
      case ds::Type::kInt64:
        best = FindMax<int64_t>(reader, index, [](auto& v, int64_t r) { return v.Int64At(r); });
        break;
      case ds::Type::kDecimal:  // one scale per column: unscaled values order like the numbers
        best = FindMax<int64_t>(reader, index, [](auto& v, int64_t r) { return v.DecimalAt(r); });
        break;
      case ds::Type::kFloat64:
        best = FindMax<double>(reader, index, [](auto& v, int64_t r) { return v.Float64At(r); });
        break;
      case ds::Type::kDate:
        best = FindMax<int32_t>(reader, index, [](auto& v, int64_t r) { return v.DateAt(r); });
        break;
      case ds::Type::kTimestamp:
        best = FindMax<int64_t>(reader, index, [](auto& v, int64_t r) { return v.TimestampAt(r); });
        break;
      case ds::Type::kString:
        best = FindMax<std::string_view>(reader, index,
                                         [](auto& v, int64_t r) { return v.StringAt(r); });
        break;
      default:
        return Status::Error("the watermark column '" + column + "' is " +
                             ds::TypeName(schema[index]) +
                             ", which has no useful largest value; use a number, date, "
                             "timestamp or string column");
    }
    if (best.row < 0) return std::optional<std::string>();
    std::string text;
    ds::AppendValueText(&text, reader.chunk(best.chunk).column(index), best.row);
    return std::optional<std::string>(std::move(text));
  } catch (const ds::Error& e) {
    return Status::Error(std::string("cannot read the watermark column: ") + e.what());
  }
}

}  // namespace sluice
