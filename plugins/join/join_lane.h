// One thread's share of a join: streams chunks of the `from` input through every join stage
// and hands the joined rows, a slice of columns at a time, to a sink.
#ifndef SLUICE_PLUGINS_JOIN_JOIN_LANE_H_
#define SLUICE_PLUGINS_JOIN_JOIN_LANE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "join_key.h"
#include "join_plan.h"
#include "sluice/dataset.hpp"

namespace sluice::join {

/// Where joined rows go: `columns[o]` holds n values of output column o.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void Append(const std::vector<OutputColumn>& outputs, const std::vector<dataset::ColumnValues>& columns,
                      size_t n) = 0;
};

/// Straight into the dataset being written.
class WriterSink final : public RowSink {
 public:
  explicit WriterSink(dataset::Writer* writer) : writer_(writer) {}
  void Append(const std::vector<OutputColumn>& outputs, const std::vector<dataset::ColumnValues>& columns,
              size_t n) override;

 private:
  dataset::Writer* writer_;
};

/// Into memory: the rows of one `from` chunk joined by a worker thread, written to the
/// dataset later, in chunk order, by the thread that owns the writer.
class BufferSink final : public RowSink {
 public:
  explicit BufferSink(size_t columns) : columns_(columns) {}
  void Append(const std::vector<OutputColumn>& outputs, const std::vector<dataset::ColumnValues>& columns,
              size_t n) override;
  /// Appends every buffered row to `writer` (column by column, one EndRows).
  void WriteTo(dataset::Writer& writer, const std::vector<OutputColumn>& outputs) const;

 private:
  std::vector<dataset::ColumnValues> columns_;
  size_t rows_ = 0;
};

/// The batches between stages and the gathered slices of one thread. A tuple is one RowRef
/// per input (row-major in a batch); stage s joins input s to tuples holding rows of inputs
/// 0..s-1; the last stage hands them to the sink.
class Lane {
 public:
  explicit Lane(const JoinPlan& plan);

  /// Joins every row of chunk `chunk` of the `from` input.
  void JoinFromChunk(uint32_t chunk, RowSink* sink);
  /// For each right or full join in turn: its rows that no tuple matched (call once, after
  /// every chunk, on the one lane that joined them all).
  void EmitUnmatched(RowSink* sink);

 private:
  RowRef* StartTuple(std::vector<RowRef>* batch);
  void Flush(size_t s);
  void Probe(size_t s, const std::vector<RowRef>& tuples);
  void Emit(size_t s, const RowRef* tuple, RowRef joined);
  void PrefetchProbeKey(size_t s, const RowRef* tuple) const;
  bool ReadProbeKey(size_t s, const RowRef* tuple, KeyValue* key, uint64_t* hash) const;
  void Write(const std::vector<RowRef>& tuples);
  void Gather(size_t o, const RowRef* tuples, size_t n);

  // Per stage: the keys of the tuples being probed.
  struct ProbeScratch {
    std::vector<KeyValue> keys;
    std::vector<uint64_t> hashes;
    std::vector<uint8_t> has_key;
  };

  const JoinPlan& plan_;
  const size_t width_;
  std::vector<std::vector<RowRef>> buffers_;  // tuples waiting after each stage
  std::vector<ProbeScratch> probe_scratch_;   // by stage
  std::vector<dataset::ColumnValues> gathered_;  // by output column: one slice
  RowSink* sink_ = nullptr;
};

}  // namespace sluice::join

#endif  // SLUICE_PLUGINS_JOIN_JOIN_LANE_H_
