#include "column_batch.h"

#include <algorithm>
#include <cstring>

namespace sluice::transform {

char* StringArena::Allocate(size_t size) {
  while (current_ < blocks_.size() && used_ + size > blocks_[current_].size) {
    ++current_;
    used_ = 0;
  }
  if (current_ == blocks_.size()) {
    const size_t block_size = std::max(kBlockSize, size);
    blocks_.push_back({std::make_unique<char[]>(block_size), block_size});
    used_ = 0;
  }
  char* at = blocks_[current_].bytes.get() + used_;
  used_ += size;
  return at;
}

std::string_view StringArena::Copy(std::string_view text) {
  if (text.empty()) return {};
  char* at = Allocate(text.size());
  std::memcpy(at, text.data(), text.size());
  return {at, text.size()};
}

void StringArena::Reset() {
  current_ = 0;
  used_ = 0;
}

void Vector::Resize(int64_t rows) {
  const size_t n = static_cast<size_t>(rows);
  valid.resize(n);
  switch (type.kind) {
    case Kind::kFloat64: floats.resize(n); break;
    case Kind::kString: strings.resize(n); break;
    case Kind::kNull: break;
    default: ints.resize(n); break;
  }
}

void Vector::CopyFrom(const Vector& other) {
  type = other.type;
  valid = other.valid;
  switch (type.kind) {
    case Kind::kFloat64: floats = other.floats; break;
    case Kind::kString: strings = other.strings; break;
    case Kind::kNull: break;
    default: ints = other.ints; break;
  }
}

namespace {

template <typename T>
void CompactLane(std::vector<T>* lane, const std::vector<uint8_t>& keep) {
  size_t out = 0;
  for (size_t i = 0; i < keep.size(); ++i) {
    (*lane)[out] = (*lane)[i];
    out += keep[i];
  }
  lane->resize(out);
}

}  // namespace

int64_t Vector::Compact(const std::vector<uint8_t>& keep, int64_t kept) {
  CompactLane(&valid, keep);
  switch (type.kind) {
    case Kind::kFloat64: CompactLane(&floats, keep); break;
    case Kind::kString: CompactLane(&strings, keep); break;
    case Kind::kNull: break;
    default: CompactLane(&ints, keep); break;
  }
  return kept;
}

void Batch::Compact(const std::vector<uint8_t>& keep) {
  int64_t kept = 0;
  for (uint8_t k : keep) kept += k;
  if (kept == rows) return;
  for (Vector& column : columns) column.Compact(keep, kept);
  CompactLane(&row_numbers, keep);
  rows = kept;
}

void LoadChunk(const dataset::ChunkView& chunk, const dataset::Schema& schema,
               int64_t first_row_number, Batch* batch, const std::vector<uint8_t>* needed) {
  const int64_t rows = chunk.row_count();
  batch->rows = rows;
  batch->row_numbers.resize(static_cast<size_t>(rows));
  for (int64_t i = 0; i < rows; ++i) batch->row_numbers[i] = first_row_number + i;
  batch->columns.resize(schema.size());
  for (size_t c = 0; c < schema.size(); ++c) {
    const dataset::ColumnView& view = chunk.column(c);
    Vector& vector = batch->columns[c];
    vector.type = FromColumn(schema[c]);
    vector.Resize(rows);
    uint8_t* valid = vector.valid.data();
    if (needed != nullptr && !(*needed)[c]) {
      std::fill(valid, valid + rows, uint8_t{0});
      continue;
    }
    if (view.null_count() == 0) {
      std::fill(valid, valid + rows, uint8_t{1});
    } else {
      for (int64_t i = 0; i < rows; ++i) valid[i] = !view.IsNull(i);
    }
    switch (schema[c].type) {
      case dataset::Type::kInt64:
        for (int64_t i = 0; i < rows; ++i) vector.ints[i] = view.Int64At(i);
        break;
      case dataset::Type::kDecimal:
        for (int64_t i = 0; i < rows; ++i) vector.ints[i] = view.DecimalAt(i);
        break;
      case dataset::Type::kTimestamp:
        for (int64_t i = 0; i < rows; ++i) vector.ints[i] = view.TimestampAt(i);
        break;
      case dataset::Type::kDate:
        for (int64_t i = 0; i < rows; ++i) vector.ints[i] = view.DateAt(i);
        break;
      case dataset::Type::kBool:
        for (int64_t i = 0; i < rows; ++i) vector.ints[i] = view.BoolAt(i) ? 1 : 0;
        break;
      case dataset::Type::kFloat64:
        for (int64_t i = 0; i < rows; ++i) vector.floats[i] = view.Float64At(i);
        break;
      case dataset::Type::kString:
        for (int64_t i = 0; i < rows; ++i) vector.strings[i] = view.StringAt(i);
        break;
    }
  }
}

void AppendBatch(const Batch& batch, dataset::Writer* writer) {
  const size_t rows = static_cast<size_t>(batch.rows);
  std::vector<uint64_t> bits;  // float64 lanes as bits; zeros for an all-null column
  for (size_t c = 0; c < batch.columns.size(); ++c) {
    const Vector& v = batch.columns[c];
    switch (v.type.kind) {
      case Kind::kString: writer->AppendStringColumn(c, v.strings.data(), v.valid.data(), rows); break;
      case Kind::kFloat64:
        bits.resize(rows);
        if (rows > 0) std::memcpy(bits.data(), v.floats.data(), rows * sizeof(double));
        writer->AppendFixedColumn(c, bits.data(), v.valid.data(), rows);
        break;
      case Kind::kNull: {
        const std::vector<uint8_t> none(rows, 0);
        if (writer->schema()[c].type == dataset::Type::kString) {
          const std::vector<std::string_view> empty(rows);
          writer->AppendStringColumn(c, empty.data(), none.data(), rows);
        } else {
          bits.assign(rows, 0);
          writer->AppendFixedColumn(c, bits.data(), none.data(), rows);
        }
        break;
      }
      default:  // int64 lanes: int64, decimal, timestamp, date, bool, as the bulk append takes them
        writer->AppendFixedColumn(c, reinterpret_cast<const uint64_t*>(v.ints.data()), v.valid.data(), rows);
        break;
    }
  }
  writer->EndRows(rows);
}

void AppendValueText(std::string* out, const Vector& v, int64_t row) {
  switch (v.type.kind) {
    case Kind::kInt64: dataset::detail::AppendPadded(out, v.ints[row], 0); break;
    case Kind::kDecimal: dataset::AppendDecimalText(out, v.ints[row], v.type.scale); break;
    case Kind::kTimestamp: dataset::AppendTimestampText(out, v.ints[row]); break;
    case Kind::kDate: dataset::AppendDateText(out, static_cast<int32_t>(v.ints[row])); break;
    case Kind::kBool: dataset::AppendBoolText(out, v.ints[row] != 0); break;
    case Kind::kFloat64: dataset::AppendFloat64Text(out, v.floats[row]); break;
    case Kind::kString: out->append(v.strings[row]); break;
    case Kind::kNull: break;
  }
}

}  // namespace sluice::transform
