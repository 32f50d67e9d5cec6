#include "value_binder.h"

#include <cstring>
#include <string>

namespace sluice::export_sql {
namespace {

namespace ds = sluice::dataset;

constexpr size_t kBlockBytes = 64 * 1024;
// Longer than any formatted decimal (21), date (14 with a 7-digit year) or timestamp (30).
constexpr size_t kMaxFormattedBytes = 48;
constexpr uint64_t kNumberBytes = 8;

}  // namespace

template <typename Format>
std::string_view ValueBinder::Formatted(Format&& format) {
  // Formatted into a reused string, then copied where it stays put until Reset.
  std::string& scratch = scratch_;
  scratch.clear();
  format(&scratch);
  if (blocks_.empty() || used_ + scratch.size() > kBlockBytes) {
    if (!blocks_.empty()) ++block_;
    if (block_ >= blocks_.size()) blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    used_ = 0;
  }
  static_assert(kMaxFormattedBytes < kBlockBytes);
  char* at = blocks_[block_].get() + used_;
  std::memcpy(at, scratch.data(), scratch.size());
  used_ += scratch.size();
  return std::string_view(at, scratch.size());
}

void ValueBinder::Bind(InsertStatement& statement, size_t index, const ds::ColumnView& column,
                       int64_t row) {
  if (column.IsNull(row)) {
    statement.BindNull(index);
    return;
  }
  switch (column.column().type) {
    case ds::Type::kInt64:
      statement.BindInt64(index, column.Int64At(row));
      bytes_bound_ += kNumberBytes;
      return;
    case ds::Type::kFloat64:
      statement.BindFloat64(index, column.Float64At(row));
      bytes_bound_ += kNumberBytes;
      return;
    case ds::Type::kBool:
      statement.BindBool(index, column.BoolAt(row));
      bytes_bound_ += 1;
      return;
    case ds::Type::kString: {
      const std::string_view text = column.StringAt(row);
      statement.BindText(index, text);
      bytes_bound_ += text.size();
      return;
    }
    case ds::Type::kDecimal: {
      const int scale = column.column().scale;
      const int64_t unscaled = column.DecimalAt(row);
      if (scale == 0) {
        statement.BindInt64(index, unscaled);
        bytes_bound_ += kNumberBytes;
        return;
      }
      const std::string_view text =
          Formatted([&](std::string* out) { ds::AppendDecimalText(out, unscaled, scale); });
      statement.BindText(index, text);
      bytes_bound_ += text.size();
      return;
    }
    case ds::Type::kDate: {
      const int32_t days = column.DateAt(row);
      const std::string_view text =
          Formatted([&](std::string* out) { ds::AppendDateText(out, days); });
      statement.BindText(index, text);
      bytes_bound_ += text.size();
      return;
    }
    case ds::Type::kTimestamp: {
      const int64_t micros = column.TimestampAt(row);
      const std::string_view text =
          Formatted([&](std::string* out) { ds::AppendTimestampText(out, micros); });
      statement.BindText(index, text);
      bytes_bound_ += text.size();
      return;
    }
  }
}

void ValueBinder::Reset() {
  block_ = 0;
  used_ = 0;
}

uint64_t RowBytes(const ds::ChunkView& chunk, int64_t row) {
  uint64_t bytes = 0;
  for (size_t c = 0; c < chunk.column_count(); ++c) {
    const ds::ColumnView& column = chunk.column(c);
    if (column.IsNull(row)) continue;
    switch (column.column().type) {
      case ds::Type::kString: bytes += column.StringAt(row).size(); break;
      case ds::Type::kBool: bytes += 1; break;
      case ds::Type::kDecimal:
      case ds::Type::kDate:
      case ds::Type::kTimestamp:
        bytes += column.column().type == ds::Type::kDecimal && column.column().scale == 0
                     ? kNumberBytes
                     : kMaxFormattedBytes;
        break;
      default: bytes += kNumberBytes; break;
    }
  }
  return bytes;
}

}  // namespace sluice::export_sql
