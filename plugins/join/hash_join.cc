#include "hash_join.h"

#include <algorithm>
#include <bit>
#include <memory>
#include <string_view>

#include "build_side.h"
#include "input_table.h"
#include "join_key.h"
#include "output_columns.h"
#include "sluice/plugin.hpp"

namespace sluice::join {
namespace {

/// Tuples flow between joins in batches of this many; bounds memory when keys repeat.
constexpr size_t kBatchTuples = 8192;
/// Rows whose values are gathered at once before writing: their strings stay in cache.
constexpr size_t kWriteSlice = 512;

// A key column on the probe side: a column of an input joined earlier.
struct ProbeColumn {
  size_t input = 0;
  size_t column = 0;
};

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

// A tuple is one RowRef per input (row-major in a batch); stage s joins input s to the
// tuples, which so far hold rows of inputs 0..s-1. Stage `inputs` writes them.
class JoinPipeline {
 public:
  JoinPipeline(const JoinSpec& spec, const std::vector<std::string>& paths)
      : spec_(spec), width_(spec.inputs.size()) {
    for (size_t i = 0; i < width_; ++i) {
      const InputSpec& in = spec.inputs[i];
      tables_.push_back(std::make_unique<InputTable>(in.alias + " (" + in.task_id + ")", paths[i]));
    }
    ResolveKeys();
    std::vector<InputTable*> tables;
    for (auto& t : tables_) tables.push_back(t.get());
    outputs_ = ResolveOutputColumns(spec, tables);
    builds_.resize(width_);
    for (size_t i = 1; i < width_; ++i) {
      const JoinType type = spec.inputs[i].type;
      builds_[i] = std::make_unique<BuildSide>(tables_[i].get(), build_columns_[i],
                                               type == JoinType::kRight || type == JoinType::kFull);
    }
    buffers_.resize(width_);
    probe_scratch_.resize(width_);
    gathered_.resize(outputs_.size());
  }

  dataset::Schema OutputSchema() const {
    dataset::Schema schema;
    for (const OutputColumn& oc : outputs_) schema.push_back(oc.as);
    return schema;
  }

  int64_t RowsIn() const {
    int64_t rows = 0;
    for (const auto& t : tables_) rows += t->row_count();
    return rows;
  }

  void Run(dataset::Writer* writer) {
    writer_ = writer;
    InputTable& from = *tables_[0];
    std::vector<RowRef>& batch = buffers_[0];
    for (uint32_t c = 0; c < from.chunk_count(); ++c) {
      const int64_t rows = from.Chunk(c).row_count();
      for (int64_t r = 0; r < rows; ++r) {
        StartTuple(&batch)[0] = RowRef{c, static_cast<uint32_t>(r)};
        if (batch.size() >= kBatchTuples * width_) Flush(0);
      }
      Flush(0);
      from.ReleaseChunk(c);
    }
    for (size_t s = 1; s < width_; ++s) {
      const JoinType type = spec_.inputs[s].type;
      if (type != JoinType::kRight && type != JoinType::kFull) continue;
      BuildSide& build = *builds_[s];
      for (size_t row = 0; row < build.row_count(); ++row) {
        if (build.matched(row)) continue;
        StartTuple(&buffers_[s])[s] = build.ref(row);
        if (buffers_[s].size() >= kBatchTuples * width_) Flush(s);
      }
      Flush(s);
    }
  }

 private:
  // Checks every `on` column and key type against the schemas.
  void ResolveKeys() {
    probe_columns_.resize(width_);
    build_columns_.resize(width_);
    for (size_t s = 1; s < width_; ++s) {
      const InputSpec& in = spec_.inputs[s];
      const std::string at = in.config_path + "/on";
      for (const KeyPair& pair : in.keys) {
        size_t probe_input = 0;
        while (spec_.inputs[probe_input].alias != pair.probe.alias) ++probe_input;
        const size_t probe_column = tables_[probe_input]->ColumnIndex(pair.probe.column, at);
        const size_t build_column = tables_[s]->ColumnIndex(pair.build.column, at);
        const dataset::Column& p = tables_[probe_input]->schema()[probe_column];
        const dataset::Column& b = tables_[s]->schema()[build_column];
        if (std::string why = KeyTypeMismatch(p, b); !why.empty()) {
          throw sdk::Failure("cannot join " + pair.probe.alias + "." + p.name + " (" + dataset::TypeName(p) +
                                 ") with " + pair.build.alias + "." + b.name + " (" + dataset::TypeName(b) +
                                 "): " + why + "; cast one of them in a `transform` task first",
                             at);
        }
        probe_columns_[s].push_back({probe_input, probe_column});
        build_columns_[s].push_back(build_column);
      }
    }
  }

  // Appends a tuple of nulls to *batch and returns it.
  RowRef* StartTuple(std::vector<RowRef>* batch) {
    batch->resize(batch->size() + width_);
    return batch->data() + batch->size() - width_;
  }

  // Passes the tuples buffered after stage `s` on to stage s + 1.
  void Flush(size_t s) {
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
  void Probe(size_t s, const std::vector<RowRef>& tuples) {
    BuildSide& build = *builds_[s];
    const bool keep_unmatched = spec_.inputs[s].type == JoinType::kLeft || spec_.inputs[s].type == JoinType::kFull;
    const size_t count = tuples.size() / width_, key_width = probe_columns_[s].size();
    ProbeScratch& scratch = probe_scratch_[s];
    scratch.keys.resize(count * key_width);
    scratch.hashes.resize(count);
    scratch.has_key.resize(count);
    constexpr size_t kLookahead = 16;
    for (size_t t = 0; t < count; ++t) {
      if (t + kLookahead < count) PrefetchProbeKey(s, tuples.data() + (t + kLookahead) * width_);
      scratch.has_key[t] = ReadProbeKey(s, tuples.data() + t * width_, &scratch.keys[t * key_width], &scratch.hashes[t]);
    }
    for (size_t t = 0; t < count; ++t) {
      if (const size_t ahead = t + kLookahead; ahead < count && scratch.has_key[ahead]) {
        build.Prefetch(scratch.hashes[ahead], &scratch.keys[ahead * key_width]);
      }
      const RowRef* tuple = tuples.data() + t * width_;
      bool matched = false;
      if (scratch.has_key[t]) {
        build.ForEachMatch(scratch.hashes[t], &scratch.keys[t * key_width], [&](uint32_t, RowRef ref) {
          matched = true;
          Emit(s, tuple, ref);
        });
      }
      if (!matched && keep_unmatched) Emit(s, tuple, RowRef{});
    }
    Flush(s);
  }

  void Emit(size_t s, const RowRef* tuple, RowRef joined) {
    std::vector<RowRef>& out = buffers_[s];
    const size_t at = out.size();
    out.resize(at + width_);
    for (size_t i = 0; i < width_; ++i) out[at + i] = tuple[i];
    out[at + s] = joined;
    if (out.size() >= kBatchTuples * width_) Flush(s);
  }

  // Starts loading stage `s`'s key values of `tuple` (rows of earlier inputs, in random order).
  void PrefetchProbeKey(size_t s, const RowRef* tuple) {
    for (const ProbeColumn& column : probe_columns_[s]) {
      const RowRef ref = tuple[column.input];
      if (!ref.is_null()) tables_[column.input]->Chunk(ref.chunk).column(column.column).Prefetch(ref.row);
    }
  }

  // Reads stage `s`'s key of `tuple` into key[]; false when a component is null.
  bool ReadProbeKey(size_t s, const RowRef* tuple, KeyValue* key, uint64_t* hash) {
    const std::vector<ProbeColumn>& columns = probe_columns_[s];
    uint64_t h = 0;
    for (size_t k = 0; k < columns.size(); ++k) {
      const RowRef ref = tuple[columns[k].input];
      if (ref.is_null()) return false;
      const dataset::ColumnView& view = tables_[columns[k].input]->Chunk(ref.chunk).column(columns[k].column);
      if (view.IsNull(ref.row)) return false;
      key[k] = ReadKey(view, ref.row);
      h = MixKey(h, key[k].bits);
    }
    *hash = h;
    return true;
  }

  // Writes tuples in slices: each output column's values are gathered for the slice
  // (independent reads whose cache misses overlap; string bytes are prefetched), then
  // appended to the writer in one call.
  void Write(const std::vector<RowRef>& tuples) {
    const size_t count = tuples.size() / width_;
    for (size_t first = 0; first < count; first += kWriteSlice) {
      const size_t n = std::min(kWriteSlice, count - first);
      for (size_t o = 0; o < outputs_.size(); ++o) {
        Gather(o, tuples.data() + first * width_, n);
        const Gathered& g = gathered_[o];
        if (outputs_[o].as.type == dataset::Type::kString) {
          writer_->AppendStringColumn(o, g.text.data(), g.present.data(), n);
        } else {
          writer_->AppendFixedColumn(o, g.bits.data(), g.present.data(), n);
        }
      }
      writer_->EndRows(n);
    }
  }

  void Gather(size_t o, const RowRef* tuples, size_t n) {
    const OutputColumn& oc = outputs_[o];
    Gathered& g = gathered_[o];
    InputTable& table = *tables_[oc.input];
    const bool is_string = oc.as.type == dataset::Type::kString;
    constexpr size_t kLookahead = 16;
    for (size_t t = 0; t < n; ++t) {
      if (t + kLookahead < n) {
        const RowRef ahead = tuples[(t + kLookahead) * width_ + oc.input];
        if (!ahead.is_null()) table.Chunk(ahead.chunk).column(oc.column).Prefetch(ahead.row);
      }
      const RowRef ref = tuples[t * width_ + oc.input];
      g.present[t] = 0;
      if (ref.is_null()) continue;
      const dataset::ColumnView& view = table.Chunk(ref.chunk).column(oc.column);
      if (view.IsNull(ref.row)) continue;
      g.present[t] = 1;
      if (is_string) {
        g.text[t] = view.StringAt(ref.row);
        __builtin_prefetch(g.text[t].data());
      } else {
        g.bits[t] = ReadBits(view, ref.row);
      }
    }
  }

  // Per stage: the keys of the tuples being probed.
  struct ProbeScratch {
    std::vector<KeyValue> keys;
    std::vector<uint64_t> hashes;
    std::vector<uint8_t> has_key;
  };
  // Per output column: one slice's values; `bits` holds fixed-width values, `text` strings.
  struct Gathered {
    std::vector<uint8_t> present = std::vector<uint8_t>(kWriteSlice);
    std::vector<uint64_t> bits = std::vector<uint64_t>(kWriteSlice);
    std::vector<std::string_view> text = std::vector<std::string_view>(kWriteSlice);
  };

  const JoinSpec& spec_;
  const size_t width_;
  std::vector<std::unique_ptr<InputTable>> tables_;
  std::vector<std::vector<ProbeColumn>> probe_columns_;  // by stage
  std::vector<std::vector<size_t>> build_columns_;       // by stage
  std::vector<std::unique_ptr<BuildSide>> builds_;       // by stage; [0] unused
  std::vector<OutputColumn> outputs_;
  std::vector<std::vector<RowRef>> buffers_;  // tuples waiting after each stage
  std::vector<ProbeScratch> probe_scratch_;  // by stage
  std::vector<Gathered> gathered_;           // by output column
  dataset::Writer* writer_ = nullptr;
};

}  // namespace

JoinStats RunJoin(const JoinSpec& spec, const std::vector<std::string>& dataset_paths,
                  const std::string& output_path, const dataset::WriterOptions& options) {
  JoinPipeline pipeline(spec, dataset_paths);
  dataset::Writer writer(output_path, pipeline.OutputSchema(), options);
  pipeline.Run(&writer);
  JoinStats stats;
  stats.rows_in = pipeline.RowsIn();
  stats.rows_out = writer.row_count();
  writer.Finish();
  stats.bytes_out = writer.file_size();
  return stats;
}

}  // namespace sluice::join
