#include "join_lane.h"

#include <algorithm>
#include <bit>

namespace sluice::join {
namespace {

/// Tuples flow between joins in batches of this many; bounds memory when keys repeat.
constexpr size_t kBatchTuples = 8192;
/// Rows whose values are gathered at once: their strings stay in cache until written.
constexpr size_t kWriteSlice = 512;
/// How many tuples ahead random reads are started, so that their cache misses overlap.
constexpr size_t kLookahead = 16;

// A non-null fixed-width value as 64 bits (doubles by their bit pattern).
uint64_t ReadBits(const dataset::ColumnView& view, int64_t row) {
  switch (view.column().type) {
    case dataset::Type::kInt64: return static_cast<uint64_t>(view.Int64At(row));
    case dataset::Type::kFloat64: return std::bit_cast<uint64_t>(view.Float64At(row));
    case dataset::Type::kDecimal: return static_cast<uint64_t>(view.DecimalAt(row));
    case dataset::Type::kBool: return view.BoolAt(row) ? 1 : 0;
    case dataset::Type::kDate: return static_cast<uint64_t>(int64_t{view.DateAt(row)});
    case dataset::Type::kTimestamp: return static_cast<uint64_t>(view.TimestampAt(row));
    case dataset::Type::kString: break;
  }
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Sinks

WriterSink::WriterSink(dataset::Writer* writer, const std::vector<OutputColumn>& outputs)
    : writer_(writer), slice_(outputs.size()) {
  for (dataset::ColumnValues& column : slice_) column.Resize(kWriteSlice);
}

RowSink::Room WriterSink::Open(size_t n) {
  for (dataset::ColumnValues& column : slice_) {
    if (column.present.size() < n) column.Resize(n);
  }
  return {&slice_, 0};
}

void WriterSink::Commit(size_t n) {
  for (size_t o = 0; o < slice_.size(); ++o) slice_[o].AppendTo(*writer_, o, n);
  writer_->EndRows(n);
}

BufferSink::BufferSink(const std::vector<OutputColumn>& outputs) : outputs_(outputs), columns_(outputs.size()) {}

void BufferSink::Reserve(size_t rows) {
  for (size_t o = 0; o < columns_.size(); ++o) {
    dataset::ColumnValues& column = columns_[o];
    if (column.present.size() >= rows) continue;
    column.present.resize(rows);
    if (outputs_[o].as.type == dataset::Type::kString) {
      column.text.resize(rows);
    } else {
      column.bits.resize(rows);
    }
  }
}

RowSink::Room BufferSink::Open(size_t n) {
  Reserve(rows_ + n);
  return {&columns_, rows_};
}

void BufferSink::WriteTo(dataset::Writer& writer) const {
  if (rows_ == 0) return;
  for (size_t o = 0; o < columns_.size(); ++o) columns_[o].AppendTo(writer, o, rows_);
  writer.EndRows(rows_);
}

// ---------------------------------------------------------------------------------------------
// Lane

Lane::Lane(const JoinPlan& plan)
    : plan_(plan), width_(plan.width()), buffers_(width_), probe_scratch_(width_) {}

void Lane::JoinFromChunk(uint32_t chunk, RowSink* sink) {
  sink_ = sink;
  std::vector<RowRef>& batch = buffers_[0];
  const int64_t rows = plan_.table(0).Chunk(chunk).row_count();
  for (int64_t r = 0; r < rows; ++r) {
    StartTuple(&batch)[0] = RowRef{chunk, static_cast<uint32_t>(r)};
    if (batch.size() >= kBatchTuples * width_) Flush(0);
  }
  Flush(0);
}

void Lane::EmitUnmatched(RowSink* sink) {
  sink_ = sink;
  for (size_t s = 1; s < width_; ++s) {
    const JoinType type = plan_.spec().inputs[s].type;
    if (type != JoinType::kRight && type != JoinType::kFull) continue;
    const BuildSide& build = plan_.build(s);
    for (size_t row = 0; row < build.row_count(); ++row) {
      if (build.matched(row)) continue;
      StartTuple(&buffers_[s])[s] = build.ref(row);
      if (buffers_[s].size() >= kBatchTuples * width_) Flush(s);
    }
    Flush(s);
  }
}

// Appends a tuple of nulls to *batch and returns it.
RowRef* Lane::StartTuple(std::vector<RowRef>* batch) {
  batch->resize(batch->size() + width_);
  return batch->data() + batch->size() - width_;
}

// Passes the tuples buffered after stage `s` on to stage s + 1.
void Lane::Flush(size_t s) {
  if (buffers_[s].empty()) return;
  if (s + 1 == width_) {
    Write(buffers_[s]);
  } else {
    Probe(s + 1, buffers_[s]);
  }
  buffers_[s].clear();
}

// Joins input `s` to `tuples`, buffering results in buffers_[s]. Reads every tuple's key
// first, then probes: the reads are independent, so their cache misses overlap.
void Lane::Probe(size_t s, const std::vector<RowRef>& tuples) {
  BuildSide& build = plan_.build(s);
  // The later joins are solved per row of input 1: its match completes the tuple.
  const DimensionFold* fold = s == 1 ? plan_.fold() : nullptr;
  const JoinType type = plan_.spec().inputs[s].type;
  const bool keep_unmatched = type == JoinType::kLeft || type == JoinType::kFull;
  const size_t count = tuples.size() / width_, key_width = plan_.probe_columns(s).size();
  ProbeScratch& scratch = probe_scratch_[s];
  scratch.keys.resize(count * key_width);
  scratch.hashes.resize(count);
  scratch.has_key.resize(count);
  for (size_t t = 0; t < count; ++t) {
    if (t + kLookahead < count) plan_.PrefetchProbeKey(s, tuples.data() + (t + kLookahead) * width_);
    scratch.has_key[t] =
        plan_.ReadProbeKey(s, tuples.data() + t * width_, &scratch.keys[t * key_width], &scratch.hashes[t]);
  }
  for (size_t t = 0; t < count; ++t) {
    if (const size_t ahead = t + kLookahead; ahead < count && scratch.has_key[ahead]) {
      build.Prefetch(scratch.hashes[ahead], &scratch.keys[ahead * key_width]);
    }
    const RowRef* tuple = tuples.data() + t * width_;
    const auto emit = [&](uint32_t row, RowRef joined) {
      if (fold != nullptr) {
        EmitFolded(*fold, tuple, row, joined);
      } else {
        Emit(s, tuple, joined);
      }
    };
    bool matched = false;
    if (scratch.has_key[t]) {
      build.ForEachMatch(scratch.hashes[t], &scratch.keys[t * key_width], [&](uint32_t row, RowRef ref) {
        matched = true;
        emit(row, ref);
      });
    }
    if (!matched && keep_unmatched) emit(DimensionFold::kAbsentRow, RowRef{});
  }
  Flush(fold != nullptr ? width_ - 1 : s);
}

void Lane::Emit(size_t s, const RowRef* tuple, RowRef joined) {
  std::vector<RowRef>& out = buffers_[s];
  const size_t at = out.size();
  out.resize(at + width_);
  for (size_t i = 0; i < width_; ++i) out[at + i] = tuple[i];
  out[at + s] = joined;
  if (out.size() >= kBatchTuples * width_) Flush(s);
}

// The tuple joined to row `row` of input 1 (at `joined`), completed by the fold's answer for
// that row, goes straight to the last stage's buffer.
void Lane::EmitFolded(const DimensionFold& fold, const RowRef* tuple, uint32_t row, RowRef joined) {
  const RowRef* completion = fold.Completion(row);
  if (completion == nullptr) return;  // an inner join after the first drops it
  std::vector<RowRef>& out = buffers_[width_ - 1];
  const size_t at = out.size();
  out.resize(at + width_);
  out[at] = tuple[0];
  out[at + 1] = joined;
  std::copy(completion, completion + (width_ - 2), out.begin() + static_cast<std::ptrdiff_t>(at + 2));
  if (out.size() >= kBatchTuples * width_) Flush(width_ - 1);
}

// Hands tuples to the sink in slices: each output column's values are gathered for the
// slice (independent reads whose cache misses overlap; string bytes are prefetched).
void Lane::Write(const std::vector<RowRef>& tuples) {
  const size_t count = tuples.size() / width_;
  for (size_t first = 0; first < count; first += kWriteSlice) {
    const size_t n = std::min(kWriteSlice, count - first);
    const RowSink::Room room = sink_->Open(n);
    for (size_t o = 0; o < room.columns->size(); ++o) {
      Gather(o, tuples.data() + first * width_, n, (*room.columns)[o], room.at);
    }
    sink_->Commit(n);
  }
}

void Lane::Gather(size_t o, const RowRef* tuples, size_t n, dataset::ColumnValues& into, size_t at) {
  const OutputColumn& oc = plan_.outputs()[o];
  uint8_t* present = into.present.data() + at;
  const InputTable& table = plan_.table(oc.input);
  const bool is_string = oc.as.type == dataset::Type::kString;
  for (size_t t = 0; t < n; ++t) {
    if (t + kLookahead < n) {
      const RowRef ahead = tuples[(t + kLookahead) * width_ + oc.input];
      if (!ahead.is_null()) table.Chunk(ahead.chunk).column(oc.column).Prefetch(ahead.row);
    }
    const RowRef ref = tuples[t * width_ + oc.input];
    present[t] = 0;
    if (ref.is_null()) continue;
    const dataset::ColumnView& view = table.Chunk(ref.chunk).column(oc.column);
    if (view.IsNull(ref.row)) continue;
    present[t] = 1;
    if (is_string) {
      const std::string_view text = view.StringAt(ref.row);
      into.text[at + t] = text;
      __builtin_prefetch(text.data());
    } else {
      into.bits[at + t] = ReadBits(view, ref.row);
    }
  }
}

}  // namespace sluice::join
